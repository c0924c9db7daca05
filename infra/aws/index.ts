/**
 * infra/aws: an environment with `cloud.provider: aws` as an EKS cluster with managed
 * node groups. The program (infra/program.ts) calls `createEksCluster` and hands the
 * result to the add-on layer, which never imports this module.
 */
import type * as pulumi from '@pulumi/pulumi';
import type { EnvironmentSpec } from '../../config';
import type { ClusterResult } from '../cluster';
import { EksCluster, type EksClusterArgs } from './eks-cluster';

export { EksCluster, CONTROL_PLANE_LOG_TYPES, DEFAULT_AUTOSCALER_SERVICE_ACCOUNT } from './eks-cluster';
export type { EksClusterArgs, EksClusterComponentArgs } from './eks-cluster';
export { EksVpc, type EksVpcArgs, type NatGatewayMode } from './vpc';
export { planSubnets, zoneSlot, type ZoneSubnets } from './subnet-plan';
export { SecretsKey, type SecretsKeyArgs } from './secrets-key';
export { EksClusterRole, type EksClusterRoleArgs } from './cluster-role';
export { NodeRole, NODE_POLICIES, type NodeRoleArgs } from './node-role';
export { ClusterOidcProvider, irsaTrustPolicy, IRSA_AUDIENCE, type ClusterOidcProviderArgs } from './oidc-provider';
export {
  ClusterAutoscalerRole,
  autoscalerPolicy,
  AUTOSCALER_ENABLED_TAG,
  autoscalerClusterTag,
  type ClusterAutoscalerRoleArgs,
  type ServiceAccountRef,
} from './autoscaler-role';
export {
  LoadBalancerControllerRole,
  loadBalancerControllerPolicy,
  LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
  LOAD_BALANCER_CONTROLLER_POLICY_VERSION,
  type LoadBalancerControllerRoleArgs,
} from './load-balancer-controller-role';
export { ClusterAdmins, type ClusterAdminsArgs } from './access-entries';
export {
  ManagedNodeGroup,
  amiTypeFor,
  autoscalerTags,
  poolProblems,
  EKS_TAINT_EFFECTS,
  DESIRED_SIZE_PATH,
  type ManagedNodeGroupArgs,
} from './node-group';
export {
  gvisorUserData,
  gvisorInstallScript,
  USER_DATA_BOUNDARY,
  type GvisorUserDataOptions,
} from './gvisor-user-data';
export { VpcCniAddon, VPC_CNI_CONFIGURATION, type VpcCniAddonArgs } from './vpc-cni';
export { EbsCsiDriver, EBS_CSI_SERVICE_ACCOUNT, DEFAULT_STORAGE_CLASS, type EbsCsiDriverArgs } from './ebs-csi-driver';
export { eksKubeconfig, type KubeconfigArgs } from './kubeconfig';

/**
 * Builds the EKS cluster of an aws environment and returns what the add-on layer
 * needs: the admin kubeconfig (secret), an explicit Kubernetes provider, the cluster
 * autoscaler's inputs (auto-discovery by tags, IRSA role) and what to wait for.
 */
export function createEksCluster(
  name: string,
  spec: EnvironmentSpec,
  args: EksClusterArgs = {},
  opts?: pulumi.ComponentResourceOptions,
): ClusterResult & { readonly component: EksCluster } {
  const component = new EksCluster(name, { ...args, spec }, opts);
  return {
    component,
    name: component.clusterName,
    kubeconfig: component.kubeconfig,
    provider: component.kubernetesProvider,
    autoscaler: component.autoscaler,
    aws: component.awsInputs,
    ...(component.edge.dnsRoles ? { dnsRoles: component.edge.dnsRoles } : {}),
    readyResources: component.readyResources,
  };
}
