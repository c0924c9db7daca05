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
  readonly otherPools: number;
  /** total / sessions started; undefined when none started. */
  readonly perSession?: number;
  readonly unpriced: readonly string[];
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
  let otherPools = 0;
  for (const s of model.staticPools) {
    if (s.hourlyPrice === undefined) unpriced.push(`${s.name} (${s.instanceType})`);
    else otherPools += s.nodes * hours * s.hourlyPrice;
  }
  const total = agentPool + otherPools;
  return {
    currency: model.currency,
    pricesAsOf: model.pricesAsOf,
    total,
    agentPool,
    otherPools,
    ...(started > 0 ? { perSession: total / started } : {}),
    unpriced,
  };
}

export function summarize(model: SimulationModel, workload: Workload, run: SimulationRun, seed: number): Summary {
  const tiers = [...new Set(workload.arrivals.map((a) => a.tier))].sort(
    (a, b) => Object.keys(model.tiers).indexOf(a) - Object.keys(model.tiers).indexOf(b),
  );
  const all = latencyOf(ALL_TIERS, run);
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
  };
}
