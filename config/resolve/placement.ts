/**
 * Placement: the pools the add-ons, the control-plane API and agent pods run on. The
 * pool a section names, else the first pool with a preferred role.
 */
import type { ConfigIssue } from '../errors';
import type { EnvironmentSpec, NodePool } from '../environment-spec';
import type { ParsedEnvironment, PoolRole } from '../schema';
import { issue } from './issue';

export interface ResolvedPlacement {
  readonly system?: NodePool;
  readonly api?: NodePool;
  readonly agents?: NodePool;
  readonly issues: ConfigIssue[];
}

/** The roles each placement prefers, in order, and what the pool is for (for messages). */
export const PLACEMENT_ROLES = {
  system: { roles: ['system', 'control-plane'], what: 'the add-ons' },
  api: { roles: ['api', 'general', 'system'], what: 'the control-plane API' },
  agents: { roles: ['agents'], what: 'agent pods' },
} as const satisfies Record<keyof EnvironmentSpec['placement'], { roles: readonly PoolRole[]; what: string }>;

/** One placement: the named pool (which must exist), else the first pool of a preferred role (one must exist). */
export function pickPool(
  pools: readonly NodePool[],
  path: readonly PropertyKey[],
  explicit: string | undefined,
  placement: keyof typeof PLACEMENT_ROLES,
): { pool?: NodePool; issues: ConfigIssue[] } {
  const { roles, what } = PLACEMENT_ROLES[placement];
  if (explicit !== undefined) {
    const pool = pools.find((p) => p.name === explicit);
    if (pool) return { pool, issues: [] };
    const message = `names no pool in nodePools (have: ${pools.map((p) => p.name).join(', ')})`;
    return { issues: [issue(path, message, explicit)] };
  }
  for (const role of roles) {
    const pool = pools.find((p) => p.role === role);
    if (pool) return { pool, issues: [] };
  }
  const message = `is required: no pool with role ${roles.map((r) => `"${r}"`).join(' or ')} for ${what}`;
  return { issues: [issue(path, message)] };
}

/** The three placements, and an agents pool that cannot run gVisor refused. */
export function resolvePlacement(
  parsed: Pick<ParsedEnvironment, 'addons' | 'controlPlaneApi' | 'agents'>,
  pools: readonly NodePool[],
): ResolvedPlacement {
  const system = pickPool(pools, ['addons', 'pool'], parsed.addons.pool, 'system');
  const api = pickPool(pools, ['controlPlaneApi', 'pool'], parsed.controlPlaneApi.pool, 'api');
  const agents = parsed.agents ? pickPool(pools, ['agents', 'pool'], parsed.agents.pool, 'agents') : { issues: [] };
  const issues = [...system.issues, ...api.issues, ...agents.issues];
  if (agents.pool && !agents.pool.gvisor) {
    const message = `names pool "${agents.pool.name}", which has gvisor: false; agent pods need runsc`;
    issues.push(issue(['agents', 'pool'], message, agents.pool.name));
  }
  return {
    ...(system.pool ? { system: system.pool } : {}),
    ...(api.pool ? { api: api.pool } : {}),
    ...(agents.pool ? { agents: agents.pool } : {}),
    issues,
  };
}
