/**
 * metrics-server: the resource metrics API (HPA cpu/memory, `kubectl top`). Installed
 * only when `addons.metricsServer.source` is `chart`: k3s bundles its own, and two
 * would both register `v1beta1.metrics.k8s.io`.
 */
import { haReplicas, resources, restrictedContainer, restrictedPod, systemPlacement, pod } from './common';
import type { AddonDefinition } from './types';

const SERVER = resources('100m', '200Mi', '500m', '512Mi');

export const metricsServer: AddonDefinition = {
  name: 'metricsServer',
  release: 'metrics-server',
  purpose: 'resource metrics API (metrics.k8s.io) for HPAs and kubectl top',
  enabled: (spec) => spec.addons.metricsServer.enabled && spec.addons.metricsServer.source === 'chart',
  chartVersionOverride: (spec) => spec.addons.metricsServer.chartVersion,
  namespace: () => 'kube-system',
  dependsOn: () => [],
  crdGroups: [],
  admissionWebhooks: () => false,
  placement: 'system',
  pods: (spec) => [pod('metrics-server', haReplicas(spec), SERVER)],
  values: ({ spec }) => ({
    ...systemPlacement(spec),
    replicas: haReplicas(spec),
    podDisruptionBudget: { enabled: spec.stage === 'prod', minAvailable: 1 },
    args: ['--kubelet-preferred-address-types=InternalIP'],
    resources: SERVER,
    podSecurityContext: restrictedPod(1000),
    securityContext: restrictedContainer(),
  }),
};
