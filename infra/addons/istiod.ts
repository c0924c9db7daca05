/**
 * istiod: the mesh control plane and sidecar injector, in istio-system (restricted).
 * `pilot.cni.enabled` makes the injector rely on the Istio CNI node agent instead of
 * the privileged `istio-init` container (Istio 1.30 charts copy `pilot.*` to the top
 * level, so this is the setting the templates read as `.Values.cni.enabled`).
 */
import { haReplicas, resources, systemPlacement, pod } from './common';
import { ISTIO_NAMESPACE } from './istio-base';
import type { AddonDefinition } from './types';

const PILOT = resources('250m', '512Mi', '1', '2Gi');
const SIDECAR = resources('50m', '64Mi', '500m', '256Mi');

export const istiod: AddonDefinition = {
  name: 'istiod',
  release: 'istiod',
  purpose: 'Istio control plane and sidecar injector (CNI mode: no NET_ADMIN in meshed pods)',
  enabled: (spec) => spec.addons.istio.enabled,
  chartVersionOverride: (spec) => spec.addons.istio.chartVersion,
  namespace: () => ISTIO_NAMESPACE,
  // The injector must never inject istio-init: the CNI agent is in place first.
  dependsOn: () => ['istioBase', 'istioCni'],
  crdGroups: [],
  // Sidecar injection and config validation.
  admissionWebhooks: () => true,
  placement: 'system',
  // At the most its HPA allows (autoscaleMax).
  pods: (spec) => [pod('istiod', haReplicas(spec) + 2, PILOT)],
  values: ({ spec }) => {
    const replicas = haReplicas(spec);
    return {
      global: {
        istioNamespace: ISTIO_NAMESPACE,
        proxy: { resources: SIDECAR, privileged: false },
      },
      pilot: {
        cni: { enabled: true, provider: 'default' },
        replicaCount: replicas,
        autoscaleMin: replicas,
        autoscaleMax: replicas + 2,
        resources: PILOT,
        seccompProfile: { type: 'RuntimeDefault' },
        ...systemPlacement(spec),
      },
      meshConfig: { enablePrometheusMerge: true },
    };
  },
};
