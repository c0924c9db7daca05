/**
 * gVisor on k3s nodes. k3s does not detect runsc, so a gVisor node needs, before k3s
 * first starts: the runsc and containerd-shim-runsc-v1 binaries, a containerd config
 * template that extends k3s's base template with a `runsc` runtime whose options name the
 * shim's configuration file, and that file (infra/gvisor-node.ts: Falco's gVisor release
 * adds its trace session to it). All are written by cloud-init, on static servers and on
 * nodes the autoscaler adds alike.
 */
import { GVISOR_HANDLER } from '../../config';
import { RUNSC_BIN_DIR, RUNSC_CONFIG_PATH, runscRuntimeTables, runscShimConfig } from '../gvisor-node';

/** containerd config format a k3s release reads: 2 (containerd 1.7) or 3 (containerd 2.x). */
export type ContainerdConfigVersion = 2 | 3;

/**
 * The containerd each pinned k3s release (config/versions.ts K3S_RELEASES) ships. k3s
 * moved to containerd 2.0 in its 2025 releases (v1.31.6+ and newer minors), which
 * read `config-v3.toml.tmpl` instead of `config.toml.tmpl`. Add a release here when
 * you bump K3S_RELEASES: an unknown release is refused rather than guessed.
 */
export const K3S_CONTAINERD_CONFIG_VERSION: Readonly<Record<string, ContainerdConfigVersion>> = {
  'v1.28.15+k3s1': 2,
  'v1.31.14+k3s1': 3,
  'v1.34.2+k3s1': 3,
  // k3s v1.35.x and v1.36.x release notes (docs.k3s.io/release-notes/v1.35.X, v1.36.X): containerd 2.2/2.3.
  'v1.35.8+k3s1': 3,
  'v1.36.4+k3s1': 3,
};

const TEMPLATE_DIR = '/var/lib/rancher/k3s/agent/etc/containerd';

export interface ContainerdTemplate {
  readonly path: string;
  readonly content: string;
}

export function containerdConfigVersion(k3sRelease: string): ContainerdConfigVersion {
  const version = K3S_CONTAINERD_CONFIG_VERSION[k3sRelease];
  if (version === undefined) {
    throw new Error(
      `k3s release ${k3sRelease} is not in K3S_CONTAINERD_CONFIG_VERSION (infra/hcloud/gvisor.ts): ` +
        'add it with the containerd config version it reads (2 for containerd 1.7, 3 for containerd 2.x)',
    );
  }
  return version;
}

/**
 * The containerd config template that registers the runsc runtime on top of k3s's base
 * template, its options pointing the shim at `RUNSC_CONFIG_PATH` (gVisor
 * g3doc/user_guide/containerd/configuration.md).
 */
export function containerdTemplate(k3sRelease: string): ContainerdTemplate {
  const version = containerdConfigVersion(k3sRelease);
  const section =
    version === 3
      ? `[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.${GVISOR_HANDLER}]`
      : `[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.${GVISOR_HANDLER}]`;
  return {
    path: `${TEMPLATE_DIR}/${version === 3 ? 'config-v3.toml.tmpl' : 'config.toml.tmpl'}`,
    content: [
      '# Written by agent-platform (infra/hcloud): k3s base config plus the gVisor runtime.',
      '{{ template "base" . }}',
      '',
      ...runscRuntimeTables(section),
      '',
    ].join('\n'),
  };
}

/**
 * The runsc shim's configuration file. Written once, at first boot (cloud-init
 * `write_files`), so what Falco's gVisor release appends to it stays across reboots.
 */
export function runscShimConfigFile(): ContainerdTemplate {
  return { path: RUNSC_CONFIG_PATH, content: runscShimConfig() };
}

/** Where the gVisor release binaries are published, per architecture (`uname -m`). */
export function gvisorReleaseUrl(release: string): string {
  return `https://storage.googleapis.com/gvisor/releases/release/${release}`;
}

/**
 * Bash that downloads the pinned gVisor release for this machine's architecture,
 * verifies both binaries against the release's .sha512 files and installs them.
 */
export function runscInstallScript(release: string): string {
  return [
    'install_gvisor() {',
    '  local arch url tmp',
    '  arch="$(uname -m)" # x86_64 or aarch64, as gVisor names its release folders',
    `  url="${gvisorReleaseUrl(release)}/\${arch}"`,
    '  tmp="$(mktemp -d)"',
    '  for f in runsc containerd-shim-runsc-v1; do',
    '    curl -fsSL --retry 5 -o "${tmp}/${f}" "${url}/${f}"',
    '    curl -fsSL --retry 5 -o "${tmp}/${f}.sha512" "${url}/${f}.sha512"',
    '  done',
    '  (cd "${tmp}" && sha512sum -c runsc.sha512 containerd-shim-runsc-v1.sha512)',
    `  install -m 0755 "\${tmp}/runsc" "\${tmp}/containerd-shim-runsc-v1" ${RUNSC_BIN_DIR}/`,
    '  rm -rf "${tmp}"',
    `  ${RUNSC_BIN_DIR}/runsc --version`,
    '}',
  ].join('\n');
}
