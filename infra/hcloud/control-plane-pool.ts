/**
 * The control plane: k3s servers with embedded etcd (a fixed, odd count; config
 * checks 1, 3 or 5). Server 0 initializes the cluster (`cluster-init`) with the
 * program's CAs; the others join through the API load balancer's private IP with the
 * secure token. All are targets of the load balancer (private IPs) and carry the
 * contract's control-plane labels and taints.
 *
 * Caution: server 0 is the cluster-init server only at creation. If it is ever
 * deleted and recreated, it must join instead (replace its user data by hand): a
 * second `cluster-init` would start a new, empty cluster.
 */
import * as hcloud from '@pulumi/hcloud';
import * as pulumi from '@pulumi/pulumi';
import type { EnvironmentSpec, NodePool } from '../../config';
import { apiServerArgs, apiServerFiles } from './api-server-config';
import { renderCloudInit, type BootFile } from './cloud-init';
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
  /** Bare join secret for the cluster-init server. */
  readonly initToken: pulumi.Output<string>;
  /** Secure-format token for joining servers. */
  readonly joinToken: pulumi.Output<string>;
  /** CA files for the cluster-init server (pki.ts). */
  readonly caFiles: pulumi.Output<BootFile[]>;
  readonly provider: hcloud.Provider;
}

export class ControlPlanePool extends pulumi.ComponentResource {
  readonly servers: readonly hcloud.Server[];
  readonly targets: readonly hcloud.LoadBalancerTarget[];
  /** User data per server (secret). */
  readonly userData: readonly pulumi.Output<string>[];
  /** Public IPv4 of each server, in order (the kubeconfig's endpoints). */
  readonly publicIps: pulumi.Output<string[]>;

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
    for (let i = 0; i < pool.min; i++) {
      const init = i === 0;
      const data = pulumi.secret(
        pulumi.all([init ? args.initToken : args.joinToken, args.caFiles]).apply(([token, files]) =>
          renderCloudInit({
            ...base,
            role: 'server',
            token,
            ...(init ? {} : { serverUrl: loadBalancer.joinUrl }),
            server: { ...serverSettings, clusterInit: init, files: [...(init ? files : []), ...apiFiles] },
          }),
        ),
      );
      const server = createNodeServer(`${name}-${i}`, {
        spec,
        pool,
        index: i,
        userData: data,
        subnet: args.subnet,
        firewallId: args.firewallId,
        sshKeyId: args.sshKeyId,
        placementGroup: placement.groupFor(i),
        provider,
        parent: this,
        // Joining servers come after the first; all after the API address exists.
        dependsOn: [loadBalancer.attachment, ...(init ? [] : [servers[0]!])],
      });
      servers.push(server);
      userData.push(data);
      targets.push(
        new hcloud.LoadBalancerTarget(
          `${name}-${i}-api-target`,
          {
            type: 'server',
            loadBalancerId: loadBalancer.loadBalancerId,
            serverId: server.id.apply(Number),
            usePrivateIp: true,
          },
          { parent: this, provider, dependsOn: [loadBalancer.attachment] },
        ),
      );
    }
    this.servers = servers;
    this.targets = targets;
    this.userData = userData;
    this.publicIps = pulumi.all(servers.map((s) => s.ipv4Address));
    this.registerOutputs({ publicIps: this.publicIps });
  }
}
