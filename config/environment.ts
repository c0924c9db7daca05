/**
 * Resolving a parsed stack file into the EnvironmentSpec both engines consume:
 * derived defaults filled in once (pool taints, the namespace list, add-on
 * toggles per cloud) and the invariants that span objects checked once. Each
 * concern is a small pure module in config/resolve/ (cloud, pools, placement,
 * add-ons, namespaces, workloads) reading the cloud's profile (config/clouds/);
 * this file composes them, in the order their problems are reported.
 */
import type { ConfigIssue } from './errors';
import { prefixedName } from './contract';
import { checkDangerousSettings } from './dangerous-settings';
import type { EnvironmentSpec, NamespaceSpec, NodePool } from './environment-spec';
import { edgeIssues, edgeWarnings } from './edge';
import { PLATFORM_NAMESPACES, type PlatformNamespaceKey } from './namespaces';
import { recoveryIssues } from './recovery';
import { addonRequirementIssues, resolveAddons } from './resolve/addons';
import { cloudIssues } from './resolve/cloud';
import { resolveNamespaces } from './resolve/namespaces';
import { resolvePlacement } from './resolve/placement';
import { alternativeTypeIssues, resolvePools } from './resolve/pools';
import { agentTierIssues, workloadIssues } from './resolve/workloads';
import type { ParsedEnvironment, PoolRole } from './schema';

export type { AddonsSpec, EnvironmentSpec, NamespaceSpec, NodePool } from './environment-spec';
export { priorityClassNames } from './resolve/workloads';

export interface ResolveResult {
  readonly spec?: EnvironmentSpec;
  readonly issues: ConfigIssue[];
  readonly warnings: string[];
}

/** Platform namespace key → full name, for one environment. */
export function platformNamespaceName(prefix: string, key: PlatformNamespaceKey): string {
  const def = PLATFORM_NAMESPACES.find((d) => d.key === key)!;
  return def.prefixed ? prefixedName(prefix, key) : key;
}

/** Cross-object invariants and derived defaults. Runs only on a structurally valid file. */
export function resolveEnvironment(parsed: ParsedEnvironment, stack: string): ResolveResult {
  const issues: ConfigIssue[] = cloudIssues(parsed.cloud);
  const { pools, ...pooled } = resolvePools(parsed);
  issues.push(...pooled.issues);
  const warnings = [...pooled.warnings];
  const placement = resolvePlacement(parsed, pools);
  const { addons, issues: addonIssues } = resolveAddons(parsed);
  issues.push(...placement.issues, ...agentTierIssues(parsed), ...addonIssues);
  issues.push(...addonRequirementIssues(parsed, addons), ...edgeIssues(parsed));
  warnings.push(...edgeWarnings(parsed));
  const { namespaces, issues: namespaceIssues } = resolveNamespaces(parsed, addons);
  const workloads = workloadIssues(parsed, namespaces, pools);
  issues.push(...namespaceIssues, ...workloads.issues, ...alternativeTypeIssues(parsed));
  warnings.push(...workloads.warnings);
  issues.push(...recoveryIssues(recoveryFacts(parsed, addons, namespaces)));
  if (parsed.adminCidrs.includes('0.0.0.0/0')) {
    warnings.push('adminCidrs contains 0.0.0.0/0: SSH and the Kubernetes API are open to the internet');
  }
  const dangerous = checkDangerousSettings(parsed);
  issues.push(...dangerous.issues);
  warnings.push(...dangerous.warnings);

  const { system, api, agents } = placement;
  if (issues.length > 0 || !system || !api) return { issues, warnings };
  const { tenants: _t, tenantDefaults: _d, namespaces: _n, ...rest } = parsed;
  void _t;
  void _d;
  void _n;
  return {
    issues,
    warnings,
    spec: {
      ...rest,
      stack,
      protect: parsed.protect ?? parsed.stage === 'prod',
      nodePools: pools,
      namespaces,
      addons,
      placement: { system, api, ...(agents ? { agents } : {}) },
    },
  };
}

/** What the recovery rules (config/recovery.ts) read of the resolved environment. */
function recoveryFacts(
  parsed: ParsedEnvironment,
  addons: EnvironmentSpec['addons'],
  namespaces: readonly NamespaceSpec[],
): Parameters<typeof recoveryIssues>[0] {
  return {
    provider: parsed.cloud.provider,
    stage: parsed.stage,
    backup: parsed.backup,
    vaultEnabled: addons.vault.enabled,
    veleroEnabled: addons.velero.enabled,
    namespaces: new Map(namespaces.map((n) => [n.key, n.name])),
    statefulServices: parsed.statefulServices,
    snapshotDrivers: parsed.volumeSnapshotClasses.map((c) => c.driver),
  };
}

/** Finds a namespace by key (`agents`) or fails loudly: a missing key is a programming error. */
export function namespaceOf(spec: EnvironmentSpec, key: string): NamespaceSpec {
  const ns = spec.namespaces.find((n) => n.key === key);
  if (!ns)
    throw new Error(
      `environment ${spec.stack} has no namespace "${key}" (have: ${spec.namespaces.map((n) => n.key).join(', ')})`,
    );
  return ns;
}

/** The pool a workload lands on: the one it names, else the first pool with a preferred role, else the API pool. */
export function poolFor(spec: EnvironmentSpec, explicit: string | undefined, roles: readonly PoolRole[]): NodePool {
  if (explicit !== undefined) {
    const pool = spec.nodePools.find((p) => p.name === explicit);
    if (!pool) throw new Error(`environment ${spec.stack} has no pool "${explicit}"`);
    return pool;
  }
  return spec.nodePools.find((p) => roles.includes(p.role)) ?? spec.placement.api;
}
