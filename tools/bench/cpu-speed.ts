/**
 * How fast this machine's CPU runs right now, as the time of a fixed workload. A shared
 * virtual machine can be slow without any stolen time (tools/bench/cpu-steal.ts): when the
 * host's other guests run on the sibling hyperthreads of its cores, or the host lowers its
 * clock, every instruction takes longer and CPU time rises with wall time. Measured before
 * and after the benchmarks and printed with them, the calibration lets a reader compare
 * two tables: the same code on a calibration twice as slow takes about twice as long.
 */

/** The fixed workload: allocation, property access and arithmetic, as in the synth's own work. */
function workload(): number {
  let sum = 0;
  const objects: { index: number; key: string }[] = [];
  for (let i = 0; i < 2_000_000; i++) {
    objects.push({ index: i, key: `k${i % 1000}` });
    if (objects.length > 1000) objects.length = 0;
    sum += i % 7;
  }
  return sum;
}

/** The checksum the workload returns: a changed result means a changed workload, not a faster one. */
export const WORKLOAD_CHECKSUM = 5_999_995;

/** `runs` timings of the workload, in ms, in the order taken. */
export function calibrationRuns(runs: number, now: () => bigint = process.hrtime.bigint): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = now();
    if (workload() !== WORKLOAD_CHECKSUM) throw new Error('the calibration workload changed its result');
    out.push(Number(now() - start) / 1e6);
  }
  return out;
}

/** The fastest of `runs` timings of the workload, in ms (the fastest is the least disturbed). */
export function calibrate(runs = 5, now: () => bigint = process.hrtime.bigint): number {
  return Math.min(...calibrationRuns(runs, now));
}

/** The report's sentence for two calibrations (before and after the benchmarks). */
export function describeCalibration(beforeMs: number, afterMs: number): string {
  return `CPU calibration (a fixed workload, fastest of 5; the same code runs slower in proportion) ${beforeMs.toFixed(0)} ms before, ${afterMs.toFixed(0)} ms after`;
}

export interface SteadyCpuOptions {
  /** The calibration to wait for, ms. */
  readonly limitMs: number;
  /** How long to wait at most, ms. @default 10 minutes */
  readonly maxWaitMs?: number;
  /** The pause between two calibrations, ms. @default 5 s */
  readonly pauseMs?: number;
  /** Timings of the workload taken in a row, ms. @default calibrationRuns(3) */
  readonly calibrate?: () => readonly number[];
  /** @default a blocking sleep */
  readonly sleep?: (ms: number) => void;
  /** Milliseconds since some fixed point. @default Date.now */
  readonly now?: () => number;
}

export interface SteadyCpu {
  /** The last calibration taken (the fastest of its timings, as the report shows it), ms. */
  readonly calibrationMs: number;
  readonly waitedMs: number;
  /** The calibration came down to the limit (false: the wait ran out). */
  readonly steady: boolean;
}

/**
 * Waits until the CPU runs at its usual speed: times the workload a few times in a row,
 * and while any of those timings is above `limitMs`, pauses and times it again, for at
 * most `maxWaitMs`. Every timing, not the fastest: in a slow spell one run in three can
 * still come out fast (tried: rows measured after a fast "fastest of 3" ran 1.6 times
 * slower than on a quiet day). A shared virtual machine has slow spells of minutes in
 * which the same code takes twice as long; a benchmark row measured after this wait can
 * be compared with one measured on a quiet day.
 */
export function waitForSteadyCpu(options: SteadyCpuOptions): SteadyCpu {
  const timings = options.calibrate ?? (() => calibrationRuns(3));
  const sleep = options.sleep ?? sleepBlocking;
  const now = options.now ?? Date.now;
  const maxWaitMs = options.maxWaitMs ?? 10 * 60_000;
  const pauseMs = options.pauseMs ?? 5_000;
  const start = now();
  for (;;) {
    const runs = timings();
    const calibrationMs = Math.min(...runs);
    const waitedMs = now() - start;
    if (Math.max(...runs) <= options.limitMs) return { calibrationMs, waitedMs, steady: true };
    if (waitedMs + pauseMs > maxWaitMs) return { calibrationMs, waitedMs, steady: false };
    sleep(pauseMs);
  }
}

function sleepBlocking(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
