/**
 * The objectives an environment declares under `simulation.objectives`, judged against a run.
 */
import type { SimulationObjective } from '../../config';
import { ALL_TIERS, type Summary } from './results';
import { formatSeconds } from './report';

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
  return `${o.percentile} session start ≤ ${o.maxStartSeconds} s (profile ${o.profile}, ${o.tier ? `tier ${o.tier}` : 'all tiers'})${o.source ? `: ${o.source}` : ''}`;
}

export function judge(objective: SimulationObjective, summary: Summary): ObjectiveResult {
  const tier = objective.tier ?? ALL_TIERS;
  const stats = summary.latency.find((l) => l.tier === tier);
  // A tier that had no session in the profile cannot meet an objective about it.
  const measured = stats && stats.sessions > 0 ? stats[objective.percentile] : NaN;
  const met = !Number.isNaN(measured) && measured <= objective.maxStartSeconds;
  return {
    objective,
    label: objectiveLabel(objective),
    measured,
    met,
    fails: objective.acceptedMiss === undefined ? !met : met,
  };
}

/** The line `--check` prints for a failing result, with the numbers. */
export function describeFailure(r: ObjectiveResult, summary: Summary): string {
  if (r.met) {
    return `${summary.stack}: ${r.label} is met now (measured ${formatSeconds(r.measured)}) but marked acceptedMiss: remove the marker from the stack file`;
  }
  return describeMiss(r, summary);
}

/** One line per missed objective, with the numbers. */
export function describeMiss(r: ObjectiveResult, summary: Summary): string {
  const tier = r.objective.tier ?? ALL_TIERS;
  const stats = summary.latency.find((l) => l.tier === tier);
  const detail = stats
    ? `p50 ${formatSeconds(stats.p50)}, p95 ${formatSeconds(stats.p95)}, p99 ${formatSeconds(stats.p99)} over ${stats.sessions} sessions (${stats.started} started)`
    : `no ${tier} session in the profile`;
  const bound = summary.limits[0] ? `; bound first: ${summary.limits[0].limit} (${summary.limits[0].detail})` : '';
  return `${summary.stack}: missed ${r.label}: measured ${formatSeconds(r.measured)}; ${detail}${bound}`;
}
