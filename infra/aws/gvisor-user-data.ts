/**
 * User data for gVisor node groups (Amazon Linux 2023, the EKS AMI family for every
 * minor we support; AL2 AMIs end with 1.32 and use a different bootstrap).
 *
 * EKS managed node groups merge a launch template's user data with their own
 * `NodeConfig`, and on AL2023 that user data must be a MIME multipart document. The boot
 * order on AL2023 is what makes a plain shell part sufficient:
 *
 *   nodeadm-config.service   writes /etc/containerd/config.toml   (Before=cloud-init)
 *   cloud-final              runs this script: install runsc, register the runtime
 *   nodeadm-run.service      starts containerd and kubelet        (After=cloud-final)
 *
 * So runsc is registered before kubelet ever starts, on every node, including nodes the
 * cluster autoscaler adds later (they boot from the same launch template).
 *
 * The runtime table is appended in the schema of the config nodeadm wrote: version 2
 * (`io.containerd.grpc.v1.cri`, containerd 1.7) or version 3 (`io.containerd.cri.v1.runtime`,
 * containerd 2.x, which newer AL2023 AMIs ship). Merging a fixed TOML through NodeConfig
 * would silently do nothing on one of the two.
 *
 * Both binaries are checked against the release's published SHA-512 sums before they are
 * installed. If anything fails, the script masks kubelet (and nodeadm-run), so kubelet
 * cannot start: the node never joins (the node group reports it) instead of joining
 * without runsc and failing every agent pod scheduled on it.
 */
import * as pulumi from '@pulumi/pulumi';
import { GVISOR_HANDLER, GVISOR_RELEASE } from '../../config';

/** Multipart boundary of the user data document. */
export const USER_DATA_BOUNDARY = '==AGENT-PLATFORM-GVISOR==';

export interface GvisorUserDataOptions {
  /** gVisor release (`yyyymmdd.n`). @default GVISOR_RELEASE (config/versions.ts) */
  readonly release?: string;
  /** containerd runtime handler name; the RuntimeClass's `handler`. @default GVISOR_HANDLER ('runsc') */
  readonly handler?: string;
}

/** The shell script that installs runsc and registers it with containerd. */
export function gvisorInstallScript(options: GvisorUserDataOptions = {}): string {
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
  return `#!/bin/bash
# gVisor ${release} for containerd (agent-platform). Runs once, in cloud-final,
# after nodeadm wrote the containerd config and before nodeadm starts kubelet.
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
install -m 0755 -o root -g root runsc containerd-shim-runsc-v1 /usr/local/bin/
/usr/local/bin/runsc --version

CONFIG=/etc/containerd/config.toml
if [ ! -f "\${CONFIG}" ]; then
  echo "gvisor: \${CONFIG} is missing; nodeadm-config must run before cloud-init" >&2
  false
fi
if grep -Eq '^version *= *3' "\${CONFIG}"; then
  PLUGIN="plugins.'io.containerd.cri.v1.runtime'"
else
  PLUGIN='plugins."io.containerd.grpc.v1.cri"'
fi
if ! grep -q 'containerd.runtimes.${handler}]' "\${CONFIG}"; then
  cat >>"\${CONFIG}" <<EOF

[\${PLUGIN}.containerd.runtimes.${handler}]
runtime_type = "io.containerd.runsc.v1"
EOF
fi

# nodeadm-run starts containerd later; restart it only if something started it already.
if systemctl is-active --quiet containerd; then
  systemctl restart containerd
fi
rm -rf "\${WORKDIR}"
echo "gvisor: runsc \${RELEASE} registered with containerd as runtime '${handler}'"
`;
}

/** The launch template user data: a MIME multipart document with the install script. */
export function gvisorUserData(options: GvisorUserDataOptions = {}): string {
  const script = gvisorInstallScript(options);
  return [
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${USER_DATA_BOUNDARY}"`,
    '',
    `--${USER_DATA_BOUNDARY}`,
    'Content-Type: text/x-shellscript; charset="us-ascii"',
    '',
    script,
    `--${USER_DATA_BOUNDARY}--`,
    '',
  ].join('\n');
}
