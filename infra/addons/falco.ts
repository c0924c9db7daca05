/**
 * Falco: runtime security. A DaemonSet that must watch every node, the agent pool
 * above all, so it tolerates every taint; it lives alone in the privileged falco
 * namespace (it loads an eBPF probe and reads host state).
 */
import { namespaceOf } from '../../config';
import { TOLERATE_EVERYTHING, pod, resources } from './common';
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
  values: () => ({
    driver: { kind: 'modern_ebpf' },
    tolerations: TOLERATE_EVERYTHING,
    resources: FALCO,
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
  }),
};
