/**
 * Node pools: each pool of the stack file resolved (its instance type from the cloud's
 * catalogue, taints from its role, gVisor by default on agent pools) and checked
 * against the cloud's rules (config/clouds/).
 */
import { cloudProfile, type CloudProfile, type InstanceType } from '../clouds';
import { instanceType } from '../catalogue/instance-types';
import { defaultTaints } from '../contract';
import type { ConfigIssue } from '../errors';
import type { NodePool } from '../environment-spec';
import type { ParsedEnvironment } from '../schema';
import { issue, type Findings } from './issue';

type ParsedPool = ParsedEnvironment['nodePools'][number];

export interface ResolvedPools extends Findings {
  readonly pools: NodePool[];
}

/** Every pool resolved, in stack-file order, with the problems of each and of the set. */
export function resolvePools(parsed: Pick<ParsedEnvironment, 'cloud' | 'nodePools'>): ResolvedPools {
  const issues: ConfigIssue[] = [];
  const warnings: string[] = [];
  const profile = cloudProfile(parsed.cloud.provider);
  const firstIndex = new Map<string, number>();
  const pools = parsed.nodePools.map((p, i) => {
    const previous = firstIndex.get(p.name);
    if (previous !== undefined) {
      const message = `duplicates nodePools[${previous}].name: pool names must be unique`;
      issues.push(issue(['nodePools', i, 'name'], message, p.name));
    }
    firstIndex.set(p.name, i);
    const resolved = resolvePool(p, i, parsed.cloud, profile);
    issues.push(...resolved.issues);
    warnings.push(...resolved.warnings);
    return resolved.pool;
  });
  issues.push(...controlPlaneCountIssues(profile, pools));
  return { pools, issues, warnings };
}

/** One pool: its resolved form and what is wrong with it on this cloud. */
export function resolvePool(
  p: ParsedPool,
  i: number,
  cloud: ParsedEnvironment['cloud'],
  profile: CloudProfile,
): Findings & { pool: NodePool } {
  const provider = cloud.provider;
  const at = (...rest: PropertyKey[]) => ['nodePools', i, ...rest];
  const issues: ConfigIssue[] = [];
  const warnings: string[] = [];
  const type = instanceType(provider, p.instanceType);
  if (!type) {
    const message = `is not a known ${provider} instance type (see config/clouds/${provider}.ts)`;
    issues.push(issue(at('instanceType'), message, p.instanceType));
  } else if (type.deprecatedBy) {
    warnings.push(
      `nodePools[${i}].instanceType: ${provider} type ${p.instanceType} is deprecated; use ${type.deprecatedBy} (its current equivalent)`,
    );
  }
  if (p.gpu && type && type.gpus === 0) {
    issues.push(issue(at('gpu'), `is true but ${p.instanceType} has no GPU`, p.gpu));
  }
  if (p.capacity === 'spot' && profile.spotRefusal) issues.push(issue(at('capacity'), profile.spotRefusal, p.capacity));
  if (p.role === 'control-plane') issues.push(...controlPlanePoolIssues(p, i, profile));
  (p.locations ?? []).forEach((loc, j) => {
    if (!cloud.locations.includes(loc)) {
      issues.push(issue(at('locations', j), `must be one of cloud.locations (${cloud.locations.join(', ')})`, loc));
    }
  });
  const gvisor = p.gvisor ?? p.role === 'agents';
  if (gvisor && type?.architecture === 'arm64' && profile.warnGvisorOnArm64) {
    // runsc ships for arm64 as well; nothing to refuse, but worth knowing.
    warnings.push(`nodePools[${i}]: gVisor on arm64 (${p.instanceType}) runs, but is less tested than x86_64`);
  }
  const pool: NodePool = {
    name: p.name,
    role: p.role,
    instanceType: p.instanceType,
    instance: type ?? unknownInstance(provider, p.instanceType),
    min: p.min,
    max: p.max,
    initial: p.initial ?? p.min,
    labels: p.labels,
    taints: p.taints ?? defaultTaints(p.role),
    capacity: p.capacity,
    gvisor,
    gpu: p.gpu,
    locations: p.locations ?? cloud.locations,
    volumeSizeGiB: p.volumeSizeGiB,
    autoscaled: p.min < p.max,
  };
  return { pool, issues, warnings };
}

/** Placeholder for a type the catalogue does not know (the spec is not returned then). */
const unknownInstance = (cloud: InstanceType['cloud'], name: string): InstanceType => ({
  cloud,
  name,
  vcpu: 0,
  memoryGiB: 0,
  gpus: 0,
  architecture: 'x86_64',
  currency: 'EUR',
});

/** `1, 3 or 5` */
const either = (values: readonly number[]) =>
  values.length > 1 ? `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}` : String(values[0]);

/** A `control-plane` pool: refused where the provider runs the control plane, else a fixed, odd size for etcd. */
function controlPlanePoolIssues(p: ParsedPool, i: number, profile: CloudProfile): ConfigIssue[] {
  const cp = profile.controlPlane;
  if (cp.kind === 'managed') return [issue(['nodePools', i, 'role'], cp.refusal, p.role)];
  if (p.min === p.max && cp.serverCounts.includes(p.min)) return [];
  const message = `must equal min and be ${either(cp.serverCounts)}: etcd needs a fixed, odd number of servers (min is ${p.min})`;
  return [issue(['nodePools', i, 'max'], message, p.max)];
}

/** Where servers run the control plane, exactly one pool does. */
function controlPlaneCountIssues(profile: CloudProfile, pools: readonly NodePool[]): ConfigIssue[] {
  if (profile.controlPlane.kind !== 'servers') return [];
  const found = pools.filter((p) => p.role === 'control-plane').length;
  if (found === 1) return [];
  const message = `must contain exactly one pool with role "control-plane" on ${profile.id} (${profile.controlPlane.what}), found ${found}`;
  return [issue(['nodePools'], message)];
}

/**
 * `alternativeInstanceTypes`: only where node groups may mix types, each known and of
 * the pool's size (the cluster autoscaler assumes one node size per group).
 */
export function alternativeTypeIssues(parsed: Pick<ParsedEnvironment, 'cloud' | 'nodePools'>): ConfigIssue[] {
  const provider = parsed.cloud.provider;
  const refusal = cloudProfile(provider).alternativeTypesRefusal;
  return parsed.nodePools.flatMap((p, i) =>
    p.alternativeInstanceTypes.flatMap((t, j) => {
      const path = ['nodePools', i, 'alternativeInstanceTypes', j];
      if (refusal) return [issue(path, refusal, t)];
      const alt = instanceType(provider, t);
      const main = instanceType(provider, p.instanceType);
      if (!alt) return [issue(path, `is not a known ${provider} instance type (see config/clouds/${provider}.ts)`, t)];
      if (main && (alt.vcpu !== main.vcpu || alt.memoryGiB !== main.memoryGiB)) {
        const message = `must match ${p.instanceType} (${main.vcpu} vCPU, ${main.memoryGiB} GiB): the autoscaler assumes one node size per group`;
        return [issue(path, message, t)];
      }
      return [];
    }),
  );
}
