/**
 * The Hetzner cloud controller manager: initialises nodes (provider IDs, addresses,
 * removes the `uninitialized` taint), creates load balancers for LoadBalancer
 * Services, and routes pod traffic through the private network (`networking`).
 * It owns the `hcloud` Secret (token + network) the CSI driver also reads.
 */
import { K3S_CLUSTER_CIDR } from '../../config';
import { pod, resources, systemPlacement } from './common';
import { HCLOUD_SECRET, hcloudSecret, requireHcloud } from './hcloud';
import type { AddonDefinition } from './types';

const CCM = resources('100m', '64Mi', '500m', '256Mi');

/**
 * Taints the CCM must tolerate besides the system pool's. The chart's Deployment
 * already tolerates `node.cloudprovider.kubernetes.io/uninitialized`, CriticalAddonsOnly,
 * the control-plane taints and `node.kubernetes.io/not-ready:NoExecute`, and appends
 * `additionalTolerations` (hcloud-cloud-controller-manager chart 1.27.0,
 * templates/deployment.yaml; it has no `tolerations` value). Before the CCM runs, nodes
 * are also not-ready with effect NoSchedule.
 */
const BOOTSTRAP_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' },
] as const;

export const hcloudCcm: AddonDefinition = {
  name: 'hcloudCcm',
  release: 'hcloud-ccm',
  purpose: 'Hetzner cloud controller manager: node initialisation, load balancers, private-network routes',
  enabled: (spec) => spec.addons.hcloudCcm.enabled,
  chartVersionOverride: (spec) => spec.addons.hcloudCcm.chartVersion,
  namespace: () => 'kube-system',
  dependsOn: () => [],
  crdGroups: [],
  admissionWebhooks: () => false,
  placement: 'system',
  pods: () => [pod('cloud-controller-manager', 1, CCM)],
  values: ({ spec, cluster }) => {
    const hcloud = requireHcloud(cluster.hcloud, 'addons.hcloudCcm');
    const placement = systemPlacement(spec);
    return {
      replicaCount: 1,
      env: {
        HCLOUD_TOKEN: { valueFrom: { secretKeyRef: { name: HCLOUD_SECRET, key: 'token' } } },
        HCLOUD_LOAD_BALANCERS_LOCATION: { value: spec.cloud.locations[0]! },
        HCLOUD_LOAD_BALANCERS_USE_PRIVATE_IP: { value: 'true' },
      },
      networking: {
        enabled: true,
        clusterCIDR: hcloud.podCidr ?? K3S_CLUSTER_CIDR,
        network: { valueFrom: { secretKeyRef: { name: HCLOUD_SECRET, key: 'network' } } },
      },
      resources: CCM,
      nodeSelector: placement.nodeSelector,
      additionalTolerations: [...placement.tolerations, ...BOOTSTRAP_TOLERATIONS],
    };
  },
  prerequisites: (args) => [
    hcloudSecret(args, `${args.name}-secret`, requireHcloud(args.ctx.cluster.hcloud, 'addons.hcloudCcm')),
  ],
};
