/**
 * A worker pool: `min` static k3s agents with the pool's contract labels and taints
 * (gVisor pools also get runsc and the containerd template). Every server of the pool
 * boots the SAME user data, which is also the autoscaler's cloud-init for the pool:
 * a node the autoscaler adds is configured exactly like one this program created.
 * Workers join with the agent token only (`K10<ca hash>::node:<secret>`): nothing on a
 * worker, in its user data or in the autoscaler's Secret can join a server or read the
 * datastore (join-token.ts).
 */
import * as hcloud from '@pulumi/hcloud';
import * as pulumi from '@pulumi/pulumi';
import type { EnvironmentSpec, NodePool } from '../../config';
import { renderCloudInit } from './cloud-init';
import { poolBootstrap } from './node-bootstrap';
import { PoolPlacementGroups } from './placement-groups';
import { createNodeServer } from './server';

export interface WorkerPoolArgs {
  readonly spec: EnvironmentSpec;
  readonly pool: NodePool;
  readonly subnet: hcloud.NetworkSubnet;
  readonly firewallId: pulumi.Input<number>;
  readonly sshKeyId: pulumi.Input<string>;
  /** `https://<api lb private ip>:6443` */
  readonly serverUrl: string;
  /** The agent token, `K10<ca hash>::node:<secret>` (secret). */
  readonly agentToken: pulumi.Output<string>;
  readonly provider: hcloud.Provider;
  /** Resources the servers wait for (the API load balancer's network attachment). */
  readonly dependsOn?: pulumi.Resource[];
}

export class WorkerPool extends pulumi.ComponentResource {
  readonly servers: readonly hcloud.Server[];
  /** The pool's cloud-init (secret): static servers and autoscaled nodes alike. */
  readonly userData: pulumi.Output<string>;

  constructor(name: string, args: WorkerPoolArgs, opts?: pulumi.ComponentResourceOptions) {
    super('agent-platform:hcloud:WorkerPool', name, {}, opts);
    const { spec, pool, provider } = args;
    const base = poolBootstrap(spec, pool);
    this.userData = pulumi.secret(
      args.agentToken.apply((token) => renderCloudInit({ ...base, role: 'agent', token, serverUrl: args.serverUrl })),
    );
    const placement = new PoolPlacementGroups(
      `${name}-placement`,
      { spec, pool: pool.name, servers: pool.min, provider },
      { parent: this },
    );
    const servers: hcloud.Server[] = [];
    for (let i = 0; i < pool.min; i++) {
      servers.push(
        createNodeServer(`${name}-${i}`, {
          spec,
          pool,
          index: i,
          userData: this.userData,
          subnet: args.subnet,
          firewallId: args.firewallId,
          sshKeyId: args.sshKeyId,
          placementGroup: placement.groupFor(i),
          provider,
          parent: this,
          ...(args.dependsOn ? { dependsOn: args.dependsOn } : {}),
        }),
      );
    }
    this.servers = servers;
    this.registerOutputs({});
  }
}
