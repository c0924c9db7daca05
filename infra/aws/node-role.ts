/**
 * The IAM role every managed node assumes: join the cluster (worker policy), let the
 * VPC CNI manage pod addresses (CNI policy), pull from ECR (read only), and be reached
 * through Session Manager instead of SSH (SSM core). Pods cannot use it: the launch
 * template's IMDS hop limit of 1 keeps node credentials away from pod network namespaces.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

/** The AWS managed policies on the node role, by purpose. */
export const NODE_POLICIES = {
  worker: 'AmazonEKSWorkerNodePolicy',
  cni: 'AmazonEKS_CNI_Policy',
  ecrReadOnly: 'AmazonEC2ContainerRegistryReadOnly',
  ssm: 'AmazonSSMManagedInstanceCore',
} as const;

export interface NodeRoleArgs {
  /** AWS partition for managed policy ARNs. */
  readonly partition: pulumi.Input<string>;
  /** Tags for every resource. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  readonly provider: aws.Provider;
}

export class NodeRole extends pulumi.ComponentResource {
  public readonly roleArn: pulumi.Output<string>;
  public readonly roleName: pulumi.Output<string>;
  /** Node groups must wait for these: nodes without them never join. */
  public readonly attachments: pulumi.Resource[];

  constructor(name: string, args: NodeRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super('agent-platform:aws:NodeRole', name, {}, opts);
    const child: pulumi.CustomResourceOptions = { parent: this, provider: args.provider };
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: 'EKS managed nodes',
        assumeRolePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
        tags: { ...(args.tags ?? {}) },
      },
      child,
    );
    this.attachments = Object.entries(NODE_POLICIES).map(
      ([purpose, policy]) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-${purpose}`,
          { role: role.name, policyArn: pulumi.interpolate`arn:${args.partition}:iam::aws:policy/${policy}` },
          child,
        ),
    );
    this.roleArn = role.arn;
    this.roleName = role.name;
    this.registerOutputs({ roleArn: this.roleArn });
  }
}
