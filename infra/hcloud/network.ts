/**
 * The cluster's private network: one /24 subnet per pool, allocated by pool name
 * (see subnets.ts), plus the reserved last /24 where autoscaler-created nodes attach.
 * Nodes and the API load balancer talk over it; flannel runs over it.
 */
import * as hcloud from '@pulumi/hcloud';
import * as pulumi from '@pulumi/pulumi';
import type { EnvironmentSpec } from '../../config';
import { clusterPrefix, resourceLabels } from './names';
import type { SubnetPlan } from './subnets';

export interface ClusterNetworkArgs {
  readonly spec: Pick<EnvironmentSpec, 'name' | 'stack' | 'cloud' | 'protect'>;
  readonly subnets: SubnetPlan;
  readonly provider: hcloud.Provider;
}

export class ClusterNetwork extends pulumi.ComponentResource {
  readonly network: hcloud.Network;
  /** The network's numeric ID, as the other hcloud resources take it. */
  readonly networkId: pulumi.Output<number>;
  /** Subnet per pool name. */
  readonly poolSubnets: ReadonlyMap<string, hcloud.NetworkSubnet>;
  readonly autoscaledSubnet: hcloud.NetworkSubnet;

  constructor(name: string, args: ClusterNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super('agent-platform:hcloud:ClusterNetwork', name, {}, opts);
    const { spec, subnets, provider } = args;
    const protect = spec.protect;
    this.network = new hcloud.Network(
      `${name}-Resource`,
      {
        name: clusterPrefix(spec),
        ipRange: spec.cloud.networkCidr,
        deleteProtection: protect,
        labels: resourceLabels(spec),
      },
      { parent: this, provider, protect },
    );
    this.networkId = this.network.id.apply(Number);
    const subnet = (id: string, ipRange: string) =>
      new hcloud.NetworkSubnet(
        id,
        { networkId: this.networkId, type: 'cloud', networkZone: spec.cloud.region, ipRange },
        { parent: this, provider, protect },
      );
    const poolSubnets = new Map<string, hcloud.NetworkSubnet>();
    for (const [pool, plan] of subnets.pools) poolSubnets.set(pool, subnet(`${name}-${pool}`, plan.cidr));
    this.poolSubnets = poolSubnets;
    this.autoscaledSubnet = subnet(`${name}-autoscaled`, subnets.autoscaled.cidr);
    this.registerOutputs({ networkId: this.networkId });
  }

  subnetOf(pool: string): hcloud.NetworkSubnet {
    const subnet = this.poolSubnets.get(pool);
    if (!subnet) throw new Error(`no subnet for pool "${pool}"`);
    return subnet;
  }
}
