/**
 * What a gVisor node holds for runsc, on both clouds: where the binaries are installed,
 * runsc's state root, and the shim configuration file that containerd hands the runsc
 * shim through the runtime's options. The node modules write it (infra/hcloud/gvisor.ts
 * in cloud-init, infra/aws/gvisor-user-data.ts in the AL2023 user data) and Falco's gVisor
 * release mounts it (infra/addons/falco.ts), so the paths are defined once, here. A leaf
 * module: the add-on definitions import it and load no Pulumi.
 *
 * Upstream, read for this (gVisor at 3c5eee17, 2026-08):
 * - g3doc/user_guide/containerd/configuration.md: the shim takes a TOML file (shim options,
 *   and `[runsc_config]`, whose `flag = "value"` entries become runsc `--flag=value`), named
 *   by `ConfigPath` (with `TypeUrl = "io.containerd.runsc.v1.options"`) in the runtime's
 *   `options` table of containerd's CRI config.
 * - pkg/shim/v1/runsc/container.go `NewContainer`: reads the options' `ConfigPath` with
 *   `toml.DecodeFile` and fails the container ("decode config file") when it cannot, so the
 *   file must exist before the first sandbox; pkg/shim/v1/proc/init.go `NewRunsc` and
 *   proc.go `RunscRoot`: without a `root` option runsc's root is /run/containerd/runsc joined
 *   with the containerd namespace (k8s.io for the CRI), whatever containerd's own state
 *   directory is (k3s keeps its containerd under /run/k3s/containerd; the runsc root does not
 *   move with it).
 * - containerd 1.7 and 2.x CRI config `GenerateRuntimeOptions`: a runtime type other than
 *   runc's gets its `options` table as runtimeoptions.Options {TypeUrl, ConfigPath}.
 */

/** Where runsc and containerd-shim-runsc-v1 are installed (both node modules). */
export const RUNSC_BIN_DIR = '/usr/local/bin';

/** runsc's root for containers of the CRI: the shim's default (gVisor pkg/shim/v1/proc/proc.go `RunscRoot`). */
export const RUNSC_ROOT = '/run/containerd/runsc';

/**
 * The runsc shim's configuration file, named by `ConfigPath` in containerd's runtime options.
 * On the root disk, not under /run: it survives reboots, and with it whatever Falco's gVisor
 * release added to it (see `runscShimConfig`).
 */
export const RUNSC_CONFIG_PATH = '/etc/containerd/runsc.toml';

/**
 * The content of the shim configuration file written at first boot: an empty
 * `[runsc_config]` table, last in the file and ending in a newline. Falco's gVisor init
 * container (falco chart 7.0.1 templates/_helpers.tpl `falco.gvisor.initContainer`) exits with
 * an error when the file is missing, and otherwise appends the line
 * `  pod-init-config = "<runsc root>/pod-init.json"` to the END of the file (`echo ... >>`,
 * once: it greps for `pod-init-config` first), so that line must land in `[runsc_config]`
 * (every later runsc gets `--pod-init-config`, which opens Falco's trace session in each new
 * sandbox). Nothing may follow the table, the last line must be complete, and the file must
 * not contain the text `pod-init-config` anywhere, not even in a comment: the init container
 * would take it for its own line and add nothing.
 */
export function runscShimConfig(): string {
  return [
    '# Written by agent-platform at first boot: the runsc shim options (containerd ConfigPath).',
    "# Falco's gVisor release appends its trace-session flag under [runsc_config]: keep that table last.",
    '[runsc_config]',
    '',
  ].join('\n');
}

/**
 * The containerd CRI runtime table that registers runsc, with its options naming the
 * shim configuration file. `runtimeTable` is the table header of the config version in use,
 * e.g. `[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runsc]` (v3) or
 * `[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runsc]` (v2).
 */
export function runscRuntimeTables(runtimeTable: string): string[] {
  if (!/^\[.+\]$/.test(runtimeTable)) throw new Error(`not a TOML table header: ${runtimeTable}`);
  return [
    runtimeTable,
    '  runtime_type = "io.containerd.runsc.v1"',
    `${runtimeTable.slice(0, -1)}.options]`,
    '  TypeUrl = "io.containerd.runsc.v1.options"',
    `  ConfigPath = "${RUNSC_CONFIG_PATH}"`,
  ];
}
