/**
 * Falco: runtime security, as two releases of the falco chart in the privileged falco
 * namespace, each a DaemonSet that tolerates every taint (a node it skips is a node nobody
 * watches):
 *
 * - `falco` (driver `modern_ebpf`) on every node, gVisor nodes included. The kernel driver
 *   sees every host process: the kubelet, containerd, the node agents, and on gVisor nodes
 *   runsc itself (the Sentry and gofer as the host kernel sees them), which is where a
 *   sandbox escape would show. It does not see the syscalls of the programs inside a sandbox:
 *   the Sentry serves those without the host kernel.
 * - `falco-gvisor` (driver `gvisor`) on the gVisor pools only (nodeSelector
 *   `agent-platform.io/gvisor=true`, the label the contract gives exactly the `gvisor: true`
 *   pools): it receives the sandboxed programs' syscalls from runsc's trace points.
 *
 * So a gVisor node runs both, and both are counted there: `placement` `every-node` and
 * `gvisor-nodes` in the capacity check (infra/addons/capacity.ts) and in the simulation's
 * agent-node allocatable (tools/simulate, through `nodeAgentsOn`). Running only the gVisor
 * release there would leave the host blind exactly where an escape lands.
 *
 * How the gVisor release hooks into runsc (falco chart 7.0.1, read in ../shared/charts):
 * - templates/pod-template.tpl: with `driver.kind: gvisor` the pod runs with hostNetwork and
 *   hostPID and mounts, from the host, `<driver.gvisor.runsc.path>/runsc` (type File) as
 *   /usr/local/bin/runsc, `runsc.root` (runsc's state: Falco lists the sandboxes there) and
 *   `runsc.config` (type File: the pod stays in ContainerCreating where the file is missing).
 * - templates/_helpers.tpl `falco.gvisor.initContainer`: generates the trace-session
 *   config (`falco --gvisor-generate-config=<root>/falco.sock` → `<root>/pod-init.json`) and
 *   appends `pod-init-config = "<root>/pod-init.json"` to the runsc config file unless it is
 *   there already; it exits with an error when the file is missing. `falco.engineConfiguration`
 *   then points Falco at `/host<root>/k8s.io`, the CRI namespace's runsc root.
 * The nodes provide exactly that (infra/gvisor-node.ts): runsc in /usr/local/bin, the shim's
 * default root /run/containerd/runsc, and /etc/containerd/runsc.toml named by containerd's
 * runtime options (`ConfigPath`) and ending in `[runsc_config]`, written at first boot by
 * infra/hcloud (cloud-init, static and autoscaled nodes alike) and infra/aws (AL2023 user data).
 *
 * What follows from runsc (gVisor runsc/sandbox/sandbox.go, boot/seccheck.go,
 * pkg/sentry/seccheck/config.go): runsc reads pod-init-config when it creates a sandbox, so
 * - sandboxes started on a new node before its falco-gvisor pod has initialized are not
 *   traced for their lifetime (the window is that pod's start after the node joins);
 * - after a reboot the config line is still there (the file is on disk) but pod-init.json
 *   (under /run) is gone until falco-gvisor regenerates it; until then runsc refuses to create
 *   sandboxes ("loading init config file") and the kubelet retries them: agent pods wait for
 *   Falco rather than run unwatched;
 * - Falco's generated sink has `ignore_setup_error: true` (falcosecurity/libs gvisor_config),
 *   so a sandbox still starts while Falco's socket is down.
 * Turning Falco off (`addons.falco.enabled: false`) leaves the line on nodes that ran it: their
 * agent pods fail after the next reboot. Replace those nodes (or delete the line) when doing so.
 *
 * Events: both releases post to falcosidekick where it runs (`commonValues`). The chart runs
 * the gVisor driver's pod with hostNetwork, so falco-gvisor's posts leave from its node's
 * host address, which no namespace peer matches: falcosidekick's `allow-falco-events`
 * ingress (charts-src/charts/edge-flows.ts) also admits the cloud's host traffic sources
 * (`hostTrafficSources` of config/clouds: the cluster CIDR on k3s, whose flannel sends host
 * traffic from the node's `flannel.1` address; the VPC on EKS).
 *
 * Nodes that booted before their user data carried the shim config (a cluster deployed with an
 * earlier version of this program) have neither the file nor `ConfigPath`: falco-gvisor never
 * becomes ready there and the atomic Helm install fails. Replace such gVisor nodes first (Hetzner
 * servers ignore user-data changes; autoscaled Hetzner nodes and EKS node groups boot the new
 * user data by themselves, EKS rolling its node groups on the launch-template change).
 */
import {
  falcoGvisorEnabled,
  falcosidekickEnabled,
  GVISOR_LABEL,
  namespaceOf,
  type EnvironmentSpec,
} from '../../config';
import { RUNSC_BIN_DIR, RUNSC_CONFIG_PATH, RUNSC_ROOT } from '../gvisor-node';
import { TOLERATE_EVERYTHING, pod, resources } from './common';
import { falcosidekickUrl } from './falcosidekick';
import type { AddonDefinition } from './types';

const FALCO = resources('100m', '512Mi', '1', '1Gi');

/** Values both releases share; each adds its driver and placement. */
function commonValues(spec: EnvironmentSpec): Record<string, unknown> {
  return {
    tolerations: TOLERATE_EVERYTHING,
    resources: FALCO,
    // The bundled sub-chart stays off: falcosidekick is its own release (infra/addons/falcosidekick.ts).
    falcosidekick: { enabled: false },
    tty: true,
    // No internet at start: falcoctl would download the rules (and the container plugin)
    // from falcosecurity.github.io and ghcr.io before Falco starts, which the falco
    // namespace's default-deny egress refuses, so the pod would never become ready. With
    // both falcoctl containers off the chart mounts nothing over /etc/falco and
    // /usr/share/falco/plugins (falco chart 7.0.1, templates/pod-template.tpl), so Falco runs
    // the default rules and container plugin shipped in its pinned image (appVersion
    // 0.42.1): rules change with the chart version, reviewed like any other bump.
    falcoctl: { artifact: { install: { enabled: false }, follow: { enabled: false } } },
    // Events as JSON over HTTP to falcosidekick, which forwards them to Alertmanager.
    ...(falcosidekickEnabled(spec)
      ? { falco: { json_output: true, http_output: { enabled: true, url: falcosidekickUrl(spec) } } }
      : {}),
  };
}

export const falco: AddonDefinition = {
  name: 'falco',
  release: 'falco',
  purpose: 'runtime security: syscall rules on every node (kernel driver)',
  enabled: (spec) => spec.addons.falco.enabled,
  chartVersionOverride: (spec) => spec.addons.falco.chartVersion,
  namespace: (spec) => namespaceOf(spec, 'falco').name,
  dependsOn: () => [],
  crdGroups: [],
  admissionWebhooks: () => false,
  placement: 'every-node',
  pods: () => [pod('falco', 'per-node', FALCO)],
  values: ({ spec }) => ({ driver: { kind: 'modern_ebpf' }, ...commonValues(spec) }),
};

export const falcoGvisor: AddonDefinition = {
  name: 'falcoGvisor',
  release: 'falco-gvisor',
  purpose: 'runtime security inside the gVisor sandboxes (gVisor driver, gVisor pools)',
  // Part of Falco (one switch, one chart version), wherever a pool runs gVisor.
  enabled: falcoGvisorEnabled,
  chartVersionOverride: (spec) => spec.addons.falco.chartVersion,
  namespace: (spec) => namespaceOf(spec, 'falco').name,
  dependsOn: () => [],
  crdGroups: [],
  admissionWebhooks: () => false,
  placement: 'gvisor-nodes',
  // The gVisor init container sets no requests (falco chart 7.0.1 `falco.gvisor.initContainer`).
  pods: () => [pod('falco', 'per-node', FALCO)],
  values: ({ spec }) => ({
    driver: {
      kind: 'gvisor',
      gvisor: { runsc: { path: RUNSC_BIN_DIR, root: RUNSC_ROOT, config: RUNSC_CONFIG_PATH } },
    },
    nodeSelector: { [GVISOR_LABEL]: 'true' },
    ...commonValues(spec),
  }),
};
