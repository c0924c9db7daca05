/**
 * What the bench records of the machine besides its load: the CPU time stolen by the
 * hypervisor (tools/bench/cpu-steal.ts: the `cpu` line of /proc/stat as proc(5) documents
 * it, the share between two readings) and the speed of its CPU (tools/bench/cpu-speed.ts),
 * with the report's sentences.
 */
import { calibrate, describeCalibration, waitForSteadyCpu } from '../../tools/bench/cpu-speed';
import { describeSteal, parseProcStat, readCpuTicks, stealShare } from '../../tools/bench/cpu-steal';

// A real /proc/stat head (2 cores, Linux 6.x): user nice system idle iowait irq softirq steal guest guest_nice.
const STAT = `cpu  1492862 0 104111 5080344 3938 0 3084 144193 0 0
cpu0 746431 0 52055 2540172 1969 0 1542 72096 0 0
cpu1 746431 0 52056 2540172 1969 0 1542 72097 0 0
intr 1 2 3
ctxt 42
`;

describe('CPU steal (tools/bench/cpu-steal.ts)', () => {
  it('reads the aggregate cpu line: steal is the 8th counter, the total the first eight (guest time is inside user)', () => {
    expect(parseProcStat(STAT)).toEqual({
      total: 1492862 + 0 + 104111 + 5080344 + 3938 + 0 + 3084 + 144193,
      steal: 144193,
    });
  });

  it('declines text without an aggregate cpu line, or with fewer than eight counters, or non-numbers', () => {
    expect(parseProcStat('cpu0 1 2 3 4 5 6 7 8\n')).toBeUndefined();
    expect(parseProcStat('cpu  1 2 3 4 5 6 7\n')).toBeUndefined();
    expect(parseProcStat('cpu  1 2 3 4 5 6 7 x\n')).toBeUndefined();
    expect(parseProcStat('')).toBeUndefined();
  });

  it('gives the stolen share of all cores time between two readings', () => {
    expect(stealShare({ total: 1000, steal: 10 }, { total: 3000, steal: 510 })).toBeCloseTo(0.25);
    expect(stealShare({ total: 1000, steal: 10 }, { total: 1000, steal: 10 })).toBeUndefined();
    expect(stealShare(undefined, { total: 1, steal: 0 })).toBeUndefined();
    expect(stealShare({ total: 10, steal: 5 }, { total: 20, steal: 4 })).toBeUndefined();
  });

  it('words the share for the report, and says when it could not be measured', () => {
    expect(describeSteal(0.042)).toMatch(/^4\.2 % of the cores' time was stolen by the hypervisor/);
    expect(describeSteal(undefined)).toBe('CPU steal not measured (no /proc/stat)');
  });

  it('reads nothing, without throwing, where the file is missing', () => {
    expect(readCpuTicks('/nonexistent/proc/stat')).toBeUndefined();
  });
});

describe('CPU calibration (tools/bench/cpu-speed.ts)', () => {
  it('times the fixed workload once per run and keeps the fastest run', () => {
    // Start and end readings of three runs lasting 5 ms, 2 ms and 4 ms (in ns).
    const readings = [0n, 5_000_000n, 10_000_000n, 12_000_000n, 20_000_000n, 24_000_000n];
    let next = 0;
    const clock = () => readings[next++]!;
    expect(calibrate(3, clock)).toBe(2);
    expect(next).toBe(6);
  });

  it('words both readings for the report', () => {
    expect(describeCalibration(64.4, 101.2)).toBe(
      'CPU calibration (a fixed workload, fastest of 5; the same code runs slower in proportion) 64 ms before, 101 ms after',
    );
  });
});

describe('waiting for a steady CPU (--steady)', () => {
  /** A fake machine: calibrations (timings in a row) in turn, a clock that only the pauses move. */
  function machine(calibrations: number[][]) {
    let clock = 0;
    const pauses: number[] = [];
    let taken = 0;
    return {
      pauses,
      taken: () => taken,
      options: {
        calibrate: () => calibrations[taken++]!,
        sleep: (ms: number) => {
          pauses.push(ms);
          clock += ms;
        },
        now: () => clock,
      },
    };
  }

  it('does not wait when every timing of the first calibration is at the limit', () => {
    const m = machine([
      [60, 48, 55],
      [40, 40, 40],
    ]);
    expect(waitForSteadyCpu({ limitMs: 60, ...m.options })).toEqual({ calibrationMs: 48, waitedMs: 0, steady: true });
    expect(m.pauses).toEqual([]);
  });

  it('pauses and calibrates again until every timing comes down, not only the fastest', () => {
    const m = machine([
      [95, 96, 97],
      [45, 88, 50],
      [52, 50, 51],
      [40, 40, 40],
    ]);
    expect(waitForSteadyCpu({ limitMs: 55, pauseMs: 5_000, ...m.options })).toEqual({
      calibrationMs: 50,
      waitedMs: 10_000,
      steady: true,
    });
    expect(m.pauses).toEqual([5_000, 5_000]);
    expect(m.taken()).toBe(3);
  });

  it('gives up when the wait would pass its limit, with the last calibration', () => {
    const m = machine([[95], [90], [92, 99], [91], [30]]);
    expect(waitForSteadyCpu({ limitMs: 55, pauseMs: 5_000, maxWaitMs: 12_000, ...m.options })).toEqual({
      calibrationMs: 92,
      waitedMs: 10_000,
      steady: false,
    });
    expect(m.pauses).toEqual([5_000, 5_000]);
  });
});
