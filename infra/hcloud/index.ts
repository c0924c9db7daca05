/**
 * The Hetzner Cloud module: `createHcloudCluster` builds a k3s cluster from the
 * environment model and returns what the add-on layer needs (infra/cluster.ts).
 */
import type * as pulumi from '@pulumi/pulumi';
import type { EnvironmentSpec } from '../../config';
import type { ClusterResult } from '../cluster';
import { HcloudCluster } from './cluster';

export interface HcloudClusterResult extends ClusterResult {
  /** The component, for stack outputs and tests. */
  readonly cluster: HcloudCluster;
  /** The nodes' SSH private key (secret). */
  readonly sshPrivateKey: pulumi.Output<string>;
}

export function createHcloudCluster(
  name: string,
  spec: EnvironmentSpec,
  args: { token: pulumi.Output<string> },
  opts?: pulumi.ComponentResourceOptions,
): HcloudClusterResult {
  const cluster = new HcloudCluster(name, { spec, token: args.token }, opts);
  return {
    cluster,
    name: cluster.clusterName,
    kubeconfig: cluster.kubeconfig,
    provider: cluster.k8sProvider,
    autoscaler: cluster.autoscaler,
    hcloud: {
      token: cluster.autoscaler.env.HCLOUD_TOKEN as pulumi.Output<string>,
      networkName: cluster.network.network.name,
    },
    readyResources: cluster.readyResources,
    sshPrivateKey: cluster.sshPrivateKey,
  };
}

export { HcloudCluster, type HcloudClusterArgs } from './cluster';
export { renderCloudInit, type NodeBootstrap } from './cloud-init';
export { validateHcloudSpec, checkHcloudSpec } from './validate';
export { allocateSubnets } from './subnets';
export { nodeGroups, nodesArg, clusterConfig } from './autoscaler';
