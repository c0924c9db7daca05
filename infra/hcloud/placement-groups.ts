/**
 * Spread placement groups of one pool: each static server lands on a different
 * physical host. A spread group holds at most 10 servers, so a pool of more than 10
 * static servers gets several groups; server `i` goes to group `floor(i / 10)`,
 * which keeps a server's group stable when the pool grows.
 */
import * as hcloud from '@pulumi/hcloud';
import * as pulumi from '@pulumi/pulumi';
import type { EnvironmentSpec } from '../../config';
import { HCLOUD_LIMITS } from './limits';
import { clusterPrefix, resourceLabels } from './names';
import { placementGroupCount } from './placement-group-count';

export { placementGroupCount };

/** The group index of static server `index`. */
export function placementGroupIndex(index: number): number {
  return Math.floor(index / HCLOUD_LIMITS.serversPerSpreadGroup);
}

export interface PoolPlacementGroupsArgs {
  readonly spec: Pick<EnvironmentSpec, 'name' | 'stack'>;
  readonly pool: string;
  /** Static servers of the pool. */
  readonly servers: number;
  readonly provider: hcloud.Provider;
}

export class PoolPlacementGroups extends pulumi.ComponentResource {
  /** One group per 10 servers, in server order. */
  readonly groups: readonly hcloud.PlacementGroup[];

  constructor(name: string, args: PoolPlacementGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('agent-platform:hcloud:PoolPlacementGroups', name, {}, opts);
    const groups: hcloud.PlacementGroup[] = [];
    for (let g = 0; g < placementGroupCount(args.servers); g++) {
      groups.push(
        new hcloud.PlacementGroup(
          `${name}-${g}`,
          {
            name: `${clusterPrefix(args.spec)}-${args.pool}-${g}`,
            type: 'spread',
            labels: resourceLabels(args.spec, { 'agent-platform.io/pool': args.pool }),
          },
          { parent: this, provider: args.provider },
        ),
      );
    }
    this.groups = groups;
    this.registerOutputs({ groups: groups.map((g) => g.id) });
  }

  /** The group of static server `index`. */
  groupFor(index: number): hcloud.PlacementGroup {
    const group = this.groups[placementGroupIndex(index)];
    if (!group) throw new Error(`server ${index} has no placement group (pool has ${this.groups.length})`);
    return group;
  }
}
