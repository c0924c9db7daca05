/**
 * The CSI snapshot controller and the snapshot CRDs (VolumeSnapshot, VolumeSnapshotClass,
 * VolumeSnapshotContent, and the group-snapshot kinds), installed where the environment
 * declares a VolumeSnapshotClass: Kubernetes ships neither, and without the CRDs the
 * VolumeSnapshotClass in dist/ cannot be applied. The CSI driver's own csi-snapshotter
 * sidecar (EBS CSI on EKS) then creates the snapshots. Chart: piraeusdatastore/helm-charts
 * `snapshot-controller` (its templates/crds.yaml installs the CRDs when `installCRDs`).
 */
import { resources, restrictedContainer, restrictedPod, systemPlacement, pod } from './common';
import type { AddonDefinition } from './types';

const CONTROLLER = resources('10m', '32Mi', '200m', '128Mi');

export const snapshotController: AddonDefinition = {
  name: 'snapshotController',
  release: 'snapshot-controller',
  purpose: 'CSI volume snapshots: the snapshot CRDs and their controller (where a VolumeSnapshotClass is declared)',
  enabled: (spec) => spec.addons.snapshotController.enabled && spec.volumeSnapshotClasses.length > 0,
  chartVersionOverride: (spec) => spec.addons.snapshotController.chartVersion,
  namespace: () => 'kube-system',
  dependsOn: () => [],
  crdGroups: ['snapshot.storage.k8s.io', 'groupsnapshot.storage.k8s.io'],
  // The conversion/validation webhook is off (chart default `webhook.enabled: false`).
  admissionWebhooks: () => false,
  placement: 'system',
  pods: () => [pod('controller', 1, CONTROLLER)],
  values: ({ spec }) => ({
    installCRDs: true,
    controller: {
      replicaCount: 1,
      resources: CONTROLLER,
      ...systemPlacement(spec),
      podSecurityContext: restrictedPod(1000),
      securityContext: restrictedContainer(),
    },
  }),
};
