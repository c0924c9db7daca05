/**
 * Workloads: what services, stateful services, jobs and agents refer to (namespaces,
 * pools, callers and clients, priority classes, agent tiers) exists, and names that
 * must be unique are.
 */
import type { ConfigIssue } from '../errors';
import type { NamespaceSpec, NodePool } from '../environment-spec';
import type { ParsedEnvironment } from '../schema';
import { PLATFORM_PRIORITY_CLASSES } from '../workloads';
import { issue, type Findings } from './issue';

/** Every PriorityClass name the environment defines. */
export function priorityClassNames(parsed: Pick<ParsedEnvironment, 'priorityClasses'>): string[] {
  return [...PLATFORM_PRIORITY_CLASSES.map((p) => p.name), ...parsed.priorityClasses.map((p) => p.name)];
}

/** Tiers the warm pool and the session limits name are defined in `agents.tiers`. */
export function agentTierIssues(parsed: Pick<ParsedEnvironment, 'agents'>): ConfigIssue[] {
  if (!parsed.agents) return [];
  const tiers = Object.keys(parsed.agents.tiers);
  const notATier = `is not a tier defined in agents.tiers (${tiers.join(', ')})`;
  const issues: ConfigIssue[] = [];
  const warmPool = parsed.agents.warmPool;
  if (warmPool && !tiers.includes(warmPool.tier)) {
    issues.push(issue(['agents', 'warmPool', 'tier'], notATier, warmPool.tier));
  }
  for (const tier of Object.keys(parsed.agents.sessions)) {
    if (!tiers.includes(tier)) issues.push(issue(['agents', 'sessions', tier], notATier));
  }
  return issues;
}

type WorkloadInput = Pick<
  ParsedEnvironment,
  'services' | 'statefulServices' | 'jobs' | 'controlPlaneApi' | 'priorityClasses' | 'storageClasses'
>;

/** The checks one environment's workloads share: what exists to be referred to, and names already taken. */
function referenceChecks(parsed: WorkloadInput, namespaces: readonly NamespaceSpec[], pools: readonly NodePool[]) {
  const namespaceKeys = namespaces.map((n) => n.key);
  const poolNames = pools.map((p) => p.name);
  const priorities = priorityClassNames(parsed);
  const workloadNames = ['api', ...parsed.services.map((s) => s.name), ...parsed.jobs.map((j) => j.name)];
  const seen = new Map<string, string>();
  return {
    unique(path: PropertyKey[], namespace: string, name: string): ConfigIssue[] {
      const previous = seen.get(`${namespace}/${name}`);
      if (previous) return [issue(path, `duplicates ${previous}: workload names must be unique in a namespace`, name)];
      seen.set(`${namespace}/${name}`, path.join('.'));
      return [];
    },
    namespace(path: PropertyKey[], ns: string): ConfigIssue[] {
      if (namespaceKeys.includes(ns)) return [];
      return [issue(path, `is not a namespace of this environment (have: ${namespaceKeys.join(', ')})`, ns)];
    },
    pool(path: PropertyKey[], pool: string | undefined, gpus: number): ConfigIssue[] {
      return poolIssues(pools, poolNames, path, pool, gpus);
    },
    priority(path: PropertyKey[], name: string | undefined): ConfigIssue[] {
      if (name === undefined || priorities.includes(name)) return [];
      return [issue(path, `is not a PriorityClass of this environment (have: ${priorities.join(', ')})`, name)];
    },
    workload(path: PropertyKey[], name: string): ConfigIssue[] {
      if (workloadNames.includes(name)) return [];
      return [issue(path, `names no workload (have: ${workloadNames.join(', ')})`, name)];
    },
  };
}

/** The pool a workload names exists, and a workload requesting GPUs lands on a GPU pool. */
function poolIssues(
  pools: readonly NodePool[],
  poolNames: readonly string[],
  path: PropertyKey[],
  pool: string | undefined,
  gpus: number,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (pool !== undefined && !poolNames.includes(pool)) {
    issues.push(issue(path, `names no pool in nodePools (have: ${poolNames.join(', ')})`, pool));
  }
  // Without an explicit pool a GPU workload goes to the first `gpu`-role pool (see poolFor).
  const target = pool === undefined ? pools.find((p) => p.role === 'gpu') : pools.find((p) => p.name === pool);
  if (gpus > 0 && !target?.gpu) {
    const message =
      pool === undefined
        ? `is required: the workload requests ${gpus} GPU(s) and no pool with role "gpu" and gpu: true exists`
        : `must name a pool with gpu: true, since the workload requests ${gpus} GPU(s)`;
    issues.push(issue(path, message, pool));
  }
  return issues;
}

/** Services, the API, stateful services and jobs: their references and names; then storage and priority classes. */
export function workloadIssues(
  parsed: WorkloadInput,
  namespaces: readonly NamespaceSpec[],
  pools: readonly NodePool[],
): Findings {
  const check = referenceChecks(parsed, namespaces, pools);
  const issues = parsed.services.flatMap((s, i) => check.namespace(['services', i, 'namespace'], s.namespace));
  parsed.services.forEach((s, i) => {
    issues.push(
      ...check.unique(['services', i, 'name'], s.namespace, s.name),
      ...check.pool(['services', i, 'pool'], s.pool, s.gpus),
      ...check.priority(['services', i, 'priorityClass'], s.priorityClass),
      ...s.callers.flatMap((c, j) => check.workload(['services', i, 'callers', j], c)),
    );
  });
  issues.push(...check.priority(['controlPlaneApi', 'priorityClass'], parsed.controlPlaneApi.priorityClass));
  const stateful = statefulServiceFindings(parsed, check);
  issues.push(...stateful.issues);
  parsed.jobs.forEach((j, i) => {
    issues.push(
      ...check.namespace(['jobs', i, 'namespace'], j.namespace),
      ...check.unique(['jobs', i, 'name'], j.namespace, j.name),
      ...check.pool(['jobs', i, 'pool'], j.pool, j.gpus),
      ...check.priority(['jobs', i, 'priorityClass'], j.priorityClass),
    );
  });
  issues.push(...storageClassIssues(parsed), ...priorityClassIssues(parsed));
  return { issues, warnings: stateful.warnings };
}

function statefulServiceFindings(parsed: WorkloadInput, check: ReturnType<typeof referenceChecks>): Findings {
  const storageClassNames = parsed.storageClasses.map((c) => c.name);
  const issues: ConfigIssue[] = [];
  const warnings: string[] = [];
  parsed.statefulServices.forEach((s, i) => {
    issues.push(
      ...check.namespace(['statefulServices', i, 'namespace'], s.namespace),
      ...check.unique(['statefulServices', i, 'name'], s.namespace, s.name),
      ...check.pool(['statefulServices', i, 'pool'], s.pool, 0),
      ...s.clients.flatMap((c, j) => check.workload(['statefulServices', i, 'clients', j], c)),
    );
    const sc = s.storage.storageClass;
    if (sc !== undefined && !storageClassNames.includes(sc)) {
      warnings.push(
        `statefulServices[${i}].storage.storageClass: "${sc}" is not defined in storageClasses; it must exist in the cluster`,
      );
    }
  });
  return { issues, warnings };
}

/** At most one default StorageClass. */
function storageClassIssues(parsed: Pick<ParsedEnvironment, 'storageClasses'>): ConfigIssue[] {
  const defaults = parsed.storageClasses.filter((c) => c.default);
  if (defaults.length <= 1) return [];
  const message = `must mark at most one class as default (marked: ${defaults.map((c) => c.name).join(', ')})`;
  return [issue(['storageClasses'], message)];
}

/** PriorityClass names are unique, and none takes a built-in name. */
function priorityClassIssues(parsed: Pick<ParsedEnvironment, 'priorityClasses'>): ConfigIssue[] {
  const names = new Set<string>();
  return parsed.priorityClasses.flatMap((p, i) => {
    const duplicate = PLATFORM_PRIORITY_CLASSES.some((c) => c.name === p.name) || names.has(p.name);
    names.add(p.name);
    if (!duplicate) return [];
    const message = 'duplicates a PriorityClass name (platform-critical, agent and batch are built in)';
    return [issue(['priorityClasses', i, 'name'], message, p.name)];
  });
}
