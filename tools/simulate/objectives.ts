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
}

export function objectiveLabel(o: SimulationObjective): string {
  return `${o.percentile} session start ≤ ${o.maxStartSeconds} s (profile ${o.profile}, ${o.tier ? `tier ${o.tier}` : 'all tiers'})${o.source ? `: ${o.source}` : ''}`;
}

export function judge(objective: SimulationObjective, summary: Summary): ObjectiveResult {
  const tier = objective.tier ?? ALL_TIERS;
  const stats = summary.latency.find((l) => l.tier === tier);
  // A tier that had no session in the profile cannot meet an objective about it.
  const measured = stats && stats.sessions > 0 ? stats[objective.percentile] : NaN;
  return {
    objective,
    label: objectiveLabel(objective),
    measured,
    met: !Number.isNaN(measured) && measured <= objective.maxStartSeconds,
  };
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
