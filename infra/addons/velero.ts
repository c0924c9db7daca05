/**
 * Velero: scheduled backups of Kubernetes objects and volumes to the environment's
 * object storage (config/backup.ts). The schedules themselves are reviewed objects in
 * dist/ (charts-src/charts/backup.ts); this release installs the server, the CRDs,
 * the BackupStorageLocation and, on Hetzner (whose CSI driver has no snapshots), the
 * node agent that backs volumes up file by file with Kopia. On EKS, volumes are CSI
 * snapshots of the EBS driver, and Velero reaches S3 through its IRSA role.
 *
 * Values follow the velero chart 12.1.0 (vmware-tanzu/helm-charts charts/velero,
 * values.yaml): `configuration.backupStorageLocation[]`, `credentials.existingSecret`
 * (key `cloud`, an AWS credentials file, as velero-plugin-for-aws reads it),
 * `deployNodeAgent`, `snapshotsEnabled`, `configuration.features: EnableCSI`.
 */
import {
  BACKUP_IMAGES,
  BACKUP_NAMES,
  BACKUP_SECRETS,
  backupLayout,
  namespaceOf,
  type EnvironmentSpec,
} from '../../config';
import { cloudProfile } from '../../config/clouds';
import {
  nodeAgent,
  notOnAgentPools,
  pod,
  resources,
  restrictedContainer,
  restrictedPod,
  systemPlacement,
  workloadNodeTolerations,
} from './common';
import type { AddonDefinition } from './types';

const SERVER = resources('100m', '256Mi', '1', '1Gi');
const NODE_AGENT = resources('100m', '256Mi', '1', '1Gi');
const PLUGIN = resources('10m', '32Mi', '100m', '64Mi');
/** The Velero image runs as the distroless `nonroot` user. */
const VELERO_UID = 65532;

function requireBackup(spec: EnvironmentSpec) {
  if (!spec.backup) throw new Error('addons.velero: the environment declares no backup');
  return spec.backup;
}

/** On Hetzner volumes are copied file by file (no CSI snapshots); on EKS they are EBS CSI snapshots. */
export const fileSystemBackups = (spec: EnvironmentSpec) =>
  cloudProfile(spec.cloud.provider).volumeBackups === 'file-system';

export const velero: AddonDefinition = {
  name: 'velero',
  release: BACKUP_NAMES.veleroRelease,
  purpose: 'backups: Velero schedules of objects and volumes to the object storage',
  enabled: (spec) => spec.addons.velero.enabled,
  chartVersionOverride: (spec) => spec.addons.velero.chartVersion,
  namespace: (spec) => namespaceOf(spec, 'backup').name,
  // The CSI driver (Hetzner) before the node agent backs up its volumes; the ServiceMonitor's CRD.
  dependsOn: () => ['hcloudCsi', 'kubePrometheusStack'],
  crdGroups: ['velero.io'],
  usesCrdGroups: (spec) => (spec.addons.kubePrometheusStack.enabled ? ['monitoring.coreos.com'] : []),
  admissionWebhooks: () => false,
  placement: 'system',
  // The plugin init container finishes before the server starts and requests less.
  pods: (spec) => [
    pod('server', 1, SERVER),
    ...(fileSystemBackups(spec) ? [nodeAgent('node-agent', 'workload-nodes', NODE_AGENT)] : []),
  ],
  values: ({ spec }) => {
    const backup = requireBackup(spec);
    const layout = backupLayout(backup, spec);
    const fsBackup = fileSystemBackups(spec);
    const placement = systemPlacement(spec);
    return {
      initContainers: [
        {
          name: 'velero-plugin-for-aws',
          image: BACKUP_IMAGES.veleroAwsPlugin,
          imagePullPolicy: 'IfNotPresent',
          resources: PLUGIN,
          securityContext: restrictedContainer(),
          volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
        },
      ],
      resources: SERVER,
      podSecurityContext: restrictedPod(VELERO_UID),
      containerSecurityContext: restrictedContainer(),
      ...placement,
      configuration: {
        backupStorageLocation: [
          {
            name: BACKUP_NAMES.storageLocation,
            provider: 'aws',
            bucket: layout.bucket,
            prefix: layout.folders.velero,
            default: true,
            config: {
              region: layout.region,
              ...(backup.storage.endpoint ? { s3Url: layout.endpoint, s3ForcePathStyle: 'true' } : {}),
            },
          },
        ],
        // No snapshot location: CSI snapshots (EnableCSI) need none, and native EBS snapshots would need EC2 rights.
        volumeSnapshotLocation: [],
        uploaderType: 'kopia',
        defaultVolumesToFsBackup: fsBackup,
        ...(fsBackup ? {} : { features: 'EnableCSI' }),
      },
      // hcloud: the Secret infra/ creates from `pulumi config set --secret`; aws: EKS Pod Identity, no Secret.
      credentials: fsBackup ? { useSecret: true, existingSecret: BACKUP_SECRETS.velero } : { useSecret: false },
      snapshotsEnabled: false,
      deployNodeAgent: fsBackup,
      nodeAgent: {
        resources: NODE_AGENT,
        tolerations: workloadNodeTolerations(spec),
        affinity: notOnAgentPools(spec),
      },
      serviceAccount: { server: { name: BACKUP_NAMES.veleroServiceAccount } },
      // Schedules are reviewed objects in dist/ (charts-src/charts/backup.ts), not chart values.
      schedules: {},
      metrics: { enabled: true, serviceMonitor: { enabled: spec.addons.kubePrometheusStack.enabled } },
    };
  },
};
