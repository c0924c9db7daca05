/**
 * The customer-managed KMS key that envelope-encrypts Kubernetes Secrets in etcd.
 * Rotation is on (yearly); deletion waits 30 days, so a mistaken delete can be undone.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface SecretsKeyArgs {
  /** EKS cluster name: the alias is `alias/<cluster>-secrets`. */
  readonly clusterName: string;
  /** Days before a scheduled deletion happens (7-30). @default 30 */
  readonly deletionWindowInDays?: number;
  /** Tags for every resource. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  readonly provider: aws.Provider;
}

export class SecretsKey extends pulumi.ComponentResource {
  public readonly keyArn: pulumi.Output<string>;
  public readonly aliasName: pulumi.Output<string>;

  constructor(name: string, args: SecretsKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super('agent-platform:aws:SecretsKey', name, {}, opts);
    const window = args.deletionWindowInDays ?? 30;
    if (!Number.isInteger(window) || window < 7 || window > 30) {
      throw new pulumi.InputPropertyError({
        propertyPath: 'deletionWindowInDays',
        reason: `'deletionWindowInDays' (${window}) must be a whole number of days from 7 to 30 (the KMS limits)`,
      });
    }
    const child: pulumi.CustomResourceOptions = { parent: this, provider: args.provider };
    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Envelope encryption of Kubernetes Secrets in EKS cluster ${args.clusterName}`,
        keyUsage: 'ENCRYPT_DECRYPT',
        customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
        enableKeyRotation: true,
        deletionWindowInDays: window,
        tags: { ...(args.tags ?? {}), Name: `${args.clusterName}-secrets` },
      },
      child,
    );
    const alias = new aws.kms.Alias(
      `${name}-alias`,
      { name: `alias/${args.clusterName}-secrets`, targetKeyId: key.keyId },
      child,
    );
    this.keyArn = key.arn;
    this.aliasName = alias.name;
    this.registerOutputs({ keyArn: this.keyArn });
  }
}
