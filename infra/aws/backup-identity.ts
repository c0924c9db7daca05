/**
 * Cloud identities of the backup pods on EKS, through EKS Pod Identity: one IAM role
 * per backup writer (Velero; the Vault snapshot job), each allowed only its own folder
 * of the backup bucket, associated with exactly one service account. Pod Identity
 * needs no role ARN in the service account, so the snapshot job's reviewed manifests in
 * dist/ stay free of account-specific values (docs.aws.amazon.com/eks, "Learn how EKS
 * Pod Identity grants pods access to AWS services"; the trust principal is
 * `pods.eks.amazonaws.com` with sts:AssumeRole and sts:TagSession).
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface BackupWriter {
  /** Short id in resource names (`velero`). */
  readonly id: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Folder of the bucket this writer may read, write and delete in. */
  readonly folder: string;
}

export interface BackupIdentitiesArgs {
  readonly clusterName: pulumi.Input<string>;
  readonly bucket: string;
  readonly writers: readonly BackupWriter[];
  readonly partition: pulumi.Input<string>;
  /** Tags for every resource. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  readonly provider: aws.Provider;
}

/** The trust policy of a role assumed through EKS Pod Identity. */
export const POD_IDENTITY_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
    },
  ],
});

/** S3 permissions on one folder of one bucket, and nothing else. */
export function folderPolicy(partition: pulumi.Input<string>, bucket: string, folder: string): pulumi.Output<string> {
  return pulumi.output(partition).apply((p) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Objects',
          Effect: 'Allow',
          Action: [
            's3:GetObject',
            's3:PutObject',
            's3:DeleteObject',
            's3:AbortMultipartUpload',
            's3:ListMultipartUploadParts',
          ],
          Resource: `arn:${p}:s3:::${bucket}/${folder}/*`,
        },
        {
          Sid: 'List',
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: `arn:${p}:s3:::${bucket}`,
          Condition: { StringLike: { 's3:prefix': [`${folder}/*`, folder] } },
        },
      ],
    }),
  );
}

export class BackupIdentities extends pulumi.ComponentResource {
  /** Resources the backup pods must wait for (agent add-on, associations). */
  public readonly ready: pulumi.Resource[];

  constructor(name: string, args: BackupIdentitiesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('agent-platform:aws:BackupIdentities', name, {}, opts);
    const child: pulumi.CustomResourceOptions = { parent: this, provider: args.provider };
    const tags = { ...(args.tags ?? {}) };
    const agent = new aws.eks.Addon(
      `${name}-pod-identity-agent`,
      { clusterName: args.clusterName, addonName: 'eks-pod-identity-agent', tags },
      child,
    );
    this.ready = [agent];
    for (const writer of args.writers) {
      const role = new aws.iam.Role(
        `${name}-${writer.id}`,
        {
          description: `backups: ${writer.namespace}/${writer.serviceAccount} writes s3://${args.bucket}/${writer.folder}/`,
          assumeRolePolicy: POD_IDENTITY_TRUST,
          tags,
        },
        child,
      );
      new aws.iam.RolePolicy(
        `${name}-${writer.id}-s3`,
        { role: role.name, policy: folderPolicy(args.partition, args.bucket, writer.folder) },
        child,
      );
      this.ready.push(
        new aws.eks.PodIdentityAssociation(
          `${name}-${writer.id}`,
          {
            clusterName: args.clusterName,
            namespace: writer.namespace,
            serviceAccount: writer.serviceAccount,
            roleArn: role.arn,
            tags,
          },
          { ...child, dependsOn: [agent] },
        ),
      );
    }
    this.registerOutputs({});
  }
}
