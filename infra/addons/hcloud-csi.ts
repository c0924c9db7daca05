/**
 * The Hetzner CSI driver: volumes for Vault's Raft data and Prometheus. The
 * controller runs on the system pool; the node plugin on every pool except the
 * agent pools (agent pods use no volumes). Reads the `hcloud` Secret.
 */
import { notOnAgentPools, resources, systemPlacement, workloadNodeTolerations, pod } from './common';
import { HCLOUD_SECRET, hcloudSecret, requireHcloud } from './hcloud';
import type { AddonDefinition } from './types';

const DRIVER = resources('50m', '64Mi', '250m', '256Mi');
const SIDECAR = resources('10m', '32Mi', '100m', '128Mi');

export const hcloudCsi: AddonDefinition = {
  name: 'hcloudCsi',
  release: 'hcloud-csi',
  purpose: 'Hetzner CSI driver: block volumes (default StorageClass)',
  enabled: (spec) => spec.addons.hcloudCsi.enabled,
  chartVersionOverride: (spec) => spec.addons.hcloudCsi.chartVersion,
  namespace: () => 'kube-system',
  // Nodes must be initialised (provider IDs) before volumes attach.
  dependsOn: () => ['hcloudCcm'],
  crdGroups: [],
  admissionWebhooks: () => false,
  placement: 'workload-nodes',
  pods: () => [
    pod('controller', 1, SIDECAR, SIDECAR, SIDECAR, SIDECAR, DRIVER),
    pod('node', 'per-node', SIDECAR, SIDECAR, DRIVER),
  ],
  values: ({ spec, cluster }) => {
    requireHcloud(cluster.hcloud, 'addons.hcloudCsi');
    return {
      controller: {
        replicaCount: 1,
        hcloudToken: { existingSecret: { name: HCLOUD_SECRET, key: 'token' } },
        resources: {
          csiAttacher: SIDECAR,
          csiResizer: SIDECAR,
          csiProvisioner: SIDECAR,
          livenessProbe: SIDECAR,
          hcloudCSIDriver: DRIVER,
        },
        ...systemPlacement(spec),
      },
      node: {
        resources: { csiNodeDriverRegistrar: SIDECAR, livenessProbe: SIDECAR, hcloudCSIDriver: DRIVER },
        affinity: notOnAgentPools(spec),
        tolerations: workloadNodeTolerations(spec),
      },
      storageClasses: [{ name: 'hcloud-volumes', defaultStorageClass: true, reclaimPolicy: 'Retain' }],
    };
  },
  // The CSI driver only reads the Secret; hcloud-ccm (its dependency) creates it. When
  // the CCM is disabled the driver creates it itself.
  prerequisites: (args) =>
    args.ctx.spec.addons.hcloudCcm.enabled
      ? []
      : [hcloudSecret(args, `${args.name}-secret`, requireHcloud(args.ctx.cluster.hcloud, 'addons.hcloudCsi'))],
};
