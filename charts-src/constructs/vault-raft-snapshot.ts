import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { BACKUP_IMAGES, BACKUP_NAMES, BACKUP_SECRETS, VAULT_CA_SECRET, type BackupLayout } from '../../config';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from './pod-security';
import { NAME_LABEL } from './workload-identity';

export interface VaultRaftSnapshotProps {
  /** The vault namespace. */
  readonly namespace: string;
  /** Five-field cron schedule (UTC). */
  readonly schedule: string;
  /** Snapshots kept in the bucket; older ones are deleted after each upload. */
  readonly retention: number;
  /** The object storage: endpoint, region, bucket and the folder of Vault snapshots. */
  readonly layout: BackupLayout;
  /** Address of the active Vault server, e.g. `https://vault-active.lobstack-vault.svc:8200` (TLS only, verified against `vault-ca`). */
  readonly vaultAddress: string;
  /**
   * `secret`: the upload reads AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY from the Secret
   * infra/ creates (hcloud); `workload-identity`: the service account's cloud role (EKS Pod Identity).
   */
  readonly credentials: 'secret' | 'workload-identity';
  /** nodeSelector and tolerations of the pool it runs on. */
  readonly scheduling: { readonly nodeSelector: Record<string, string>; readonly tolerations: k8s.Toleration[] };
}

/** Pod labels of the snapshot job (its egress to the object storage selects them). */
export const VAULT_SNAPSHOT_LABELS = { [NAME_LABEL]: BACKUP_NAMES.vaultSnapshotJob } as const;
const VAULT_UID = 100;
const UPLOAD_UID = 1000;
const TOKEN_PATH = '/var/run/secrets/vault';
/** Where the Vault CLI finds the internal CA that signs Vault's certificate. */
const VAULT_CA_DIR = '/vault/tls';

/**
 * Saves a Raft snapshot of Vault on a schedule and uploads it to the object storage.
 * The snapshot container logs in with Kubernetes auth (role `raft-snapshot`, a
 * short-lived projected token; never a root token) and runs `vault operator raft
 * snapshot save` (hashicorp/vault docs: commands/operator/raft, "snapshot save");
 * the upload container copies it to `<prefix>/vault/` and prunes all but the newest
 * `retention` snapshots. Both containers are restricted; the snapshot passes through a
 * size-limited emptyDir, never a volume that outlives the pod.
 */
export class VaultRaftSnapshot extends Construct {
  readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: VaultRaftSnapshotProps) {
    super(scope, id);
    const { namespace, layout } = props;
    const name = BACKUP_NAMES.vaultSnapshotJob;
    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: BACKUP_NAMES.vaultSnapshotServiceAccount, namespace },
      automountServiceAccountToken: false,
    });
    const s3 = `--endpoint-url "$S3_ENDPOINT" --region "$S3_REGION"`;
    const upload = [
      'set -eu',
      `aws s3 cp /snapshots/ "s3://$S3_BUCKET/$S3_FOLDER/" --recursive ${s3}`,
      // Snapshot names sort by time: delete all but the newest $RETENTION.
      `aws s3api list-objects-v2 --bucket "$S3_BUCKET" --prefix "$S3_FOLDER/" ${s3} --query 'sort_by(Contents,&Key)[].Key' --output text \\`,
      `  | tr '\\t' '\\n' | grep -v '^None$' | grep . | head -n "-$RETENTION" \\`,
      `  | while read -r key; do aws s3 rm "s3://$S3_BUCKET/$key" ${s3}; done`,
    ].join('\n');
    const snapshot = [
      'set -eu',
      `VAULT_TOKEN="$(vault write -field=token auth/kubernetes/login role=${BACKUP_NAMES.vaultSnapshotRole} jwt=@${TOKEN_PATH}/token)"`,
      'export VAULT_TOKEN',
      'vault operator raft snapshot save "/snapshots/vault-$(date -u +%Y%m%dT%H%M%SZ).snap"',
    ].join('\n');
    const tmp = { name: 'tmp', mountPath: '/tmp' };
    const snapshots = { name: 'snapshots', mountPath: '/snapshots' };
    this.resource = new k8s.KubeCronJob(this, 'Resource', {
      metadata: {
        name,
        namespace,
        labels: VAULT_SNAPSHOT_LABELS,
        // infra/backup/credentials.ts creates the credentials Secret from Pulumi secrets (never in
        // dist/); cert-manager writes `vault-ca` from its Certificate (certificates.yaml).
        annotations: {
          'policy.agent-platform.io/external': [
            `Secret/${VAULT_CA_SECRET}`,
            ...(props.credentials === 'secret' ? [`Secret/${BACKUP_SECRETS.vault}`] : []),
          ].join(','),
        },
      },
      spec: {
        schedule: props.schedule,
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels: VAULT_SNAPSHOT_LABELS },
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: 1800,
            template: {
              metadata: { labels: VAULT_SNAPSHOT_LABELS },
              spec: {
                restartPolicy: 'Never',
                serviceAccountName: BACKUP_NAMES.vaultSnapshotServiceAccount,
                automountServiceAccountToken: false,
                securityContext: restrictedPodSecurityContext(UPLOAD_UID),
                nodeSelector: props.scheduling.nodeSelector,
                tolerations: props.scheduling.tolerations,
                initContainers: [
                  {
                    name: 'snapshot',
                    image: BACKUP_IMAGES.vaultCli,
                    command: ['/bin/sh', '-c', snapshot],
                    env: [
                      { name: 'VAULT_ADDR', value: props.vaultAddress },
                      { name: 'VAULT_CACERT', value: `${VAULT_CA_DIR}/ca.crt` },
                      { name: 'HOME', value: '/tmp' },
                    ],
                    resources: limits('50m', '64Mi', '500m', '256Mi'),
                    securityContext: restrictedContainerSecurityContext(VAULT_UID),
                    volumeMounts: [
                      tmp,
                      snapshots,
                      { name: 'vault-token', mountPath: TOKEN_PATH, readOnly: true },
                      { name: 'vault-ca', mountPath: VAULT_CA_DIR, readOnly: true },
                    ],
                  },
                ],
                containers: [
                  {
                    name: 'upload',
                    image: BACKUP_IMAGES.awsCli,
                    command: ['/bin/sh', '-c', upload],
                    env: [
                      { name: 'S3_ENDPOINT', value: layout.endpoint },
                      { name: 'S3_REGION', value: layout.region },
                      { name: 'S3_BUCKET', value: layout.bucket },
                      { name: 'S3_FOLDER', value: layout.folders.vault },
                      { name: 'RETENTION', value: String(props.retention) },
                      { name: 'HOME', value: '/tmp' },
                    ],
                    envFrom:
                      props.credentials === 'secret' ? [{ secretRef: { name: BACKUP_SECRETS.vault } }] : undefined,
                    resources: limits('50m', '128Mi', '500m', '512Mi'),
                    securityContext: restrictedContainerSecurityContext(UPLOAD_UID),
                    volumeMounts: [tmp, { ...snapshots, readOnly: true }],
                  },
                ],
                volumes: [
                  { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } },
                  // The internal CA only (cert-manager's `vault-ca` Secret of this namespace).
                  {
                    name: 'vault-ca',
                    secret: { secretName: VAULT_CA_SECRET, items: [{ key: 'ca.crt', path: 'ca.crt' }] },
                  },
                  // Raft snapshots are about the size of Vault's data (addons.vault.storage bounds it).
                  { name: 'snapshots', emptyDir: { sizeLimit: k8s.Quantity.fromString('2Gi') } },
                  {
                    name: 'vault-token',
                    projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 600 } }] },
                  },
                ],
              },
            },
          },
        },
      },
    });
  }
}

function limits(requestCpu: string, requestMemory: string, limitCpu: string, limitMemory: string) {
  return {
    requests: { cpu: k8s.Quantity.fromString(requestCpu), memory: k8s.Quantity.fromString(requestMemory) },
    limits: { cpu: k8s.Quantity.fromString(limitCpu), memory: k8s.Quantity.fromString(limitMemory) },
  };
}
