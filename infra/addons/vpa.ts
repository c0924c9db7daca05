/**
 * Vertical Pod Autoscaler (Fairwinds chart): the recommender always; the updater and
 * the admission controller only where the stack file enables them (VPAs in `Off`
 * mode need neither, and an updater evicting pods an HPA scales would fight it).
 */
import { namespaceOf } from '../../config';
import { resources, restrictedContainer, restrictedPod, systemPlacement, pod } from './common';
import type { AddonDefinition } from './types';

const RECOMMENDER = resources('50m', '256Mi', '500m', '1Gi');
const UPDATER = resources('50m', '128Mi', '200m', '512Mi');
const ADMISSION = resources('50m', '128Mi', '200m', '512Mi');
const CERTGEN = resources('10m', '32Mi', '100m', '64Mi');

export const vpa: AddonDefinition = {
  name: 'vpa',
  release: 'vpa',
  purpose: 'VerticalPodAutoscaler recommendations for platform workloads',
  enabled: (spec) => spec.addons.vpa.enabled,
  chartVersionOverride: (spec) => spec.addons.vpa.chartVersion,
  namespace: (spec) => namespaceOf(spec, 'vpa').name,
  // The recommender reads the metrics API. It is given no Prometheus history: it runs with
  // its default `--storage=checkpoint` (the chart sets no storage flag, vpa chart 4.10.1
  // values.yaml recommender.extraArgs), keeping its usage histograms in
  // VerticalPodAutoscalerCheckpoint objects, so recommendations start from the samples it
  // has seen since install. Prometheus history would need `--storage=prometheus` and a
  // vpa → monitoring:9090 flow in charts-src/charts/platform-flows.ts.
  dependsOn: () => ['metricsServer'],
  crdGroups: ['autoscaling.k8s.io'],
  admissionWebhooks: (spec) => spec.addons.vpa.admissionController,
  placement: 'system',
  // The admission controller's certgen Job runs once at install and is not counted.
  pods: (spec) => [
    pod('recommender', 1, RECOMMENDER),
    ...(spec.addons.vpa.updater ? [pod('updater', 1, UPDATER)] : []),
    ...(spec.addons.vpa.admissionController ? [pod('admission-controller', 1, ADMISSION)] : []),
  ],
  values: ({ spec }) => {
    const placement = systemPlacement(spec);
    const component = (enabled: boolean, block: ReturnType<typeof resources>) => ({
      enabled,
      resources: block,
      ...placement,
      podSecurityContext: restrictedPod(65534),
      securityContext: restrictedContainer(),
    });
    return {
      recommender: component(true, RECOMMENDER),
      updater: component(spec.addons.vpa.updater, UPDATER),
      admissionController: {
        ...component(spec.addons.vpa.admissionController, ADMISSION),
        certGen: { resources: CERTGEN, ...placement, securityContext: restrictedContainer() },
      },
    };
  },
};
