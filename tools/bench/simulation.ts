/**
 * The capacity simulation's benchmark: a simulated day of 10,000 sessions for the prod stack
 * (`npm run simulate -- --stack prod --profile daily`, whole process), against its 2 s target.
 */
import type { Measurement } from './measure';
import type { BenchRow, TargetResult } from './report';
import { formatMs } from './report';
import { summarize } from './stats';

export const SIMULATION_BENCH = 'simulate: prod, daily profile (10,000 sessions, 24 h)';
export const SIMULATION_TARGET_MS = 2000;

/** Arguments of build/simulate.js for the benchmark; charts go to `out`. */
export const simulationArgs = (out: string) => ['--stack', 'prod', '--profile', 'daily', '--out', out];

export function simulationRow(runs: readonly Measurement[]): BenchRow {
  const events = /\((\d+) events\)/.exec(runs[0]?.stdout ?? '')?.[1];
  return {
    name: SIMULATION_BENCH,
    wall: summarize(runs.map((m) => m.wallMs)),
    cpu: summarize(runs.map((m) => m.cpuMs)),
    peakRss: summarize(runs.map((m) => m.peakRssBytes)),
    ...(events ? { note: `${events} simulated events` } : {}),
  };
}

export function simulationTarget(row: BenchRow): TargetResult {
  return {
    target: `capacity simulation: a day of 10,000 sessions for prod under ${SIMULATION_TARGET_MS / 1000} s (whole process)`,
    measured: row.wall ? formatMs(row.wall.median) : (row.note ?? 'not run'),
    met: row.wall ? row.wall.median < SIMULATION_TARGET_MS : undefined,
  };
}
