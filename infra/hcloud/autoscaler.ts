/**
 * Cluster-autoscaler configuration for the Hetzner provider
 * (kubernetes/autoscaler cluster-autoscaler/cloudprovider/hetzner/README.md).
 *
 * Ownership split: the program creates each pool's `min` servers; the autoscaler
 * owns only the elastic part, `max - min`. The Hetzner provider counts a node group's
 * servers by the `hcloud/node-group` label, which static servers do not carry, so
 * it never deletes a server Pulumi manages (it would come back at the next `up`).
 * Each autoscaled pool gets one node group per location (a group has one location),
 * `--nodes=0:<share of max - min>:<TYPE>:<LOCATION>:<group>`, with the elastic
 * capacity split evenly (earlier locations take the remainder); `balance-similar-
 * node-groups` then spreads scale-ups.
 *
 * HCLOUD_CLUSTER_CONFIG gives every group the pool's cloud-init (the SAME string the
 * static servers boot, see worker-pool.ts), labels and taints (for scale-from-zero
 * templates; equal to what the cloud-init registers), and the image. It contains the
 * join token, so it is a secret, like HCLOUD_TOKEN.
 *
 * Limits: autoscaled nodes attach to the network's reserved last subnet, not the
 * pool's, and join no placement group.
 */
import * as pulumi from '@pulumi/pulumi';
import { nodeLabels, type EnvironmentSpec, type NodePool } from '../../config';
import type { ClusterAutoscalerInputs } from '../cluster';
import { SERVER_IMAGE } from './limits';
import { nodeGroupName } from './names';

export interface NodeGroup {
  readonly name: string;
  readonly pool: NodePool;
  readonly location: string;
  readonly min: number;
  readonly max: number;
}

/** The autoscaler's node groups: per autoscaled pool and location, empty groups left out. */
export function nodeGroups(spec: Pick<EnvironmentSpec, 'name' | 'stack' | 'nodePools'>): NodeGroup[] {
  const groups: NodeGroup[] = [];
  for (const pool of spec.nodePools) {
    if (!pool.autoscaled) continue;
    const elastic = pool.max - pool.min;
    const n = pool.locations.length;
    pool.locations.forEach((location, i) => {
      const max = Math.floor(elastic / n) + (i < elastic % n ? 1 : 0);
      if (max > 0) groups.push({ name: nodeGroupName(spec, pool.name, location), pool, location, min: 0, max });
    });
  }
  return groups;
}

/** `--nodes=<min>:<max>:<TYPE>:<LOCATION>:<name>` */
export function nodesArg(group: NodeGroup): string {
  return `--nodes=${group.min}:${group.max}:${group.pool.instanceType}:${group.location}:${group.name}`;
}

export interface HetznerNodeConfig {
  readonly cloudInit: string;
  readonly labels: Record<string, string>;
  readonly taints: { key: string; value: string; effect: string }[];
}

export interface HetznerClusterConfig {
  readonly imagesForArch: { readonly arm64: string; readonly amd64: string };
  readonly nodeConfigs: Record<string, HetznerNodeConfig>;
}

/** The HCLOUD_CLUSTER_CONFIG document (before base64), from each pool's cloud-init. */
export function clusterConfig(
  groups: readonly NodeGroup[],
  cloudInitByPool: ReadonlyMap<string, string>,
): HetznerClusterConfig {
  const nodeConfigs: Record<string, HetznerNodeConfig> = {};
  for (const group of groups) {
    const cloudInit = cloudInitByPool.get(group.pool.name);
    if (cloudInit === undefined) throw new Error(`no cloud-init for autoscaled pool "${group.pool.name}"`);
    nodeConfigs[group.name] = {
      cloudInit,
      labels: nodeLabels(group.pool),
      taints: group.pool.taints.map((t) => ({ key: t.key, value: t.value ?? '', effect: t.effect })),
    };
  }
  return { imagesForArch: { arm64: SERVER_IMAGE, amd64: SERVER_IMAGE }, nodeConfigs };
}

export interface HetznerAutoscalerArgs {
  readonly spec: Pick<EnvironmentSpec, 'name' | 'stack' | 'nodePools'>;
  /** Cloud-init per autoscaled pool name (secret). */
  readonly cloudInit: ReadonlyMap<string, pulumi.Output<string>>;
  /** Hetzner API token (secret). */
  readonly token: pulumi.Output<string>;
  readonly networkId: pulumi.Input<number>;
  readonly firewallId: pulumi.Input<number>;
  readonly sshKeyId: pulumi.Input<string>;
}

export function hetznerAutoscalerInputs(args: HetznerAutoscalerArgs): ClusterAutoscalerInputs {
  const groups = nodeGroups(args.spec);
  const pools = [...new Set(groups.map((g) => g.pool.name))];
  const cloudInits = pools.map((pool) => {
    const output = args.cloudInit.get(pool);
    if (!output) throw new Error(`no cloud-init for autoscaled pool "${pool}"`);
    return output;
  });
  const config = pulumi.all(cloudInits).apply((rendered) => {
    const byPool = new Map(pools.map((pool, i) => [pool, rendered[i]!]));
    return Buffer.from(JSON.stringify(clusterConfig(groups, byPool)), 'utf8').toString('base64');
  });
  return {
    cloudProvider: 'hetzner',
    args: groups.map(nodesArg),
    env: {
      HCLOUD_TOKEN: pulumi.secret(args.token),
      HCLOUD_CLUSTER_CONFIG: pulumi.secret(config),
      HCLOUD_NETWORK: pulumi.output(args.networkId).apply(String),
      HCLOUD_FIREWALL: pulumi.output(args.firewallId).apply(String),
      HCLOUD_SSH_KEY: pulumi.output(args.sshKeyId),
      HCLOUD_PUBLIC_IPV4: 'true',
      HCLOUD_PUBLIC_IPV6: 'false',
    },
  };
}
