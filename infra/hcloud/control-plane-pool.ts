/**
 * The control plane: k3s servers with embedded etcd (a fixed, odd count; config
 * checks 1, 3 or 5). No server is told by its index to initialize: each decides at first
 * boot from what answers on the API load balancer (cluster-membership.ts). Server 0 may
 * initialize when nothing answers; the others only join. So a recreated server 0 joins the
 * running cluster instead of forking it.
 *
 * Once server 0 answers, `ClusterCa` reads the CAs k3s generated (cluster-ca.ts); servers
 * 1..n then join with `K10<ca hash>::server:<secret>`, verifying the cluster before they
 * send the secret. Server 0 carries the bare secret (its user data is fixed before the CA
 * exists). Every server sets the agent secret as `agent-token`. All are targets of the load
 * balancer (private IPs) and carry the contract's control-plane labels and taints.
 */
import * as hcloud from '@pulumi/hcloud';
import * as pulumi from '@pulumi/pulumi';
import type { EnvironmentSpec, NodePool } from '../../config';
import { apiServerArgs, apiServerFiles } from './api-server-config';
import { renderCloudInit } from './cloud-init';
import { ClusterCa } from './cluster-ca';
import { secureToken } from './join-token';
import { KUBE_API_PORT } from './limits';
import type { ApiLoadBalancer } from './load-balancer';
import { disabledK3sComponents, poolBootstrap } from './node-bootstrap';
import { PoolPlacementGroups } from './placement-groups';
import { createNodeServer } from './server';

export interface ControlPlanePoolArgs {
  readonly spec: EnvironmentSpec;
  readonly pool: NodePool;
  readonly subnet: hcloud.NetworkSubnet;
  readonly firewallId: pulumi.Input<number>;
  readonly sshKeyId: pulumi.Input<string>;
  readonly loadBalancer: ApiLoadBalancer;
  /** The bare server secret (join-token.ts). */
  readonly serverSecret: pulumi.Output<string>;
  /** The bare agent secret, set on every server as `agent-token`. */
  readonly agentSecret: pulumi.Output<string>;
  readonly provider: hcloud.Provider;
}

export class ControlPlanePool extends pulumi.ComponentResource {
  readonly servers: readonly hcloud.Server[];
  readonly targets: readonly hcloud.LoadBalancerTarget[];
  /** User data per server (secret). */
  readonly userData: readonly pulumi.Output<string>[];
  /** Public IPv4 of each server, in order (the kubeconfig's endpoints). */
  readonly publicIps: pulumi.Output<string[]>;
  /** The CAs k3s generated, read from server 0 once it answers. */
  readonly clusterCa: ClusterCa;

  constructor(name: string, args: ControlPlanePoolArgs, opts?: pulumi.ComponentResourceOptions) {
    super('agent-platform:hcloud:ControlPlanePool', name, {}, opts);
    const { spec, pool, loadBalancer, provider } = args;
    const base = poolBootstrap(spec, pool);
    const serverSettings = {
      tlsSans: [loadBalancer.privateIp],
      disable: disabledK3sComponents(spec),
      apiServerArgs: apiServerArgs(spec),
      ...(spec.backup ? { etcdSnapshots: spec.backup.etcd } : {}),
    };
    const apiFiles = apiServerFiles(spec);
    const placement = new PoolPlacementGroups(
      `${name}-placement`,
      { spec, pool: pool.name, servers: pool.min, provider },
      { parent: this },
    );
    const servers: hcloud.Server[] = [];
    const targets: hcloud.LoadBalancerTarget[] = [];
    const userData: pulumi.Output<string>[] = [];
    const renderServer = (index: number, token: pulumi.Output<string>) =>
      pulumi.secret(
        pulumi.all([token, args.agentSecret]).apply(([serverToken, agentToken]) =>
          renderCloudInit({
            ...base,
            role: 'server',
            token: serverToken,
            serverUrl: loadBalancer.joinUrl,
            server: { ...serverSettings, mayInitialize: index === 0, agentToken, files: apiFiles },
          }),
        ),
      );
    const addServer = (index: number, data: pulumi.Output<string>, dependsOn: pulumi.Resource[]) => {
      const server = createNodeServer(`${name}-${index}`, {
        spec,
        pool,
        index,
        userData: data,
        subnet: args.subnet,
        firewallId: args.firewallId,
        sshKeyId: args.sshKeyId,
        placementGroup: placement.groupFor(index),
        provider,
        parent: this,
        dependsOn: [loadBalancer.attachment, ...dependsOn],
      });
      const target = new hcloud.LoadBalancerTarget(
        `${name}-${index}-api-target`,
        {
          type: 'server',
          loadBalancerId: loadBalancer.loadBalancerId,
          serverId: server.id.apply(Number),
          usePrivateIp: true,
        },
        { parent: this, provider, dependsOn: [loadBalancer.attachment] },
      );
      servers.push(server);
      targets.push(target);
      userData.push(data);
      return { server, target };
    };

    const first = addServer(0, renderServer(0, args.serverSecret), []);
    this.clusterCa = new ClusterCa(
      `${name}-cluster-ca`,
      {
        endpoint: pulumi.interpolate`https://${first.server.ipv4Address}:${KUBE_API_PORT}`,
        serverSecret: args.serverSecret,
      },
      { parent: this, dependsOn: [first.server, first.target] },
    );
    const joinToken = pulumi.secret(
      pulumi
        .all([this.clusterCa.serverCaCertPem, args.serverSecret])
        .apply(([ca, secret]) => secureToken(ca, secret, 'server')),
    );
    for (let i = 1; i < pool.min; i++) addServer(i, renderServer(i, joinToken), [this.clusterCa]);
    this.servers = servers;
    this.targets = targets;
    this.userData = userData;
    this.publicIps = pulumi.all(servers.map((s) => s.ipv4Address));
    this.registerOutputs({ publicIps: this.publicIps });
  }
}
