/**
 * The object-storage credentials of the backups on Hetzner, as Kubernetes Secrets
 * created by Pulumi from `pulumi config set --secret agent-platform:backupAccessKeyId`
 * and `backupSecretAccessKey`: never in user data, dist/ or Helm values.
 *
 * - kube-system/k3s-etcd-snapshot-s3-config: read by k3s itself (`etcd-s3-config-secret`)
 *   with the `etcd-s3-*` keys (k3s-io/k3s#10487, "Add etcd snapshot s3 config secret
 *   support", v1.30.3+), so the node config carries no credentials.
 * - <backup>/velero-credentials: key `cloud`, an AWS credentials file
 *   (vmware-tanzu/velero-plugin-for-aws README, "Create S3 credentials").
 * - <vault>/vault-snapshot-s3: environment for the snapshot job's upload (aws CLI).
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { BACKUP_SECRETS, backupLayout, namespaceOf, type EnvironmentSpec } from '../../config';

export interface ObjectStorageCredentials {
  readonly accessKeyId: pulumi.Output<string>;
  readonly secretAccessKey: pulumi.Output<string>;
}

export interface BackupCredentialSecretsArgs {
  readonly spec: EnvironmentSpec;
  readonly credentials: ObjectStorageCredentials;
  readonly provider: k8s.Provider;
  /** The namespaces must exist first. */
  readonly after: readonly pulumi.Resource[];
}

export class BackupCredentialSecrets extends pulumi.ComponentResource {
  /** Secret per use: etcd (k3s), velero, vault. */
  readonly secrets: Readonly<Partial<Record<keyof typeof BACKUP_SECRETS, k8s.core.v1.Secret>>>;

  constructor(name: string, args: BackupCredentialSecretsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('agent-platform:backup:CredentialSecrets', name, {}, opts);
    const { spec, credentials } = args;
    if (!spec.backup) throw new Error('BackupCredentialSecrets: the environment declares no backup');
    const layout = backupLayout(spec.backup, spec);
    const child = { parent: this, provider: args.provider, dependsOn: [...args.after] };
    const secret = (id: string, namespace: string, secretName: string, data: pulumi.Input<Record<string, string>>) =>
      new k8s.core.v1.Secret(
        `${name}-${id}`,
        { metadata: { name: secretName, namespace }, type: 'Opaque', stringData: pulumi.secret(data) },
        child,
      );
    const keys = pulumi.all([credentials.accessKeyId, credentials.secretAccessKey]);
    this.secrets = {
      etcd: secret(
        'etcd',
        'kube-system',
        BACKUP_SECRETS.etcd,
        keys.apply(([id, key]): Record<string, string> => ({
          'etcd-s3-endpoint': new URL(layout.endpoint).host,
          'etcd-s3-region': layout.region,
          'etcd-s3-bucket': layout.bucket,
          'etcd-s3-folder': layout.folders.etcd,
          'etcd-s3-access-key': id,
          'etcd-s3-secret-key': key,
        })),
      ),
      velero: secret(
        'velero',
        namespaceOf(spec, 'backup').name,
        BACKUP_SECRETS.velero,
        keys.apply(([id, key]): Record<string, string> => ({
          cloud: `[default]\naws_access_key_id=${id}\naws_secret_access_key=${key}\n`,
        })),
      ),
      ...(spec.addons.vault.enabled
        ? {
            vault: secret(
              'vault',
              namespaceOf(spec, 'vault').name,
              BACKUP_SECRETS.vault,
              keys.apply(([id, key]): Record<string, string> => ({
                AWS_ACCESS_KEY_ID: id,
                AWS_SECRET_ACCESS_KEY: key,
              })),
            ),
          }
        : {}),
    };
    this.registerOutputs({});
  }
}
