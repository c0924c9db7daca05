/**
 * Who administers the cluster. Authentication mode is API (no aws-auth ConfigMap):
 * each admin principal gets an access entry and the AmazonEKSClusterAdminPolicy at
 * cluster scope. The deploying principal is one of them, explicitly, so that Pulumi
 * (not the cluster's creation side effect) owns that grant and can remove it.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { PLATFORM_DEPLOYER_GROUP } from '../../config';

export interface ClusterAdminsArgs {
  readonly clusterName: pulumi.Input<string>;
  /** IAM role or user ARNs (never STS session ARNs), keyed by a stable name. */
  readonly principals: Readonly<Record<string, pulumi.Input<string>>>;
  /** AWS partition for the access policy ARN. */
  readonly partition: pulumi.Input<string>;
  /** Tags for every resource. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  readonly provider: aws.Provider;
}

export class ClusterAdmins extends pulumi.ComponentResource {
  /** Policy associations: anything that talks to the cluster must wait for these. */
  public readonly associations: pulumi.Resource[];

  constructor(name: string, args: ClusterAdminsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('agent-platform:aws:ClusterAdmins', name, {}, opts);
    const child: pulumi.CustomResourceOptions = { parent: this, provider: args.provider };
    const keys = Object.keys(args.principals);
    if (keys.length === 0) {
      throw new pulumi.InputPropertyError({
        propertyPath: 'principals',
        reason: "'principals' is empty: a cluster in API authentication mode needs at least one admin access entry",
      });
    }
    this.associations = keys.map((key) => {
      const principalArn = args.principals[key]!;
      const entry = new aws.eks.AccessEntry(
        `${name}-${key}`,
        {
          clusterName: args.clusterName,
          principalArn,
          type: 'STANDARD',
          // The tenant NetworkPolicy admission policy exempts the platform's deployers by this group.
          kubernetesGroups: [PLATFORM_DEPLOYER_GROUP],
          tags: { ...(args.tags ?? {}) },
        },
        child,
      );
      return new aws.eks.AccessPolicyAssociation(
        `${name}-${key}-cluster-admin`,
        {
          clusterName: args.clusterName,
          principalArn: entry.principalArn,
          policyArn: pulumi.interpolate`arn:${args.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
          accessScope: { type: 'cluster' },
        },
        child,
      );
    });
    this.registerOutputs({});
  }
}
