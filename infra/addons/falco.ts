/**
 * Falco: runtime security. A DaemonSet that must watch every node, the agent pool
 * above all, so it tolerates every taint; it lives alone in the privileged falco
 * namespace (it loads an eBPF probe and reads host state).
 *
 * Not yet covered: syscalls inside the gVisor sandboxes. The modern eBPF driver sees the
 * agent nodes' host processes (runsc itself, the kubelet, node agents) but not what runs
 * inside a sandbox. That needs a second release with `driver.kind: gvisor` on the gVisor
 * pools (falco chart 7.0.1 values.yaml `driver.gvisor.runsc.{path,root,config}`; its init
 * container appends `pod-init-config` to the runsc config file and exits with an error
 * when that file is missing), and, on the nodes, runsc's runtime options pointing at a
 * config file (`ConfigPath`, e.g. /etc/containerd/runsc.toml holding `[runsc_config]`),
 * written by infra/hcloud/gvisor.ts and infra/aws/gvisor-user-data.ts. Until the nodes
 * carry that file such a release would never become ready, failing the atomic Helm install.
 */
import { falcosidekickEnabled, namespaceOf } from '../../config';
import { TOLERATE_EVERYTHING, pod, resources } from './common';
import { falcosidekickUrl } from './falcosidekick';
import type { AddonDefinition } from './types';

const FALCO = resources('100m', '512Mi', '1', '1Gi');

export const falco: AddonDefinition = {
  name: 'falco',
  release: 'falco',
  purpose: 'runtime security: syscall rules on every node',
  enabled: (spec) => spec.addons.falco.enabled,
  chartVersionOverride: (spec) => spec.addons.falco.chartVersion,
  namespace: (spec) => namespaceOf(spec, 'falco').name,
  dependsOn: () => [],
  crdGroups: [],
  admissionWebhooks: () => false,
  placement: 'every-node',
  pods: () => [pod('falco', 'per-node', FALCO)],
  values: ({ spec }) => ({
    driver: { kind: 'modern_ebpf' },
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
  }),
};
