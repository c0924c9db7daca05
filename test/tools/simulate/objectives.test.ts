import type { SimulationObjective } from '../../../config';
import { describeMiss, judge, objectiveLabel, verdict } from '../../../tools/simulate/objectives';
import type { LatencyStats, Summary } from '../../../tools/simulate/results';
import { percentile } from '../../../tools/simulate/results';

const stats = (tier: string, p95: number, sessions = 10): LatencyStats => ({
  tier,
  sessions,
  started: sessions,
  warm: 0,
  p50: 5,
  p95,
  p99: p95,
  max: p95,
});
const summary = { stack: 's', latency: [stats('starter', 40), stats('all', 90)], limits: [] } as unknown as Summary;
const objective = (o: Partial<SimulationObjective>): SimulationObjective => ({
  profile: 'burst',
  percentile: 'p95',
  maxStartSeconds: 60,
  ...o,
});

describe('objectives', () => {
  it('judges the tier’s percentile against the maximum, all tiers by default', () => {
    expect(judge(objective({}), summary)).toMatchObject({ measured: 90, met: false, fails: true });
    expect(judge(objective({ tier: 'starter' }), summary)).toMatchObject({ measured: 40, met: true, fails: false });
    // A tier without sessions in the profile cannot meet an objective about it.
    expect(judge(objective({ tier: 'enterprise' }), summary)).toMatchObject({ met: false, fails: true });
  });

  it('an accepted miss does not fail; an accepted miss that is met does', () => {
    const accepted = judge(objective({ acceptedMiss: 'needs standing capacity' }), summary);
    expect(accepted).toMatchObject({ met: false, fails: false });
    expect(verdict(accepted)).toBe('missed (accepted: needs standing capacity)');
    const stale = judge(objective({ tier: 'starter', acceptedMiss: 'x' }), summary);
    expect(stale).toMatchObject({ met: true, fails: true });
    expect(verdict(stale)).toBe('**met, but marked acceptedMiss**');
  });

  it('labels an objective with its profile, tier and source', () => {
    expect(objectiveLabel(objective({ tier: 'starter', source: 'seed 002' }))).toBe(
      'p95 session start ≤ 60 s (profile burst, tier starter): seed 002',
    );
  });
});

describe('percentile (nearest rank)', () => {
  it('takes the value at rank ceil(p/100 · n)', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect([percentile(values, 50), percentile(values, 95), percentile(values, 99)]).toEqual([5, 10, 10]);
    expect(percentile([3, Infinity], 95)).toBe(Infinity);
    expect(percentile([], 50)).toBeNaN();
  });

  it('judges the API’s CPU utilization over the HPA’s syncs, and says so when the API is not modelled', () => {
    const api = {
      min: 3,
      max: 50,
      peakReplicas: 7,
      cpuUtilization: { p50: 30, p95: 72, p99: 80, max: 91 },
      pool: { pool: 'api', instanceType: 'cpx32', initial: 3, peak: 4, max: 12 },
    };
    const withApi = { ...summary, api } as unknown as Summary;
    const o = { profile: 'daily', percentile: 'max', maxApiCpuUtilization: 75 } as const;
    const r = judge(o, withApi);
    expect(r).toMatchObject({ measured: 91, met: false, fails: true });
    expect(objectiveLabel(o)).toBe("max API CPU utilization ≤ 75 % (profile daily, over the HPA's syncs)");
    expect(describeMiss(r, withApi)).toBe(
      "s: missed max API CPU utilization ≤ 75 % (profile daily, over the HPA's syncs): measured 91 %; p50 30 %, p95 72 %, p99 80 %, max 91 %; replicas 3–50, peak 7; API pool peak 4 of 12 nodes",
    );
    expect(judge({ ...o, percentile: 'p95' }, withApi)).toMatchObject({ measured: 72, met: true });
    const none = judge(o, summary);
    expect(none).toMatchObject({ met: false, fails: true });
    expect(describeMiss(none, summary)).toContain('the API is not modelled for this environment');
  });
});
