/**
 * Cross-layer rules about capacity: what the workloads can ask for at their maxima
 * (autoscaler max, sessions per tier, one per node for DaemonSets) fits the namespace
 * quota, one pod fits a node of its pools, and the pods only one pool can take fit
 * that pool at its maximum size.
 */
import { allocatable, type NodePool } from '../../config';
import { asArray, asObject, describe, effectiveNamespace, namespaceOf } from '../manifests';
import type { GateRule, Hit } from '../rule';
import type { GateContext, Manifest } from '../types';
import { formatBytesHuman, formatMillis, parseQuantity, type PodResources } from '../workloads';
import type { Demand } from './cross-layer';
import { crossLayerPlan, type CrossLayerPlan } from './cross-layer-plan';
import { ofKind } from './object-index';
import { shown } from '../values';

interface QuotaCheck {
  readonly key: string;
  readonly format: (n: number) => string;
  readonly per: (d: Demand) => number;
}

const QUOTA_CHECKS: readonly QuotaCheck[] = [
  { key: 'requests.cpu', format: formatMillis, per: (d) => d.requests.cpu },
  { key: 'requests.memory', format: formatBytesHuman, per: (d) => d.requests.memory },
  { key: 'limits.cpu', format: formatMillis, per: (d) => d.limits.cpu },
  { key: 'limits.memory', format: formatBytesHuman, per: (d) => d.limits.memory },
  { key: 'pods', format: String, per: () => 1 },
];

function quotaHits(quota: Manifest, list: readonly Demand[]): Hit[] {
  const ns = namespaceOf(quota.object);
  const hard = asObject(asObject(quota.object.spec).hard);
  return QUOTA_CHECKS.flatMap((c) => {
    const raw = hard[c.key] ?? (c.key.startsWith('requests.') ? hard[c.key.slice('requests.'.length)] : undefined);
    if (raw === undefined) return [];
    const limit = c.key === 'pods' ? Number(raw) : (parseQuantity(raw) ?? 0) * (c.key.endsWith('cpu') ? 1000 : 1);
    const need = list.reduce((n, d) => n + d.replicas * c.per(d), 0);
    if (need <= limit) return [];
    const terms = list
      .map((d) => `${d.template.owner.kind} ${d.template.owner.name} ${d.replicas} (${d.how}) × ${c.format(c.per(d))}`)
      .join(' + ');
    return [
      {
        manifest: quota,
        path: ['spec', 'hard', c.key],
        message: `${c.key} ${shown(raw)} in ${ns} admits less than the workloads can ask for at their maxima: ${terms} = ${c.format(need)}`,
        fix: `raise the quota's ${c.key} to at least ${c.format(need)} in the stack file, or lower the maxima`,
      },
    ];
  });
}

function quotaCapacityHits(ctx: GateContext): Hit[] {
  const plan = crossLayerPlan(ctx);
  if (!plan) return [];
  const byNs = new Map<string, Demand[]>();
  for (const d of plan.demands) {
    const ns = effectiveNamespace(d.template.namespace);
    byNs.set(ns, [...(byNs.get(ns) ?? []), d]);
  }
  return ofKind(ctx, 'ResourceQuota').flatMap((quota) => {
    const list = (byNs.get(namespaceOf(quota.object)) ?? []).filter((d) => d.replicas > 0);
    const quotaSpec = asObject(quota.object.spec);
    // A scoped quota (priority class, terminating, best-effort) counts only some pods: not judged here.
    const scoped = asArray(quotaSpec.scopes).length > 0 || quotaSpec.scopeSelector !== undefined;
    return list.length === 0 || scoped ? [] : quotaHits(quota, list);
  });
}

/** What a node of each pool offers after the system reserve and the DaemonSets that run on it. */
function freeCapacity(plan: CrossLayerPlan): (pool: NodePool) => PodResources {
  const daemonOverhead = new Map<string, PodResources>();
  for (const d of plan.demands) {
    if (d.template.owner.kind !== 'DaemonSet') continue;
    for (const p of d.pools) {
      const o = daemonOverhead.get(p.name) ?? { cpu: 0, memory: 0 };
      daemonOverhead.set(p.name, { cpu: o.cpu + d.requests.cpu, memory: o.memory + d.requests.memory });
    }
  }
  return (p) => {
    const a = allocatable(p.instance);
    const o = daemonOverhead.get(p.name) ?? { cpu: 0, memory: 0 };
    return { cpu: a.cpuMillis - o.cpu, memory: a.memoryBytes - o.memory };
  };
}

function podFitHits(plan: CrossLayerPlan, free: (pool: NodePool) => PodResources): Hit[] {
  return plan.demands.flatMap((d) => {
    if (d.pools.length === 0 || d.template.owner.kind === 'DaemonSet') return [];
    if (d.pools.some((p) => d.requests.cpu <= free(p).cpu && d.requests.memory <= free(p).memory)) return [];
    const offers = d.pools
      .map(
        (p) =>
          `${p.name} (${p.instanceType}: ${formatMillis(free(p).cpu)} / ${formatBytesHuman(Math.max(free(p).memory, 0))} allocatable after system reserve and DaemonSets)`,
      )
      .join(', ');
    return [
      {
        manifest: d.template.manifest,
        path: [...d.template.specPath, 'containers'],
        message: `one pod requests ${formatMillis(d.requests.cpu)} CPU / ${formatBytesHuman(d.requests.memory)}, more than a node of ${offers} offers`,
        fix: 'lower the requests or use a larger instance type for the pool',
      },
    ];
  });
}

function poolTotalHits(plan: CrossLayerPlan, pool: NodePool, free: (pool: NodePool) => PodResources): Hit[] {
  const only = plan.demands.filter(
    (d) => d.pools.length === 1 && d.pools[0] === pool && d.template.owner.kind !== 'DaemonSet' && d.replicas > 0,
  );
  if (only.length === 0) return [];
  const f = free(pool);
  const capacity = { cpu: f.cpu * pool.max, memory: f.memory * pool.max };
  const need = only.reduce(
    (n, d) => ({ cpu: n.cpu + d.replicas * d.requests.cpu, memory: n.memory + d.replicas * d.requests.memory }),
    { cpu: 0, memory: 0 },
  );
  const first = only[0]!;
  return (
    [
      ['cpu', formatMillis],
      ['memory', formatBytesHuman],
    ] as const
  )
    .filter(([key]) => need[key] > capacity[key])
    .map(([key, fmt]) => ({
      manifest: first.template.manifest,
      path: [...first.template.specPath, 'containers'],
      message: `pool "${pool.name}" at its max of ${pool.max} × ${pool.instanceType} offers ${fmt(capacity[key])} ${key} (after system reserve and DaemonSets), but the workloads only it can host ask for ${only.map((d) => `${describe(d.template.owner)} ${d.replicas} (${d.how}) × ${fmt(d.requests[key])}`).join(' + ')} = ${fmt(need[key])}`,
      fix: `raise nodePools[${plan.spec.nodePools.indexOf(pool)}].max or the instance type, or lower the workloads' maxima`,
    }));
}

export const quotaCapacityRule: GateRule = {
  id: 'cross.quota-capacity',
  severity: 'error',
  description: 'autoscaler max × per-pod requests fits the namespace quota',
  fix: "raise the quota in the stack file, or lower the workloads' maxima",
  check: quotaCapacityHits,
};

export const poolCapacityRule: GateRule = {
  id: 'cross.pool-capacity',
  severity: 'error',
  description: "pods fit the pools' maximum allocatable capacity",
  fix: 'lower the requests or the maxima, or raise the pool size or instance type',
  check: (ctx) => {
    const plan = crossLayerPlan(ctx);
    if (!plan) return [];
    const free = freeCapacity(plan);
    return [...podFitHits(plan, free), ...plan.pools.flatMap((pool) => poolTotalHits(plan, pool, free))];
  },
};
