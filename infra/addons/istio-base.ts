/** Istio base: the Istio CRDs and the cluster-wide objects istiod needs. Installs no pods. */
import type { AddonDefinition } from './types';

export const ISTIO_NAMESPACE = 'istio-system';

export const istioBase: AddonDefinition = {
  name: 'istioBase',
  release: 'istio-base',
  purpose: 'Istio CRDs (networking, security, telemetry, extensions)',
  enabled: (spec) => spec.addons.istio.enabled,
  chartVersionOverride: (spec) => spec.addons.istio.chartVersion,
  namespace: () => ISTIO_NAMESPACE,
  dependsOn: () => [],
  crdGroups: ['networking.istio.io', 'security.istio.io', 'telemetry.istio.io', 'extensions.istio.io'],
  admissionWebhooks: () => false,
  placement: 'none',
  values: () => ({ defaultRevision: 'default', global: { istioNamespace: ISTIO_NAMESPACE } }),
};
