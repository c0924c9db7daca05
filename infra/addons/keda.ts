/** KEDA: event-driven autoscaling (the agents' warm pool scales on a PostgreSQL query). */
import { namespaceOf } from '../../config';
import { haReplicas, pod, resources, restrictedContainer, restrictedPod, systemPlacement } from './common';
import type { AddonDefinition } from './types';

const OPERATOR = resources('100m', '128Mi', '500m', '512Mi');
const METRICS_SERVER = resources('100m', '128Mi', '500m', '512Mi');
const WEBHOOKS = resources('50m', '64Mi', '200m', '256Mi');

export const keda: AddonDefinition = {
  name: 'keda',
  release: 'keda',
  purpose: 'event-driven autoscaling: ScaledObjects, TriggerAuthentications, the external metrics API',
  enabled: (spec) => spec.addons.keda.enabled,
  chartVersionOverride: (spec) => spec.addons.keda.chartVersion,
  namespace: (spec) => namespaceOf(spec, 'keda').name,
  // The metrics API server reads pod metrics for cpu/memory triggers; its ServiceMonitors
  // and PodMonitors need the Prometheus operator's CRDs.
  dependsOn: () => ['metricsServer', 'kubePrometheusStack'],
  crdGroups: ['keda.sh', 'eventing.keda.sh'],
  usesCrdGroups: (spec) => (spec.addons.kubePrometheusStack.enabled ? ['monitoring.coreos.com'] : []),
  // KEDA's admission webhooks validate ScaledObjects (one autoscaler per target).
  admissionWebhooks: () => true,
  placement: 'system',
  pods: (spec) => [
    pod('operator', haReplicas(spec), OPERATOR),
    pod('admission-webhooks', haReplicas(spec), WEBHOOKS),
    pod('metrics-apiserver', 1, METRICS_SERVER),
  ],
  values: ({ spec }) => {
    const replicas = haReplicas(spec);
    const pod = restrictedPod(1000);
    const container = restrictedContainer();
    const monitored = spec.addons.kubePrometheusStack.enabled;
    return {
      ...systemPlacement(spec),
      operator: { replicaCount: replicas },
      webhooks: { replicaCount: replicas },
      metricsServer: { replicaCount: 1 },
      resources: { operator: OPERATOR, metricServer: METRICS_SERVER, webhooks: WEBHOOKS },
      podSecurityContext: { operator: pod, metricServer: pod, webhooks: pod },
      securityContext: { operator: container, metricServer: container, webhooks: container },
      // The chart renders its ServiceMonitors only when both keys are true.
      prometheus: {
        operator: { enabled: monitored, serviceMonitor: { enabled: monitored } },
        metricServer: { enabled: monitored, serviceMonitor: { enabled: monitored } },
      },
    };
  },
};
