/**
 * The cluster autoscaler's IAM role, assumed through IRSA by exactly one service
 * account. It may read every Auto Scaling group (discovery needs that), but may only
 * resize or terminate in groups tagged as owned by this cluster, and only describe
 * this cluster's node groups (labels and taints for scale from zero).
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { irsaTrustPolicy } from './oidc-provider';

/** Tag keys the autoscaler discovers node groups by (set on every managed node group's ASG). */
export const AUTOSCALER_ENABLED_TAG = 'k8s.io/cluster-autoscaler/enabled';
export const autoscalerClusterTag = (clusterName: string) => `k8s.io/cluster-autoscaler/${clusterName}`;

export interface ServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

export interface ClusterAutoscalerRoleArgs {
  readonly clusterName: string;
  /** The cluster's ARN; node group ARNs are derived from it. */
  readonly clusterArn: pulumi.Input<string>;
  readonly oidcProviderArn: pulumi.Input<string>;
  readonly oidcIssuerHostPath: pulumi.Input<string>;
  /** The autoscaler's service account: the only subject the role trusts. */
  readonly serviceAccount: ServiceAccountRef;
  /** Tags for every resource. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  readonly provider: aws.Provider;
}

export class ClusterAutoscalerRole extends pulumi.ComponentResource {
  public readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: ClusterAutoscalerRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super('agent-platform:aws:ClusterAutoscalerRole', name, {}, opts);
    const child: pulumi.CustomResourceOptions = { parent: this, provider: args.provider };
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `cluster-autoscaler of EKS cluster ${args.clusterName} (IRSA: ${args.serviceAccount.namespace}/${args.serviceAccount.name})`,
        assumeRolePolicy: irsaTrustPolicy(
          args.oidcProviderArn,
          args.oidcIssuerHostPath,
          args.serviceAccount.namespace,
          args.serviceAccount.name,
        ),
        tags: { ...(args.tags ?? {}) },
      },
      child,
    );
    new aws.iam.RolePolicy(
      `${name}-policy`,
      { role: role.name, policy: autoscalerPolicy(args.clusterName, args.clusterArn) },
      child,
    );
    this.roleArn = role.arn;
    this.registerOutputs({ roleArn: this.roleArn });
  }
}

/** The autoscaler's permissions (the upstream minimal policy, scoped to this cluster). */
export function autoscalerPolicy(clusterName: string, clusterArn: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.output(clusterArn).apply((arn) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Discover',
          Effect: 'Allow',
          Action: [
            'autoscaling:DescribeAutoScalingGroups',
            'autoscaling:DescribeAutoScalingInstances',
            'autoscaling:DescribeLaunchConfigurations',
            'autoscaling:DescribeScalingActivities',
            'autoscaling:DescribeTags',
            'ec2:DescribeImages',
            'ec2:DescribeInstanceTypes',
            'ec2:DescribeLaunchTemplateVersions',
            'ec2:GetInstanceTypesFromInstanceRequirements',
          ],
          Resource: '*',
        },
        {
          Sid: 'ScaleOwnedGroups',
          Effect: 'Allow',
          Action: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
          Resource: '*',
          Condition: {
            StringEquals: {
              [`aws:ResourceTag/${autoscalerClusterTag(clusterName)}`]: 'owned',
              [`aws:ResourceTag/${AUTOSCALER_ENABLED_TAG}`]: 'true',
            },
          },
        },
        {
          Sid: 'DescribeOwnNodeGroups',
          Effect: 'Allow',
          Action: ['eks:DescribeNodegroup'],
          Resource: `${arn.replace(':cluster/', ':nodegroup/')}/*`,
        },
      ],
    }),
  );
}
