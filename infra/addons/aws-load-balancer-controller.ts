/**
 * The AWS Load Balancer Controller (EKS only): provisions the NLB the ingress gateway's
 * Service asks for (`aws-load-balancer-type: external`, `nlb-target-type: ip`), which
 * nothing else on EKS acts on. Enabled exactly when config/cluster-needs.ts says the
 * environment needs it; the cloud module creates its IRSA role (infra/aws/
 * load-balancer-controller-role.ts) and passes the role, region and VPC.
 *
 * `region` and `vpcId` are given explicitly: node IMDS answers only one hop away
 * (launch template hop limit 1), so the controller pod cannot discover them itself.
 * No IngressClass or IngressClassParams is created: the platform uses no Ingress objects.
 * The chart registers a mutating webhook for Services (failurePolicy Fail) and one for
 * pods, so the gateway release and every manifest wait for it.
 */
import { needsAwsLoadBalancerController } from '../../config';
import { haReplicas, pod, resources, restrictedContainer, restrictedPod, systemPlacement } from './common';
import type { AddonContext, AddonDefinition } from './types';

const CONTROLLER = resources('100m', '128Mi', '500m', '512Mi');
/** The service account the IRSA role trusts (infra/aws LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT). */
export const LOAD_BALANCER_CONTROLLER_SA = 'aws-load-balancer-controller';

function controllerValues({ spec, cluster }: AddonContext): Record<string, unknown> {
  const aws = cluster.aws;
  if (!aws?.loadBalancerControllerRoleArn) {
    throw new Error(
      'the AWS Load Balancer Controller is enabled but the cluster gave no IRSA role for it (ClusterResult.aws.loadBalancerControllerRoleArn); ' +
        'infra/aws creates it when config/cluster-needs.ts needsAwsLoadBalancerController(spec) is true',
    );
  }
  return {
    clusterName: cluster.name,
    region: aws.region,
    vpcId: aws.vpcId,
    replicaCount: haReplicas(spec),
    serviceAccount: {
      create: true,
      name: LOAD_BALANCER_CONTROLLER_SA,
      annotations: { 'eks.amazonaws.com/role-arn': aws.loadBalancerControllerRoleArn },
    },
    createIngressClassResource: false,
    ingressClassParams: { create: false },
    resources: CONTROLLER,
    ...systemPlacement(spec),
    podSecurityContext: restrictedPod(65534),
    securityContext: restrictedContainer(),
  };
}

export const awsLoadBalancerController: AddonDefinition = {
  name: 'awsLoadBalancerController',
  release: 'aws-load-balancer-controller',
  purpose: 'provisions the ingress gateway NLB on EKS (Service annotations aws-load-balancer-*)',
  enabled: needsAwsLoadBalancerController,
  chartVersionOverride: (spec) => spec.addons.awsLoadBalancerController.chartVersion,
  namespace: () => 'kube-system',
  dependsOn: () => [],
  crdGroups: ['elbv2.k8s.aws', 'aga.k8s.aws', 'gateway.k8s.aws'],
  admissionWebhooks: () => true,
  placement: 'system',
  pods: (spec) => [pod('controller', haReplicas(spec), CONTROLLER)],
  values: controllerValues,
};
