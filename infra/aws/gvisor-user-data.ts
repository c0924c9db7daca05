/**
 * User data for gVisor node groups (Amazon Linux 2023, the EKS AMI family for every
 * minor we support; AL2 AMIs end with 1.32 and use a different bootstrap).
 *
 * On AL2023, `nodeadm-config.service` rewrites /etc/containerd/config.toml on EVERY boot,
 * before cloud-init, from its template merged with the NodeConfig found in the user data.
 * A runtime appended to that file by a once-per-instance script is gone after a reboot
 * (the node keeps its `gvisor=true` label, every agent pod on it then fails). So:
 *
 *   part 1, `application/node.eks.aws`: a NodeConfig whose `spec.containerd.config` TOML
 *     snippet registers the `runsc` runtime. nodeadm merges it into the config it writes on
 *     every boot, so the runtime survives reboots by construction. EKS managed node groups
 *     merge their own NodeConfig (cluster details) with this one; nodeadm merges all parts
 *     in order (awslabs/amazon-eks-ami nodeadm/internal/configprovider/mime.go).
 *     Its runtime options name the runsc shim's configuration file (`ConfigPath`,
 *     infra/gvisor-node.ts), which Falco's gVisor release adds its trace session to.
 *   part 2, `text/x-shellscript`: installs the runsc and containerd-shim-runsc-v1 binaries
 *     (SHA-512 verified) and writes the shim's configuration file, once; they stay on the
 *     root volume across reboots (nodeadm rewrites config.toml, not this file). It runs
 *     in cloud-final, before `nodeadm-run.service` starts containerd and kubelet.
 *
 * The snippet uses the containerd config v2 table (`io.containerd.grpc.v1.cri`). nodeadm
 * picks its v2 template for it on containerd 1.7, and on containerd 2.x (newer AL2023
 * AMIs) it renders the v2 template with the snippet and runs `containerd config migrate`
 * to v3 (nodeadm/internal/containerd/config.go `getConfigTemplateVersion` and
 * `writeContainerdConfig`, amazon-eks-ami v20260724). One snippet is right on both.
 *
 * If the binaries cannot be installed, the script masks kubelet (and nodeadm-run), so the
 * node never joins (the node group reports it) instead of joining without runsc.
 *
 * Lines end in LF, not CRLF: cloud-init keeps a part's bytes as they are (a CR would end
 * up in every line of the script), and Go's multipart reader, which nodeadm uses, accepts
 * LF-only documents.
 */
import * as pulumi from '@pulumi/pulumi';
import { stringify } from 'yaml';
import { GVISOR_HANDLER, GVISOR_RELEASE } from '../../config';
import { RUNSC_BIN_DIR, RUNSC_CONFIG_PATH, runscRuntimeTables, runscShimConfig } from '../gvisor-node';

/** Multipart boundary of the user data document. */
export const USER_DATA_BOUNDARY = '==AGENT-PLATFORM-GVISOR==';

export interface GvisorUserDataOptions {
  /** gVisor release (`yyyymmdd.n`). @default GVISOR_RELEASE (config/versions.ts) */
  readonly release?: string;
  /** containerd runtime handler name; the RuntimeClass's `handler`. @default GVISOR_HANDLER ('runsc') */
  readonly handler?: string;
}

/** The shell script that installs the runsc binaries (the runtime is registered by the NodeConfig). */
export function gvisorInstallScript(opts: GvisorUserDataOptions = {}): string {
  const { release, handler } = validatedOptions(opts);
  return `#!/bin/bash
# gVisor ${release} binaries (agent-platform). Runs once, in cloud-final, before
# nodeadm-run starts containerd and kubelet. The runtime itself is registered by the
# NodeConfig part of this user data, on every boot.
set -euo pipefail

fail_closed() {
  echo "gvisor: installation failed; masking kubelet so this node never joins without runsc" >&2
  systemctl mask --runtime kubelet.service nodeadm-run.service || true
}
trap fail_closed ERR

RELEASE='${release}'
ARCH="$(uname -m)"
URL="https://storage.googleapis.com/gvisor/releases/release/\${RELEASE}/\${ARCH}"
WORKDIR="$(mktemp -d)"
cd "\${WORKDIR}"

for file in runsc runsc.sha512 containerd-shim-runsc-v1 containerd-shim-runsc-v1.sha512; do
  curl --fail --silent --show-error --location --retry 10 --retry-connrefused --retry-delay 3 \\
    --output "\${file}" "\${URL}/\${file}"
done
sha512sum --check --strict runsc.sha512 containerd-shim-runsc-v1.sha512
install -m 0755 -o root -g root runsc containerd-shim-runsc-v1 ${RUNSC_BIN_DIR}/
${RUNSC_BIN_DIR}/runsc --version

# The shim's configuration file (containerd ConfigPath). Kept if it exists: Falco's gVisor
# release may have added its trace session to it.
if [ ! -f '${RUNSC_CONFIG_PATH}' ]; then
  install -d -m 0755 "$(dirname '${RUNSC_CONFIG_PATH}')"
  cat > '${RUNSC_CONFIG_PATH}' <<'RUNSC_TOML'
${runscShimConfig()}RUNSC_TOML
  chmod 0644 '${RUNSC_CONFIG_PATH}'
fi

rm -rf "\${WORKDIR}"
echo "gvisor: runsc \${RELEASE} installed; nodeadm registers it with containerd as runtime '${handler}'"
`;
}

/** Validated release and handler (shared by both parts). */
function validatedOptions(options: GvisorUserDataOptions): { release: string; handler: string } {
  const release = options.release ?? GVISOR_RELEASE;
  const handler = options.handler ?? GVISOR_HANDLER;
  if (!/^\d{8}(\.\d+)?$/.test(release)) {
    throw new pulumi.InputPropertyError({
      propertyPath: 'release',
      reason: `gVisor release "${release}" must look like 20251110.0 (yyyymmdd.n, see config/versions.ts GVISOR_RELEASE)`,
    });
  }
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(handler)) {
    throw new pulumi.InputPropertyError({
      propertyPath: 'handler',
      reason: `runtime handler "${handler}" must be a DNS label such as runsc`,
    });
  }
  return { release, handler };
}

/** The containerd TOML snippet nodeadm merges into /etc/containerd/config.toml on every boot. */
export function gvisorContainerdSnippet(opts: GvisorUserDataOptions = {}): string {
  const { handler } = validatedOptions(opts);
  return [...runscRuntimeTables(`[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.${handler}]`), ''].join('\n');
}

/** The nodeadm `NodeConfig` (YAML) carrying the snippet. */
export function gvisorNodeConfig(opts: GvisorUserDataOptions = {}): string {
  return stringify(
    {
      apiVersion: 'node.eks.aws/v1alpha1',
      kind: 'NodeConfig',
      spec: { containerd: { config: gvisorContainerdSnippet(opts) } },
    },
    { lineWidth: 0 },
  );
}

/** The launch template user data: MIME multipart, NodeConfig part first, then the install script. */
export function gvisorUserData(opts: GvisorUserDataOptions = {}): string {
  return [
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${USER_DATA_BOUNDARY}"`,
    '',
    `--${USER_DATA_BOUNDARY}`,
    'Content-Type: application/node.eks.aws',
    '',
    '---',
    gvisorNodeConfig(opts),
    `--${USER_DATA_BOUNDARY}`,
    'Content-Type: text/x-shellscript; charset="us-ascii"',
    '',
    gvisorInstallScript(opts),
    `--${USER_DATA_BOUNDARY}--`,
    '',
  ].join('\n');
}
