/**
 * Cluster components the environment needs because of what it declares, decided once
 * here so that the cloud modules, the add-on layer and the policy gate agree:
 *
 * - GPU pools need the NVIDIA device plugin: without it no node advertises
 *   `nvidia.com/gpu` and every pod requesting one stays Pending. It runs on exactly the
 *   pools with `gpu: true`; the gate refuses a pod requesting GPUs that could land anywhere
 *   else (policy/rules/gpu-placement.ts).
 * - On EKS, the ingress gateway's Service asks for an NLB with
 *   `service.beta.kubernetes.io/aws-load-balancer-type: external`, an annotation only the
 *   AWS Load Balancer Controller acts on (the in-tree cloud provider ignores it), so an
 *   aws environment with the gateway needs the controller (and its IAM role).
 */
import type { EnvironmentSpec, NodePool } from './environment';

/** The extended resource the NVIDIA device plugin advertises. */
export const NVIDIA_GPU_RESOURCE = 'nvidia.com/gpu';

export { awsLoadBalancerControllerNeeded } from './load-balancer-controller-needed';

/** The pools the NVIDIA device plugin runs on: every pool with `gpu: true`, unless the add-on is turned off. */
export function devicePluginPools(spec: Pick<EnvironmentSpec, 'nodePools' | 'addons'>): NodePool[] {
  return spec.addons.nvidiaDevicePlugin.enabled ? spec.nodePools.filter((p) => p.gpu) : [];
}

/** true when this environment installs the AWS Load Balancer Controller (and infra/aws its IAM role). */
export function needsAwsLoadBalancerController(spec: Pick<EnvironmentSpec, 'addons'>): boolean {
  return spec.addons.awsLoadBalancerController.enabled;
}
