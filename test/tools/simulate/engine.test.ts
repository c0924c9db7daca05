import { simulate, type SimulationRun } from '../../../tools/simulate/engine';
import { readyAfterStart } from '../../../tools/simulate/model';
import { at, smallModel, warmPool } from './support';

const run = (model = smallModel(), arrivals = [at(0), at(0), at(0)], horizon = 600): SimulationRun =>
  simulate(model, arrivals, { horizon, sampleSeconds: 10 });

const waits = (r: SimulationRun) =>
  r.sessions.map((s) => (s.readyAt === undefined ? undefined : s.readyAt - s.arrival));

describe('simulate: one node, one burst (computed by hand)', () => {
  it('places what fits at once and waits for a new node for the rest', () => {
    // Node of 1000m: two pods of 400m fit. Ready = 1 s scheduling + first startup probe after
    // the 2 s sandbox start (period 5 s) = 6 s. The third waits for the scan at 10 s, a node
    // Ready 60 s later (70 s), 1 s scheduling, 30 s image pull (a new node), 5 s: 106 s.
    const r = run();
    expect(waits(r)).toEqual([6, 6, 106]);
    expect(r.maxAgentNodes).toBe(2);
    expect(r.limits).toEqual([]);
  });

  it('names the pool max when the pool cannot grow, and the session never starts', () => {
    const model = smallModel({ agentPool: { ...smallModel().agentPool, max: 1 } });
    const r = run(model);
    expect(waits(r)).toEqual([6, 6, undefined]);
    expect(r.limits[0]).toMatchObject({ limit: 'pool max', firstAt: 10 });
    expect(r.limits[0]!.detail).toBe('pool agents needed 1 more nodes, 0 left below its max of 1');
  });

  it('retries a pod the quota refuses after quotaRetrySeconds, once a session ended', () => {
    const base = smallModel();
    const model = smallModel({ quota: { ...base.quota, pods: 2 } });
    // Session 0 ends at 6 + 100 = 106; the third session's retries at 10, 20, ... succeed at 110: ready 116.
    const r = run(model, [at(0, 100), at(0), at(0)]);
    expect(waits(r)).toEqual([6, 6, 116]);
    expect(r.limits[0]).toMatchObject({ limit: 'quota', firstAt: 0 });
    expect(r.limits[0]!.detail).toBe('agents quota pods: 2 used + 1 > 2');
    expect(r.quotaPeak.pods).toBe(2);
  });

  it('holds a session while its tier is at agents.sessions, and starts it when one ends', () => {
    // Limit 1: the second session waits for the first to end (6 + 100 = 106), then takes 6 s.
    const r = run(smallModel({ sessionLimits: { small: 1 } }), [at(0, 100), at(0)]);
    expect(waits(r)).toEqual([6, 112]);
    expect(r.limits[0]).toMatchObject({ limit: 'tier sessions', firstAt: 0, count: 1 });
  });

  it('hands a Ready warm pod to a session of its tier in warmClaimSeconds', () => {
    // The warm pod (min 1) is created at 0 and Ready at 6; the session at 20 claims it: 1 s.
    const r = run(smallModel({ warmPool: warmPool(1, 1) }), [at(20)]);
    expect(waits(r)).toEqual([1]);
    expect(r.sessions[0]!.warm).toBe(true);
  });

  it('creates a pod on demand when no warm pod is Ready, and says the warm pool bound', () => {
    const r = run(smallModel({ warmPool: warmPool(1, 1) }), [at(0)]);
    // At 0 the warm pod is not Ready yet: on demand, 6 s.
    expect(waits(r)).toEqual([6]);
    expect(r.limits[0]).toMatchObject({ limit: 'warm pool', firstAt: 0 });
  });

  it('refuses a tier the LimitRange rejects', () => {
    const r = run(smallModel({ refusedTiers: { small: 'limits.cpu 800m > container max 500m' } }), [at(0)]);
    expect(waits(r)).toEqual([undefined]);
    expect(r.limits[0]).toMatchObject({
      limit: 'LimitRange',
      detail: 'tier small is rejected at admission: limits.cpu 800m > container max 500m',
    });
  });

  it('removes an unneeded node after the unneeded time, down to the pool min', () => {
    // Sessions 0 and 1 (node 0) end at 106; session 2 (node 1, created at 10) ends at 206.
    // Node 0 is unneeded from the scan at 110 and removed at 170 (60 s later); node 1 then
    // holds a session until 206 and is the pool's last node (min 1). Node-seconds over 600 s:
    // node 0: 170, node 1: 600 - 10.
    const r = run(smallModel(), [at(0, 100), at(0, 100), at(0, 100)]);
    expect(r.agentNodeSeconds).toBe(170 + 590);
    expect(r.samples.find((s) => s.time === 170)!.nodesReady).toBe(1);
  });

  it('does not scale down within scaleDownDelayAfterAddSeconds of a scale-up', () => {
    const model = smallModel({ autoscaler: { ...smallModel().autoscaler, delayAfterAddSeconds: 300 } });
    const r = run(model, [at(0, 100), at(0, 100), at(0, 100)]);
    // Scale-up at 10: nothing is considered before 310; node 0 unneeded from 310, removed at 370.
    expect(r.agentNodeSeconds).toBe(370 + 590);
  });

  it('is deterministic: the same input gives the same run', () => {
    const model = smallModel({ warmPool: warmPool(0, 3) });
    const arrivals = [at(0), at(3), at(7), at(31), at(32), at(200, 50)];
    expect(run(model, arrivals)).toEqual(run(model, arrivals));
  });
});

describe('readyAfterStart', () => {
  it('is the first startup probe at or after the sandbox start', () => {
    const m = smallModel();
    expect(readyAfterStart(m)).toBe(5);
    expect(readyAfterStart({ ...m, startupProbe: { initialDelaySeconds: 10, periodSeconds: 5 } })).toBe(10);
    expect(readyAfterStart({ ...m, timings: { ...m.timings, sandboxStartSeconds: 11 } })).toBe(15);
  });
});

describe('simulate: the tier limit holds for warm claims too', () => {
  it('does not hand a warm pod to a session of a tier at its limit', () => {
    // Limit 1, warm pool of 2 (Ready at 6). Session 0 at 10 claims one (ready 11, ends 111);
    // session 1 at 20 waits for it although a warm pod is idle, then claims at 111: ready 112.
    const model = smallModel({ warmPool: warmPool(2, 2), sessionLimits: { small: 1 } });
    const r = simulate(model, [at(10, 100), at(20, 100)], { horizon: 600, sampleSeconds: 10 });
    expect(r.sessions.map((s) => [s.readyAt, s.warm])).toEqual([
      [11, true],
      [112, true],
    ]);
  });
});
