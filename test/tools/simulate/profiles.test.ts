import { parseCsvProfile } from '../../../tools/simulate/csv-profile';
import { profileNames, tierMix, workloadOf } from '../../../tools/simulate/profiles';
import { parseRaw, rawStack, stackSpec } from '../../support/environments';

const prod = stackSpec('prod');
const count = (times: readonly number[], from: number, to: number) => times.filter((t) => t >= from && t < to).length;

describe('built-in profiles', () => {
  it('burst: N sessions within the window, observed for the stated time, same seed same arrivals', () => {
    const w = workloadOf(prod, 'burst', 1);
    expect(w.arrivals).toHaveLength(300);
    expect(w.horizon).toBe(1800);
    expect(w.arrivals.every((a) => a.time >= 0 && a.time < 60)).toBe(true);
    expect(w.arrivals.map((a) => a.time)).toEqual([...w.arrivals.map((a) => a.time)].sort((a, b) => a - b));
    expect(workloadOf(prod, 'burst', 1)).toEqual(w);
    expect(workloadOf(prod, 'burst', 2).arrivals[0]).not.toEqual(w.arrivals[0]);
  });

  it('draws tiers by the agents.sessions maxima unless simulation.tierMix says otherwise', () => {
    const w = workloadOf(prod, 'steady', 7);
    const share = (tier: string) => w.arrivals.filter((a) => a.tier === tier).length / w.arrivals.length;
    // 200 : 100 : 40 : 10 of 350.
    expect(share('starter')).toBeCloseTo(200 / 350, 1);
    expect(share('enterprise')).toBeCloseTo(10 / 350, 1);
    const raw = rawStack('prod');
    raw.simulation = { tierMix: { standard: 1 } };
    expect(new Set(workloadOf(parseRaw(raw), 'burst', 1).arrivals.map((a) => a.tier))).toEqual(new Set(['standard']));
    raw.simulation = { tierMix: { gold: 1 } };
    expect(() => tierMix(parseRaw(raw))).toThrow(
      'simulation.tierMix names "gold", not tiers of test (tiers: starter, standard, performance, enterprise)',
    );
  });

  it('steady: evenly over the day; daily: the peak hour about 1/troughRatio times the trough hour', () => {
    const steady = workloadOf(prod, 'steady', 3).arrivals.map((a) => a.time);
    expect(count(steady, 0, 21_600)).toBeGreaterThan(2300);
    expect(count(steady, 0, 21_600)).toBeLessThan(2700);
    const daily = workloadOf(prod, 'daily', 3).arrivals.map((a) => a.time);
    expect(daily).toHaveLength(10_000);
    const ratio = count(daily, 14 * 3600 - 1800, 14 * 3600 + 1800) / count(daily, 2 * 3600 - 1800, 2 * 3600 + 1800);
    expect(ratio).toBeGreaterThan(3.5);
    expect(ratio).toBeLessThan(6.5);
  });

  it('session lengths follow the median and p90 of the environment', () => {
    const raw = rawStack('prod');
    raw.simulation = { sessionMinutes: { median: 10, p90: 30 } };
    const minutes = workloadOf(parseRaw(raw), 'steady', 5)
      .arrivals.map((a) => a.durationSeconds / 60)
      .sort((a, b) => a - b);
    expect(minutes[Math.floor(minutes.length / 2)]).toBeCloseTo(10, 0);
    expect(minutes[Math.floor(minutes.length * 0.9)]! / 30).toBeCloseTo(1, 1);
  });

  it('an environment may declare profiles and replace a built-in one', () => {
    const raw = rawStack('prod');
    raw.simulation = {
      profiles: { burst: { kind: 'burst', sessions: 20 }, lunch: { kind: 'steady', sessions: 50, hours: 1 } },
    };
    const spec = parseRaw(raw);
    expect(workloadOf(spec, 'burst', 1).arrivals).toHaveLength(20);
    expect(workloadOf(spec, 'lunch', 1).horizon).toBe(3600);
    expect(profileNames(spec)).toEqual(['burst', 'daily', 'lunch', 'steady']);
  });

  it('names the allowed profiles when it does not know one', () => {
    expect(() => workloadOf(prod, 'spike', 1)).toThrow(
      'unknown profile "spike" for stack prod (allowed: burst, daily, steady, or a CSV file of time,tier[,durationMinutes])',
    );
  });
});

describe('CSV profiles', () => {
  const options = {
    file: 'load.csv',
    tiers: ['starter', 'standard'],
    seed: 1,
    sessionMinutes: { median: 20, p90: 60 },
  };

  it('reads seconds or ISO timestamps, relative to the first, with optional durations', () => {
    const w = parseCsvProfile('time,tier,durationMinutes\n# warm-up\n30,standard,2\n0,starter,\n\n', options);
    expect(w.arrivals.map((a) => [a.time, a.tier])).toEqual([
      [0, 'starter'],
      [30, 'standard'],
    ]);
    expect(w.arrivals[1]!.durationSeconds).toBe(120);
    expect(w.horizon).toBe(30 + 1800);
    const iso = parseCsvProfile('time,tier\n2026-03-02T09:00:10Z,starter\n2026-03-02T09:00:00Z,standard\n', options);
    expect(iso.arrivals.map((a) => [a.time, a.tier])).toEqual([
      [0, 'standard'],
      [10, 'starter'],
    ]);
  });

  it('reads a day of more sessions than a call takes arguments (about 125,000)', () => {
    const rows = Array.from({ length: 150_000 }, (_, i) => `${150_000 - i},${i % 2 ? 'starter' : 'standard'}`);
    const w = parseCsvProfile(`time,tier\n${rows.join('\n')}\n`, options);
    expect(w.arrivals).toHaveLength(150_000);
    expect(w.arrivals[0]).toMatchObject({ time: 0, tier: 'starter' });
    expect(w.arrivals[149_999]).toMatchObject({ time: 149_999, tier: 'standard' });
  });

  it.each([
    ['', 'load.csv line 1: is empty: expected a header "time,tier" and one line per session'],
    [
      'when,tier\n0,starter',
      'load.csv line 1: header must be "time,tier" or "time,tier,durationMinutes", got "when,tier"',
    ],
    ['time,tier\n0', 'load.csv line 2: has 1 fields, the header has 2 (time,tier)'],
    [
      'time,tier\nnoon,starter',
      'load.csv line 2: time "noon" is neither seconds (e.g. 12.5) nor an ISO 8601 timestamp (e.g. 2026-03-02T09:00:00Z)',
    ],
    [
      'time,tier\n0,starter\n2026-03-02T09:00:00Z,starter',
      'load.csv line 3: time "2026-03-02T09:00:00Z" mixes iso with seconds of the lines before',
    ],
    ['time,tier\n0,gold', 'load.csv line 2: tier "gold" is not a tier (allowed: starter, standard)'],
    [
      'time,tier,durationMinutes\n0,starter,-3',
      'load.csv line 2: durationMinutes "-3" must be a number greater than 0',
    ],
    ['time,tier\n', 'load.csv line 2: has a header but no sessions'],
  ])('rejects %j', (text, message) => {
    expect(() => parseCsvProfile(text, options)).toThrow(message);
  });
});
