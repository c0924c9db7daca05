/**
 * prometheus-adapter: serves the custom metrics API, so the API's HPA can scale on
 * the pods metric `http_requests_per_second` (the per-pod rate of the API's
 * `http_requests_total` counter over 2 minutes).
 */
import { namespaceOf } from '../../config';
import { haReplicas, pod, resources, restrictedContainer, restrictedPod, systemPlacement } from './common';
import { PROMETHEUS_PORT, prometheusServiceName } from './kube-prometheus-stack';
import type { AddonDefinition } from './types';

/** The pods metric the API's HPA reads (config: controlPlaneApi.autoscaling.requestsPerSecond). */
export const REQUESTS_PER_SECOND_METRIC = 'http_requests_per_second';
/** The counter the API exports on /metrics. */
export const HTTP_REQUESTS_COUNTER = 'http_requests_total';

/** The adapter rule: `http_requests_total` per pod → `http_requests_per_second`. */
export const REQUESTS_PER_SECOND_RULE = {
  seriesQuery: `${HTTP_REQUESTS_COUNTER}{namespace!="",pod!=""}`,
  resources: { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
  name: { matches: `^${HTTP_REQUESTS_COUNTER}$`, as: REQUESTS_PER_SECOND_METRIC },
  metricsQuery: 'sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>)',
} as const;

/**
 * One external-metrics rule per metric named in `services[].autoscaling.external`: the
 * metric as Prometheus stores it (e.g. rabbitmq_queue_messages from an exporter), summed
 * over the series that match the HPA's label selector. KEDA, when installed, owns the
 * external metrics API instead; config/ refuses the two together.
 */
export function externalRules(metrics: readonly string[]) {
  return [...new Set(metrics)].sort().map((metric) => ({
    seriesQuery: `{__name__="${metric}"}`,
    resources: { namespaced: false },
    name: { matches: `^${metric}$`, as: metric },
    metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
  }));
}

const ADAPTER = resources('100m', '128Mi', '500m', '512Mi');

export const prometheusAdapter: AddonDefinition = {
  name: 'prometheusAdapter',
  release: 'prometheus-adapter',
  purpose: `custom metrics API: the pods metric ${REQUESTS_PER_SECOND_METRIC} for the API's HPA`,
  enabled: (spec) => spec.addons.prometheusAdapter.enabled,
  chartVersionOverride: (spec) => spec.addons.prometheusAdapter.chartVersion,
  namespace: (spec) => namespaceOf(spec, 'monitoring').name,
  dependsOn: () => ['kubePrometheusStack'],
  crdGroups: [],
  admissionWebhooks: () => false,
  placement: 'system',
  pods: (spec) => [pod('prometheus-adapter', haReplicas(spec), ADAPTER)],
  values: ({ spec, namespace, namespaces }) => ({
    ...systemPlacement(spec),
    replicas: haReplicas(spec),
    prometheus: {
      url: `http://${prometheusServiceName}.${namespaces.kubePrometheusStack ?? namespace}.svc`,
      port: PROMETHEUS_PORT,
    },
    // Only the rule the platform needs: the default rule set exposes hundreds of series.
    rules: {
      default: false,
      custom: [REQUESTS_PER_SECOND_RULE],
      external: externalRules(spec.services.flatMap((svc) => svc.autoscaling.external.map((e) => e.metric))),
    },
    resources: ADAPTER,
    podSecurityContext: restrictedPod(10001),
    securityContext: restrictedContainer(),
  }),
};
