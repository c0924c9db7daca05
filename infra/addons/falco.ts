/**
 * Falco: runtime security. A DaemonSet that must watch every node, the agent pool
 * above all, so it tolerates every taint; it lives alone in the privileged falco
 * namespace (it loads an eBPF probe and reads host state).
 */
import { falcosidekickEnabled, namespaceOf } from '../../config';
import { TOLERATE_EVERYTHING, resources } from './common';
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
  values: ({ spec }) => ({
    driver: { kind: 'modern_ebpf' },
    tolerations: TOLERATE_EVERYTHING,
    resources: FALCO,
    // The bundled sub-chart stays off: falcosidekick is its own release (infra/addons/falcosidekick.ts).
    falcosidekick: { enabled: false },
    tty: true,
    // Events as JSON over HTTP to falcosidekick, which forwards them to Alertmanager.
    ...(falcosidekickEnabled(spec)
      ? { falco: { json_output: true, http_output: { enabled: true, url: falcosidekickUrl(spec) } } }
      : {}),
  }),
};
