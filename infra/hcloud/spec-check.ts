/**
 * Checks an environment against Hetzner's catalogue and limits: the pure half of
 * validate.ts (no Pulumi at runtime), so `npm run synth` runs exactly the check
 * `pulumi up` runs (infra/preflight.ts) and prints the same message. Each problem
 * names the pool (the `nodePools[i]` path of the stack file), what it got and how
 * to fix it. Deprecated server types are warnings with their replacement.
 */
import {
  hcloudLocationProblem,
  instanceType,
  instanceTypeNames,
  K3S_RELEASES,
  type EnvironmentSpec,
} from '../../config';
import { containerdConfigVersion } from './gvisor';
import { HCLOUD_LIMITS, K3S_CLUSTER_CIDR, K3S_SERVICE_CIDR, MAX_SERVERS_PER_SUBNET } from './limits';
import { nodeGroupName, serverName } from './names';
import { placementGroupCount } from './placement-group-count';
import { allocateSubnets, cidrsOverlap, SubnetCollisionError, subnetSlots, type SubnetPlan } from './subnets';

/** The autoscaler names servers `<group>-<hex of a 63-bit random number>`: up to 17 more characters. */
const AUTOSCALER_NAME_SUFFIX = 17;

/** A problem at a stack-file path (the shape of pulumi.InputPropertyErrorDetails). */
export interface HcloudProblem {
  readonly propertyPath: string;
  readonly reason: string;
}
type Problem = HcloudProblem;

/** Pure check: problems and warnings, no side effects. */
export function checkHcloudSpec(spec: EnvironmentSpec): {
  problems: Problem[];
  warnings: string[];
  subnets?: SubnetPlan;
} {
  const problems: Problem[] = [];
  const warnings: string[] = [];
  const add = (propertyPath: string, reason: string) => problems.push({ propertyPath, reason });

  if (spec.cloud.provider !== 'hcloud') {
    add('cloud.provider', `is "${spec.cloud.provider}"; the hcloud module builds only "hcloud" environments`);
    return { problems, warnings };
  }

  spec.cloud.locations.forEach((location, i) => {
    const problem = hcloudLocationProblem(location, spec.cloud.region);
    if (problem) add(`cloud.locations[${i}]`, `(${location}) ${problem}`);
  });

  // Network: room for one /24 per pool, no overlap with k3s's own ranges.
  const networkCidr = spec.cloud.networkCidr;
  if (subnetSlots(networkCidr) < spec.nodePools.length + 1) {
    add(
      'cloud.networkCidr',
      `(${networkCidr}) must hold one /24 per pool plus one for autoscaled nodes (${spec.nodePools.length + 1}); use a /16 such as 10.10.0.0/16`,
    );
  }
  for (const [what, range] of [
    ['pod', K3S_CLUSTER_CIDR],
    ['service', K3S_SERVICE_CIDR],
  ] as const) {
    if (cidrsOverlap(networkCidr, range)) {
      add('cloud.networkCidr', `(${networkCidr}) overlaps the k3s ${what} range ${range}; choose e.g. 10.10.0.0/16`);
    }
  }

  const controlPlanes = spec.nodePools.filter((p) => p.role === 'control-plane');
  if (controlPlanes.length !== 1 || controlPlanes[0]!.min < 1) {
    add(
      'nodePools',
      `must contain exactly one pool with role "control-plane" and at least one server (the k3s servers); found ${controlPlanes.map((p) => `${p.name} (${p.min})`).join(', ') || 'none'}`,
    );
  }

  const release = K3S_RELEASES[spec.kubernetes.version];
  try {
    if (spec.nodePools.some((p) => p.gvisor)) containerdConfigVersion(release);
  } catch (error) {
    add('kubernetes.version', `(${spec.kubernetes.version}): ${(error as Error).message}`);
  }

  let totalMax = 0;
  let groups = 0;
  spec.nodePools.forEach((pool, i) => {
    const at = `nodePools[${i}]`;
    const type = instanceType('hcloud', pool.instanceType);
    if (!type) {
      add(
        `${at}.instanceType`,
        `(${pool.instanceType}) of pool "${pool.name}" is not a Hetzner server type (allowed: ${instanceTypeNames('hcloud').join(', ')})`,
      );
    } else if (type.deprecatedBy) {
      warnings.push(
        `${at}.instanceType: Hetzner deprecated ${pool.instanceType} (pool "${pool.name}"); use ${type.deprecatedBy}, its current equivalent`,
      );
    }
    pool.locations.forEach((location, j) => {
      if (!spec.cloud.locations.includes(location)) {
        add(`${at}.locations[${j}]`, `(${location}) of pool "${pool.name}" is not one of cloud.locations`);
      }
    });
    if (pool.min > MAX_SERVERS_PER_SUBNET) {
      add(
        `${at}.min`,
        `(${pool.min}) of pool "${pool.name}" exceeds ${MAX_SERVERS_PER_SUBNET} static servers per pool subnet`,
      );
    }
    const longest = serverName(spec, pool.name, Math.max(pool.min - 1, 0));
    if (longest.length > 63) {
      add(
        `${at}.name`,
        `("${pool.name}") makes server names such as ${longest} longer than 63 characters; shorten the pool or platform name`,
      );
    }
    if (pool.autoscaled) {
      const group = nodeGroupName(
        spec,
        pool.name,
        pool.locations.reduce((a, b) => (b.length > a.length ? b : a)),
      );
      if (group.length + AUTOSCALER_NAME_SUFFIX > 63) {
        add(
          `${at}.name`,
          `("${pool.name}") makes autoscaler node names such as ${group}-<16 hex digits> longer than 63 characters; shorten the pool or platform name`,
        );
      }
      if (pool.initial > pool.min) {
        warnings.push(
          `${at}.initial: pool "${pool.name}" starts with min (${pool.min}) servers on hcloud, not initial (${pool.initial}): the program creates min servers and the cluster autoscaler adds up to max (${pool.max}) on demand`,
        );
      }
    }
    totalMax += pool.max;
    groups += placementGroupCount(pool.min);
  });

  if (totalMax > HCLOUD_LIMITS.serversPerNetwork) {
    add(
      'nodePools',
      `can grow to ${totalMax} servers (${spec.nodePools.map((p) => `${p.name}: ${p.max}`).join(', ')}); a Hetzner network holds at most ${HCLOUD_LIMITS.serversPerNetwork}: lower the pools' max${whatFits(spec.nodePools, totalMax)}`,
    );
  }
  if (groups > HCLOUD_LIMITS.placementGroupsPerProject) {
    add(
      'nodePools',
      `need ${groups} spread placement groups of ${HCLOUD_LIMITS.serversPerSpreadGroup} servers (${spec.nodePools.map((p) => `${p.name}: ${placementGroupCount(p.min)}`).join(', ')}); a Hetzner project allows ${HCLOUD_LIMITS.placementGroupsPerProject}: lower the pools' min or raise the project limit with Hetzner`,
    );
  }

  let subnets: SubnetPlan | undefined;
  if (subnetSlots(networkCidr) >= 2) {
    try {
      subnets = allocateSubnets(
        networkCidr,
        spec.nodePools.map((p) => p.name),
      );
    } catch (error) {
      if (!(error instanceof SubnetCollisionError)) throw error;
      const index = spec.nodePools.findIndex((p) => p.name === error.pool);
      add(`nodePools[${index}].name`, error.message);
    }
  }
  return { problems, warnings, ...(subnets ? { subnets } : {}) };
}

/** What the largest pool may grow to with the others as they are (`(api: at most 85)`), when that is possible. */
function whatFits(pools: readonly { name: string; max: number }[], totalMax: number): string {
  const largest = pools.reduce((a, b) => (b.max > a.max ? b : a));
  const room = HCLOUD_LIMITS.serversPerNetwork - (totalMax - largest.max);
  return room >= 1 ? ` (with the other pools as they are, ${largest.name} fits at most ${room})` : '';
}

/** The message `pulumi up` fails with (and synth prints) when the environment cannot be built. */
export function hcloudSpecMessage(spec: EnvironmentSpec, problems: readonly HcloudProblem[]): string {
  const lines = problems.map((p) => `  ${p.propertyPath}: ${p.reason}`);
  return `environment "${spec.name}" (stack ${spec.stack}) cannot be built on Hetzner Cloud:\n${lines.join('\n')}`;
}
