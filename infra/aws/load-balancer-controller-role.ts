/**
 * The AWS Load Balancer Controller's IAM role, assumed through IRSA by exactly one service
 * account (kube-system/aws-load-balancer-controller). Its permissions are upstream's policy
 * for the controller version the pinned chart installs, unchanged
 * (policies/aws-load-balancer-controller-v3.5.0.json, from kubernetes-sigs/
 * aws-load-balancer-controller docs/install/iam_policy.json at v3.5.0). That policy
 * already confines every mutating call on load balancers, target groups and security
 * groups to resources carrying the controller's `elbv2.k8s.aws/cluster` tag; what this
 * module adds is the trust: one service account of one cluster, nothing else.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { irsaTrustPolicy } from './oidc-provider';
import type { ServiceAccountRef } from './autoscaler-role';
import upstreamPolicy from './policies/aws-load-balancer-controller-v3.5.0.json';

/** The controller version the policy file belongs to (must be the pinned chart's appVersion). */
export const LOAD_BALANCER_CONTROLLER_POLICY_VERSION = 'v3.5.0';

/** Where the add-on runs: the IRSA trust names exactly this service account. */
export const LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT: ServiceAccountRef = {
  namespace: 'kube-system',
  name: 'aws-load-balancer-controller',
};

/** Upstream's policy document, as attached. */
export function loadBalancerControllerPolicy(): string {
  return JSON.stringify(upstreamPolicy);
}

export interface LoadBalancerControllerRoleArgs {
  readonly clusterName: string;
  readonly oidcProviderArn: pulumi.Input<string>;
  readonly oidcIssuerHostPath: pulumi.Input<string>;
  /** @default LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT */
  readonly serviceAccount?: ServiceAccountRef;
  /** Tags for every resource. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  readonly provider: aws.Provider;
}

export class LoadBalancerControllerRole extends pulumi.ComponentResource {
  public readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: LoadBalancerControllerRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super('agent-platform:aws:LoadBalancerControllerRole', name, {}, opts);
    const child: pulumi.CustomResourceOptions = { parent: this, provider: args.provider };
    const sa = args.serviceAccount ?? LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT;
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `AWS Load Balancer Controller of EKS cluster ${args.clusterName} (IRSA: ${sa.namespace}/${sa.name})`,
        assumeRolePolicy: irsaTrustPolicy(args.oidcProviderArn, args.oidcIssuerHostPath, sa.namespace, sa.name),
        tags: { ...(args.tags ?? {}) },
      },
      child,
    );
    new aws.iam.RolePolicy(`${name}-policy`, { role: role.name, policy: loadBalancerControllerPolicy() }, child);
    this.roleArn = role.arn;
    this.registerOutputs({ roleArn: this.roleArn });
  }
}
