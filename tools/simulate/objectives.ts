/**
 * The objectives an environment declares under `simulation.objectives`, judged against a run.
 */
import type { SimulationObjective } from '../../config';
import { ALL_TIERS, type Summary } from './results';
import { formatSeconds } from './format';

export interface ObjectiveResult {
  readonly objective: SimulationObjective;
  readonly label: string;
  readonly measured: number;
  readonly met: boolean;
  /** Whether `--check` fails on this result: a miss not marked accepted, or an accepted miss that is met now. */
  readonly fails: boolean;
}

export function verdict(r: Pick<ObjectiveResult, 'met' | 'objective'>): string {
  if (r.objective.acceptedMiss === undefined) return r.met ? 'met' : '**missed**';
  return r.met ? '**met, but marked acceptedMiss**' : `missed (accepted: ${r.objective.acceptedMiss})`;
}

export function objectiveLabel(o: SimulationObjective): string {
  if (o.maxApiCpuUtilization !== undefined) {
    return `${o.percentile} API CPU utilization ≤ ${o.maxApiCpuUtilization} % (profile ${o.profile}, over the HPA's syncs)${o.source ? `: ${o.source}` : ''}`;
  }
  return `${o.percentile} session start ≤ ${o.maxStartSeconds} s (profile ${o.profile}, ${o.tier ? `tier ${o.tier}` : 'all tiers'})${o.source ? `: ${o.source}` : ''}`;
}

/** The objective's limit and unit, whichever it measures. */
export function objectiveLimit(o: SimulationObjective): { value: number; unit: 's' | '%' } {
  return o.maxApiCpuUtilization !== undefined
    ? { value: o.maxApiCpuUtilization, unit: '%' }
    : { value: o.maxStartSeconds!, unit: 's' };
}

/** A measured value as the objective states it: seconds, or percent. */
export function formatMeasured(o: SimulationObjective, measured: number): string {
  if (o.maxApiCpuUtilization === undefined) return formatSeconds(measured);
  return Number.isNaN(measured) ? 'n/a' : `${measured} %`;
}

export function judge(objective: SimulationObjective, summary: Summary): ObjectiveResult {
  const { measured, limit } = measuredAgainst(objective, summary);
  const met = !Number.isNaN(measured) && measured <= limit;
  return {
    objective,
    label: objectiveLabel(objective),
    measured,
    met,
    fails: objective.acceptedMiss === undefined ? !met : met,
  };
}

/** The objective's measure in this run (NaN when the run cannot tell) and its bound. */
function measuredAgainst(objective: SimulationObjective, summary: Summary): { measured: number; limit: number } {
  if (objective.maxApiCpuUtilization !== undefined) {
    // An environment whose API is not modelled cannot meet an objective about it.
    const measured = summary.api ? summary.api.cpuUtilization[objective.percentile] : NaN;
    return { measured, limit: objective.maxApiCpuUtilization };
  }
  const tier = objective.tier ?? ALL_TIERS;
  const stats = summary.latency.find((l) => l.tier === tier);
  // A tier that had no session in the profile cannot meet an objective about it.
  const measured = stats && stats.sessions > 0 ? stats[objective.percentile] : NaN;
  return { measured, limit: objective.maxStartSeconds! };
}

/** The line `--check` prints for a failing result, with the numbers. */
export function describeFailure(r: ObjectiveResult, summary: Summary): string {
  if (r.met) {
    return `${summary.stack}: ${r.label} is met now (measured ${formatMeasured(r.objective, r.measured)}) but marked acceptedMiss: remove the marker from the stack file`;
  }
  return describeMiss(r, summary);
}

/** One line per missed objective, with the numbers. */
export function describeMiss(r: ObjectiveResult, summary: Summary): string {
  if (r.objective.maxApiCpuUtilization !== undefined) {
    const a = summary.api;
    const detail = a
      ? `p50 ${a.cpuUtilization.p50} %, p95 ${a.cpuUtilization.p95} %, p99 ${a.cpuUtilization.p99} %, max ${a.cpuUtilization.max} %; replicas ${a.min}–${a.max}, peak ${a.peakReplicas}; API pool peak ${a.pool.peak} of ${a.pool.max} nodes`
      : 'the API is not modelled for this environment (see the parameters)';
    const bound = summary.limits.find((l) => l.limit === 'API max' || l.limit === 'API pool max');
    return `${summary.stack}: missed ${r.label}: measured ${formatMeasured(r.objective, r.measured)}; ${detail}${bound ? `; bound: ${bound.limit} (${bound.detail})` : ''}`;
  }
  const tier = r.objective.tier ?? ALL_TIERS;
  const stats = summary.latency.find((l) => l.tier === tier);
  const detail = stats
    ? `p50 ${formatSeconds(stats.p50)}, p95 ${formatSeconds(stats.p95)}, p99 ${formatSeconds(stats.p99)} over ${stats.sessions} sessions (${stats.started} started)`
    : `no ${tier} session in the profile`;
  const bound = summary.limits[0] ? `; bound first: ${summary.limits[0].limit} (${summary.limits[0].detail})` : '';
  return `${summary.stack}: missed ${r.label}: measured ${formatSeconds(r.measured)}; ${detail}${bound}`;
}
