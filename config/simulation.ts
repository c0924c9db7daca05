/**
 * The optional `simulation` section of an environment: what `npm run simulate` may not read
 * from the rest of the model (timings of the cloud and the runtime, how long sessions last,
 * which tiers users start), the arrival profiles the environment cares about, and the
 * objectives `npm run simulate -- --check` holds it to.
 *
 * Only the shape lives here; the defaults of every timing, with their upstream sources, are
 * in tools/simulate/parameters.ts.
 */
import { z } from 'zod';
import { dnsLabel, positiveInt, strict } from './primitives';

/** Every assumed timing of the simulation, in seconds (defaults: tools/simulate/parameters.ts). */
export const SIMULATION_TIMINGS = [
  'hpaSyncSeconds',
  'autoscalerScanSeconds',
  'scaleDownDelayAfterAddSeconds',
  'nodeProvisionSeconds',
  'imagePullSeconds',
  'sandboxStartSeconds',
  'schedulingSeconds',
  'warmClaimSeconds',
  'quotaRetrySeconds',
  'apiImagePullSeconds',
  'apiStartSeconds',
] as const;
export type SimulationTiming = (typeof SIMULATION_TIMINGS)[number];

const seconds = z.number().min(0).max(86_400);

const timings = strict(
  Object.fromEntries(SIMULATION_TIMINGS.map((name) => [name, seconds.optional()])) as Record<
    SimulationTiming,
    z.ZodOptional<typeof seconds>
  >,
);

const steady = strict({
  kind: z.literal('steady'),
  sessions: positiveInt,
  hours: z.number().positive().max(168).default(24),
});
const daily = strict({
  kind: z.literal('daily'),
  sessions: positiveInt,
  /** Hour of the day (UTC, 0-23) when arrivals peak. */
  peakHour: z.number().int().min(0).max(23).default(14),
  /** Arrival rate at the trough as a fraction of the peak. */
  troughRatio: z.number().min(0).max(1).default(0.2),
});
const burst = strict({
  kind: z.literal('burst'),
  sessions: positiveInt,
  withinSeconds: z.number().positive().max(3600).default(60),
  /** How long the simulation runs from the first arrival. */
  observeMinutes: z.number().positive().max(1440).default(30),
});
export const simulationProfile = z.discriminatedUnion('kind', [steady, daily, burst]);
export type SimulationProfileSpec = z.output<typeof simulationProfile>;

export const OBJECTIVE_PERCENTILES = ['p50', 'p95', 'p99', 'max'] as const;

/**
 * What an objective measures: one of these fields is set. `maxStartSeconds`: seconds from the
 * user's request to a Ready sandbox (per session). `maxApiCpuUtilization`: the API's CPU
 * utilization in percent of its pods' requests, as its HPA reads it (per HPA sync).
 */
export const OBJECTIVE_MEASURES = ['maxStartSeconds', 'maxApiCpuUtilization'] as const;

const objective = strict({
  /** A built-in profile (steady, daily, burst) or one declared under `profiles`. */
  profile: dnsLabel,
  percentile: z.enum(OBJECTIVE_PERCENTILES),
  /** Seconds from the user's request to a Ready sandbox. */
  maxStartSeconds: z.number().positive().optional(),
  /** The API's CPU utilization, percent of its pods' CPU requests (seed 003: "planner under 75 % CPU"). */
  maxApiCpuUtilization: z.number().positive().max(1000).optional(),
  /** @default - every tier together (session start only) */
  tier: dnsLabel.optional(),
  /** Where the number comes from (a seed, an SLO document). */
  source: z.string().min(1).optional(),
  /**
   * Set when the configuration is known not to meet the objective: why, and what would fix it.
   * `--check` then reports the miss with its numbers without failing, and fails once the
   * objective is met (so the marker never outlives the gap).
   */
  acceptedMiss: z.string().min(1).optional(),
}).superRefine((o, ctx) => {
  const set = OBJECTIVE_MEASURES.filter((m) => o[m] !== undefined);
  if (set.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      path: [],
      message: `must set exactly one of ${OBJECTIVE_MEASURES.join(', ')} (got ${set.length === 0 ? 'none' : set.join(' and ')})`,
    });
  }
  if (o.maxApiCpuUtilization !== undefined && o.tier !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['tier'],
      input: o.tier,
      message: 'applies to maxStartSeconds only: the API serves every tier',
    });
  }
});
export type SimulationObjective = z.output<typeof objective>;

/**
 * The API's load, derived from sessions (defaults and sources: tools/simulate/parameters.ts).
 * Requests per second that the API serves: every session waiting for its sandbox
 * (the dashboard polling its status, the orchestrator's calls) and every running session.
 */
const api = strict({
  /** Requests per second to the API from each session between the user's request and a Ready sandbox. */
  requestsPerSecondPerStartingSession: z.number().min(0).max(1000).optional(),
  /** Requests per second to the API from each running session. */
  requestsPerSecondPerActiveSession: z.number().min(0).max(1000).optional(),
  /** Requests per second one API replica serves when its CPU is at the HPA's CPU target. @default - autoscaling.requestsPerSecond */
  replicaRequestsPerSecondAtTarget: z.number().positive().max(1_000_000).optional(),
  /** Requests per second one API replica serves at the most. @default - its CPU limit */
  replicaMaxRequestsPerSecond: z.number().positive().max(1_000_000).optional(),
});
export type SimulationApiSpec = z.output<typeof api>;

export const simulationSchema = strict({
  /** Overrides of the assumed timings (seconds); unset ones keep their documented defaults. */
  timings: timings.optional(),
  /** The API's load and capacity per replica. */
  api: api.optional(),
  /** Session length: a log-normal distribution given by its median and 90th percentile. */
  sessionMinutes: strict({ median: z.number().positive(), p90: z.number().positive() })
    .refine((d) => d.p90 >= d.median, { error: 'p90 must be >= median', path: ['p90'] })
    .optional(),
  /** Relative share of each tier in the built-in profiles. @default - agents.sessions maxima */
  tierMix: z.record(dnsLabel, z.number().min(0)).optional(),
  /** Profiles of this environment; a name of a built-in profile replaces it. */
  profiles: z.record(dnsLabel, simulationProfile).default({}),
  objectives: z.array(objective).default([]),
});
export type SimulationSpec = z.output<typeof simulationSchema>;
