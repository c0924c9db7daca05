import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { EnvironmentSpec } from '../../config';
import { PlatformChart } from './platform-chart';

/** The policy gate's per-object waiver annotation prefix (`<prefix><rule-id>: <reason>`). */
const WAIVER_PREFIX = 'policy.agent-platform.io/waive.';

/** StorageClasses and VolumeSnapshotClasses declared by the environment (cluster-scoped). */
/** Label by which Velero finds the VolumeSnapshotClass of a CSI driver. */
export const VELERO_CSI_CLASS_LABEL = 'velero.io/csi-volumesnapshot-class';

export class StorageChart extends PlatformChart {
  constructor(scope: Construct, id: string, spec: EnvironmentSpec) {
    super(scope, id, { spec, component: 'storage' });
    // The first class of each CSI driver is the one Velero snapshots volumes with.
    const veleroClasses = new Set(
      spec.volumeSnapshotClasses
        .filter((c, i, all) => all.findIndex((o) => o.driver === c.driver) === i)
        .map((c) => c.name),
    );
    for (const sc of spec.storageClasses) {
      new k8s.KubeStorageClass(this, `StorageClass-${sc.name}`, {
        metadata: {
          name: sc.name,
          annotations: { 'storageclass.kubernetes.io/is-default-class': String(sc.default) },
        },
        provisioner: sc.provisioner,
        parameters: Object.keys(sc.parameters).length > 0 ? sc.parameters : undefined,
        reclaimPolicy: sc.reclaimPolicy,
        volumeBindingMode: sc.volumeBindingMode,
        allowVolumeExpansion: sc.allowVolumeExpansion,
      });
    }
    for (const vsc of spec.volumeSnapshotClasses) {
      // snapshot.storage.k8s.io is a CRD of the external-snapshotter (shipped by the CSI add-on).
      new ApiObject(this, `VolumeSnapshotClass-${vsc.name}`, {
        apiVersion: 'snapshot.storage.k8s.io/v1',
        kind: 'VolumeSnapshotClass',
        metadata: {
          name: vsc.name,
          // Velero takes the class of a CSI driver that carries this label (velero docs, "CSI Snapshot Support").
          ...(spec.backup && veleroClasses.has(vsc.name) ? { labels: { [VELERO_CSI_CLASS_LABEL]: 'true' } } : {}),
          annotations: {
            // The gate validates CRD kinds against the CRDs it is given (../shared/crds/ or --crds).
            [`${WAIVER_PREFIX}schema.unknown-kind`]:
              'snapshot.storage.k8s.io is the CSI external-snapshotter CRD, installed with the CSI driver; pass its CRD with --crds to validate it',
          },
        },
        driver: vsc.driver,
        deletionPolicy: vsc.deletionPolicy,
        ...(Object.keys(vsc.parameters).length > 0 ? { parameters: vsc.parameters } : {}),
      });
    }
  }
}
