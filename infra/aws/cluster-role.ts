/**
 * The IAM role the EKS control plane assumes: the managed cluster policy, plus the
 * KMS permissions envelope encryption of Secrets needs on the cluster's own key.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface EksClusterRoleArgs {
  /** ARN of the KMS key that encrypts Kubernetes Secrets. */
  readonly secretsKeyArn: pulumi.Input<string>;
  /** AWS partition (`aws`, `aws-cn`, `aws-us-gov`) for managed policy ARNs. */
  readonly partition: pulumi.Input<string>;
  /** Tags for every resource. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  readonly provider: aws.Provider;
}

export class EksClusterRole extends pulumi.ComponentResource {
  public readonly roleArn: pulumi.Output<string>;
  public readonly roleName: pulumi.Output<string>;
  /** Resources the cluster must wait for (EKS needs the permissions at creation and deletion). */
  public readonly attachments: pulumi.Resource[];

  constructor(name: string, args: EksClusterRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super('agent-platform:aws:EksClusterRole', name, {}, opts);
    const child: pulumi.CustomResourceOptions = { parent: this, provider: args.provider };
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: 'EKS control plane',
        assumeRolePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'eks.amazonaws.com' },
              Action: ['sts:AssumeRole', 'sts:TagSession'],
            },
          ],
        }),
        tags: { ...(args.tags ?? {}) },
      },
      child,
    );
    const clusterPolicy = new aws.iam.RolePolicyAttachment(
      `${name}-cluster-policy`,
      { role: role.name, policyArn: pulumi.interpolate`arn:${args.partition}:iam::aws:policy/AmazonEKSClusterPolicy` },
      child,
    );
    const encryption = new aws.iam.RolePolicy(
      `${name}-secrets-encryption`,
      {
        role: role.name,
        policy: pulumi.jsonStringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'],
              Resource: args.secretsKeyArn,
            },
          ],
        }),
      },
      child,
    );
    this.roleArn = role.arn;
    this.roleName = role.name;
    this.attachments = [clusterPolicy, encryption];
    this.registerOutputs({ roleArn: this.roleArn });
  }
}
