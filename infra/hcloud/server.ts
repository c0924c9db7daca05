/**
 * One static node: a Hetzner server with the settings every pool shares. Attached
 * to its pool's subnet, behind the firewall, with the program's SSH key, a public
 * IPv4 for egress (image pulls) and no IPv6 (the same as autoscaled nodes,
 * HCLOUD_PUBLIC_IPV6=false).
 *
 * `userData` is in `ignoreChanges`: cloud-init runs only at first boot, so a changed
 * template (a k3s bump, a new label) must not replace running servers. It reaches
 * new servers, and old ones through a deliberate `pulumi up --replace <urn>` (one
 * node at a time) or a k3s upgrade. In prod (`spec.protect`), servers also carry
 * Hetzner delete and rebuild protection and Pulumi's `protect`.
 */
import * as hcloud from '@pulumi/hcloud';
import * as pulumi from '@pulumi/pulumi';
import type { EnvironmentSpec, NodePool } from '../../config';
import { SERVER_IMAGE } from './limits';
import { resourceLabels, serverName } from './names';

export interface NodeServerArgs {
  readonly spec: Pick<EnvironmentSpec, 'name' | 'stack' | 'protect'>;
  readonly pool: NodePool;
  /** Index of the server in its pool: its name and location derive from it. */
  readonly index: number;
  readonly userData: pulumi.Output<string>;
  readonly subnet: hcloud.NetworkSubnet;
  readonly firewallId: pulumi.Input<number>;
  readonly sshKeyId: pulumi.Input<string>;
  readonly placementGroup: hcloud.PlacementGroup;
  readonly provider: hcloud.Provider;
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
  readonly parent: pulumi.Resource;
}

/** Location of server `index`: round-robin over the pool's locations. */
export function serverLocation(pool: Pick<NodePool, 'locations'>, index: number): string {
  return pool.locations[index % pool.locations.length]!;
}

export function createNodeServer(logicalName: string, args: NodeServerArgs): hcloud.Server {
  const { spec, pool, index } = args;
  const protect = spec.protect;
  return new hcloud.Server(
    logicalName,
    {
      name: serverName(spec, pool.name, index),
      serverType: pool.instanceType,
      image: SERVER_IMAGE,
      location: serverLocation(pool, index),
      sshKeys: [args.sshKeyId],
      userData: args.userData,
      firewallIds: [args.firewallId],
      placementGroupId: args.placementGroup.id.apply(Number),
      networks: [{ subnetId: args.subnet.id, aliasIps: [] }],
      publicNets: [{ ipv4Enabled: true, ipv6Enabled: false }],
      labels: resourceLabels(spec, { 'agent-platform.io/pool': pool.name, 'agent-platform.io/role': pool.role }),
      deleteProtection: protect,
      rebuildProtection: protect,
    },
    {
      parent: args.parent,
      provider: args.provider,
      protect,
      ignoreChanges: ['userData'],
      // Hetzner server names are unique per project and ours are fixed (pool + index), so a
      // replacement must delete the old server first; the new one then joins the running
      // cluster (cluster-membership.ts) under the same name.
      deleteBeforeReplace: true,
      ...(args.dependsOn ? { dependsOn: args.dependsOn } : {}),
    },
  );
}
