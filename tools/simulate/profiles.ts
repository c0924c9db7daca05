/**
 * Session-arrival profiles: the built-in ones (steady, daily, burst), the ones an environment
 * declares under `simulation.profiles`, and turning a profile into arrivals with a seeded PRNG.
 */
import type { EnvironmentSpec, SimulationProfileSpec } from '../../config';
import { logNormal, seededRandom, weighted, type Random } from './prng';
import { DEFAULT_SESSION_MINUTES } from './parameters';
import { SimulationInputError } from './model';

export interface Arrival {
  /** Seconds from the start of the simulation. */
  readonly time: number;
  readonly tier: string;
  readonly durationSeconds: number;
}

export interface Workload {
  readonly profile: string;
  readonly description: string;
  /** How long the simulation runs, in seconds. */
  readonly horizon: number;
  readonly arrivals: readonly Arrival[];
}

const DAY = 86_400;

/** The profiles every environment has; `simulation.profiles` may replace them by name. */
export const BUILT_IN_PROFILES: Readonly<Record<string, SimulationProfileSpec>> = {
  steady: { kind: 'steady', sessions: 10_000, hours: 24 },
  daily: { kind: 'daily', sessions: 10_000, peakHour: 14, troughRatio: 0.2 },
  burst: { kind: 'burst', sessions: 300, withinSeconds: 60, observeMinutes: 30 },
};

export function profileNames(spec: EnvironmentSpec): string[] {
  return [...new Set([...Object.keys(BUILT_IN_PROFILES), ...Object.keys(spec.simulation?.profiles ?? {})])].sort();
}

export function profileSpec(spec: EnvironmentSpec, name: string): SimulationProfileSpec {
  const found = spec.simulation?.profiles[name] ?? BUILT_IN_PROFILES[name];
  if (!found) {
    throw new SimulationInputError(
      `unknown profile "${name}" for stack ${spec.stack} (allowed: ${profileNames(spec).join(', ')}, or a CSV file of time,tier[,durationMinutes])`,
    );
  }
  return found;
}

export function describeProfile(p: SimulationProfileSpec): string {
  switch (p.kind) {
    case 'steady':
      return `steady: ${p.sessions} sessions spread evenly over ${p.hours} h`;
    case 'daily':
      return `daily: ${p.sessions} sessions over 24 h, peak at ${p.peakHour}:00 UTC, trough at ${Math.round(p.troughRatio * 100)}% of the peak`;
    case 'burst':
      return `burst: ${p.sessions} sessions within ${p.withinSeconds} s, observed for ${p.observeMinutes} min`;
  }
}

/** Tier names and cumulative weights: simulation.tierMix, else the agents.sessions maxima, else equal. */
export function tierMix(spec: EnvironmentSpec): { tiers: string[]; cumulative: number[] } {
  const tiers = Object.keys(spec.agents?.tiers ?? {});
  const declared = spec.simulation?.tierMix;
  if (declared) {
    const unknown = Object.keys(declared).filter((t) => !tiers.includes(t));
    if (unknown.length > 0) {
      throw new SimulationInputError(
        `simulation.tierMix names ${unknown.map((t) => `"${t}"`).join(', ')}, not tiers of ${spec.stack} (tiers: ${tiers.join(', ')})`,
      );
    }
  }
  const sessions = spec.agents?.sessions ?? {};
  const weightOf = (t: string) =>
    declared ? (declared[t] ?? 0) : Object.keys(sessions).length > 0 ? (sessions[t] ?? 0) : 1;
  const used = tiers.filter((t) => weightOf(t) > 0);
  if (used.length === 0) throw new SimulationInputError(`no tier of ${spec.stack} has a share in the tier mix`);
  let sum = 0;
  return { tiers: used, cumulative: used.map((t) => (sum += weightOf(t))) };
}

/** Arrival times of a profile, sorted, in seconds. */
function arrivalTimes(p: SimulationProfileSpec, random: Random): { times: number[]; horizon: number } {
  const times: number[] = [];
  switch (p.kind) {
    case 'steady': {
      const horizon = p.hours * 3600;
      // A Poisson process conditioned on its count: that many uniform times.
      for (let i = 0; i < p.sessions; i++) times.push(random.next() * horizon);
      times.sort((a, b) => a - b);
      return { times, horizon };
    }
    case 'daily': {
      // Rate ∝ (1 + r)/2 + (1 - r)/2 · cos(2π (t − peak) / day): 1 at the peak, r at the trough. Rejection sampling.
      const r = p.troughRatio;
      while (times.length < p.sessions) {
        const t = random.next() * DAY;
        const rate = (1 + r) / 2 + ((1 - r) / 2) * Math.cos((2 * Math.PI * (t - p.peakHour * 3600)) / DAY);
        if (random.next() < rate) times.push(t);
      }
      times.sort((a, b) => a - b);
      return { times, horizon: DAY };
    }
    case 'burst':
      for (let i = 0; i < p.sessions; i++) times.push(random.next() * p.withinSeconds);
      times.sort((a, b) => a - b);
      return { times, horizon: p.observeMinutes * 60 };
  }
}

export function sessionMinutes(spec: EnvironmentSpec): { median: number; p90: number } {
  return spec.simulation?.sessionMinutes ?? DEFAULT_SESSION_MINUTES;
}

/** A profile's arrivals: times, then a tier and a length for each, all from one seeded stream. */
export function workloadOf(spec: EnvironmentSpec, name: string, seed: number): Workload {
  const p = profileSpec(spec, name);
  const random = seededRandom(seed);
  const mix = tierMix(spec);
  const minutes = sessionMinutes(spec);
  const { times, horizon } = arrivalTimes(p, random);
  const arrivals = times.map((time) => ({
    time,
    tier: mix.tiers[weighted(random, mix.cumulative)]!,
    durationSeconds: logNormal(random, minutes.median, minutes.p90) * 60,
  }));
  return { profile: name, description: describeProfile(p), horizon, arrivals };
}
