/**
 * What a run means: session-start latency percentiles per tier, the binding limits in the
 * order they bound, quota headroom, nodes, and the cost of the period and per session.
 */
import type { LimitHit, QuotaUsage, SimulationRun } from './engine';
import type { QuotaHard, SimulationModel } from './model';
import type { Workload } from './profiles';

export const ALL_TIERS = 'all';

export interface LatencyStats {
  readonly tier: string;
  readonly sessions: number;
  readonly started: number;
  readonly warm: number;
  /** Seconds; Infinity when the percentile falls on sessions that never started. */
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export interface QuotaRow {
  readonly resource: keyof QuotaHard;
  readonly hard: number;
  readonly peak: number;
  readonly headroom: number;
}

export interface CostSummary {
  readonly currency: string;
  readonly pricesAsOf: string;
  readonly total: number;
  readonly agentPool: number;
  /** The API pool from node creation to removal; undefined when the API is not modelled. */
  readonly apiPool?: number;
  readonly otherPools: number;
  /** total / sessions started; undefined when none started. */
  readonly perSession?: number;
  readonly unpriced: readonly string[];
}

export interface PercentileStats {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export interface ApiSummary {
  readonly min: number;
  readonly max: number;
  readonly peakReplicas: number;
  readonly firstScaleUpAt?: number;
  /** CPU utilization (percent of requests) over the HPA's syncs. */
  readonly cpuUtilization: PercentileStats;
  readonly cpuTarget?: number;
  readonly peakDemandRps: number;
  readonly delayedSessions: number;
  readonly maxDelay: number;
  readonly saturatedSeconds: number;
  readonly pool: {
    readonly pool: string;
    readonly instanceType: string;
    readonly initial: number;
    readonly peak: number;
    readonly max: number;
  };
  /** The HPA's view at evenly spaced syncs: time, replicas, Ready, demand, utilization. */
  readonly timeline: readonly {
    readonly time: number;
    readonly replicas: number;
    readonly ready: number;
    readonly demandRps: number;
    readonly cpuUtilization: number;
  }[];
}

export interface Summary {
  readonly stack: string;
  readonly profile: string;
  readonly description: string;
  readonly seed: number;
  readonly horizon: number;
  readonly latency: readonly LatencyStats[];
  readonly limits: readonly LimitHit[];
  readonly quota: readonly QuotaRow[];
  readonly nodes: {
    readonly pool: string;
    readonly instanceType: string;
    readonly initial: number;
    readonly peak: number;
    readonly max: number;
  };
  readonly peakPendingPods: number;
  readonly cost: CostSummary;
  readonly events: number;
  readonly api?: ApiSummary;
}

/** Nearest-rank percentile of ascending values: the value at rank ceil(p/100 · n). */
export function percentile(ascending: readonly number[], p: number): number {
  if (ascending.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * ascending.length));
  return ascending[rank - 1]!;
}

function latencyOf(tier: string, run: SimulationRun): LatencyStats {
  const sessions = run.sessions.filter((s) => tier === ALL_TIERS || s.tier === tier);
  // A session that never got a sandbox waited at least until the end: it counts as Infinity.
  const waits = sessions.map((s) => (s.readyAt === undefined ? Infinity : s.readyAt - s.arrival)).sort((a, b) => a - b);
  return {
    tier,
    sessions: sessions.length,
    started: sessions.filter((s) => s.readyAt !== undefined).length,
    warm: sessions.filter((s) => s.warm).length,
    p50: percentile(waits, 50),
    p95: percentile(waits, 95),
    p99: percentile(waits, 99),
    max: waits.length > 0 ? waits[waits.length - 1]! : NaN,
  };
}

function costOf(model: SimulationModel, run: SimulationRun, started: number): CostSummary {
  const hours = run.horizon / 3600;
  const unpriced: string[] = [];
  const p = model.agentPool;
  const agentPool = p.hourlyPrice === undefined ? 0 : (run.agentNodeSeconds / 3600) * p.hourlyPrice;
  if (p.hourlyPrice === undefined) unpriced.push(`${p.name} (${p.instanceType})`);
  const a = model.api;
  let apiPool: number | undefined;
  if (a && run.api) {
    if (a.pool.hourlyPrice === undefined) unpriced.push(`${a.pool.name} (${a.pool.instanceType})`);
    apiPool = a.pool.hourlyPrice === undefined ? 0 : (run.api.nodeSeconds / 3600) * a.pool.hourlyPrice;
  }
  let otherPools = 0;
  for (const s of model.staticPools) {
    if (s.hourlyPrice === undefined) unpriced.push(`${s.name} (${s.instanceType})`);
    else otherPools += s.nodes * hours * s.hourlyPrice;
  }
  const total = agentPool + (apiPool ?? 0) + otherPools;
  return {
    currency: model.currency,
    pricesAsOf: model.pricesAsOf,
    total,
    agentPool,
    ...(apiPool === undefined ? {} : { apiPool }),
    otherPools,
    ...(started > 0 ? { perSession: total / started } : {}),
    unpriced,
  };
}

/** Rows of the API timeline in a summary. */
const TIMELINE_ROWS = 12;

function apiSummary(model: SimulationModel, run: SimulationRun): ApiSummary | undefined {
  const api = model.api;
  const r = run.api;
  if (!api || !r) return undefined;
  const utilization = r.syncs
    .map((s) => s.cpuUtilization)
    .filter((u) => !Number.isNaN(u))
    .sort((x, y) => x - y);
  const step = Math.max(1, Math.ceil(r.syncs.length / TIMELINE_ROWS));
  const timeline = r.syncs
    .filter((_, i) => i % step === 0)
    .map((s) => ({
      time: s.time,
      replicas: s.replicas,
      ready: s.ready,
      demandRps: s.demandRps,
      cpuUtilization: s.cpuUtilization,
    }));
  return {
    min: api.min,
    max: api.max,
    peakReplicas: r.maxReplicas,
    ...(r.firstScaleUpAt === undefined ? {} : { firstScaleUpAt: r.firstScaleUpAt }),
    cpuUtilization: {
      p50: percentile(utilization, 50),
      p95: percentile(utilization, 95),
      p99: percentile(utilization, 99),
      max: utilization.length > 0 ? utilization[utilization.length - 1]! : NaN,
    },
    ...(api.cpuTarget === undefined ? {} : { cpuTarget: api.cpuTarget }),
    peakDemandRps: r.syncs.reduce((m, s) => Math.max(m, s.demandRps), 0),
    delayedSessions: r.delayedSessions,
    maxDelay: r.maxDelay,
    saturatedSeconds: r.saturatedSeconds,
    pool: {
      pool: api.pool.name,
      instanceType: api.pool.instanceType,
      initial: api.pool.initial,
      peak: r.maxNodes,
      max: api.pool.max,
    },
    timeline,
  };
}

export function summarize(model: SimulationModel, workload: Workload, run: SimulationRun, seed: number): Summary {
  const tiers = [...new Set(workload.arrivals.map((a) => a.tier))].sort(
    (a, b) => Object.keys(model.tiers).indexOf(a) - Object.keys(model.tiers).indexOf(b),
  );
  const all = latencyOf(ALL_TIERS, run);
  const api = apiSummary(model, run);
  const quota = (Object.keys(model.quota) as (keyof QuotaHard)[]).map((resource) => ({
    resource,
    hard: model.quota[resource],
    peak: run.quotaPeak[resource as keyof QuotaUsage],
    headroom: model.quota[resource] - run.quotaPeak[resource as keyof QuotaUsage],
  }));
  return {
    stack: model.stack,
    profile: workload.profile,
    description: workload.description,
    seed,
    horizon: run.horizon,
    latency: [...tiers.map((t) => latencyOf(t, run)), all],
    limits: run.limits,
    quota,
    nodes: {
      pool: model.agentPool.name,
      instanceType: model.agentPool.instanceType,
      initial: model.agentPool.initial,
      peak: run.maxAgentNodes,
      max: model.agentPool.max,
    },
    peakPendingPods: run.samples.reduce((n, s) => Math.max(n, s.pendingPods), 0),
    cost: costOf(model, run, all.started),
    events: run.events,
    ...(api ? { api } : {}),
  };
}
