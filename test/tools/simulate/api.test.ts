import fc from 'fast-check';
import { ApiLoad } from '../../../tools/simulate/api-load';
import { simulate, type SimulationRun, type TraceView } from '../../../tools/simulate/engine';
import { replicasForMetric } from '../../../tools/simulate/hpa';
import type { ApiModel, SimulationModel } from '../../../tools/simulate/model';
import { at, smallModel } from './support';

const MI = 2 ** 20;

/**
 * An API small enough to compute by hand: one API node of 2000m (image cached) holding four
 * pods of 500m; CPU target 50 %; every running session makes 10 requests per second of 10
 * millicore-seconds each (100m of CPU per running session); scale-up by one pod per 60 s,
 * scale-down by one pod per 60 s after a 300 s stabilization window. Ready 5 s after admission
 * (start 5 s, startup probe every 5 s).
 */
function apiModel(overrides: Partial<ApiModel> = {}): ApiModel {
  return {
    pool: {
      name: 'api',
      instanceType: 'test',
      allocatable: { cpu: 2000, memory: 4096 * MI },
      maxPods: 110,
      initial: 1,
      min: 1,
      max: 1,
      autoscaled: false,
      hourlyPrice: 1,
    },
    pod: { cpu: 500, memory: 512 * MI },
    min: 1,
    max: 10,
    cpuTarget: 50,
    behavior: {
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }],
      },
      scaleDown: {
        stabilizationWindowSeconds: 300,
        selectPolicy: 'Max',
        policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }],
      },
    },
    tolerance: 0.1,
    cpuWindowSeconds: 15,
    rpsWindowSeconds: 120,
    startingRps: 0,
    activeRps: 10,
    cpuPerRequest: 10,
    replicaMaxRps: 1000,
    pdbMinAvailable: 1,
    startupProbe: { initialDelaySeconds: 0, periodSeconds: 5 },
    ...overrides,
  };
}

/** The small agent model with room for every session on its one node, and an API. */
function model(api: Partial<ApiModel> = {}, rest: Partial<SimulationModel> = {}): SimulationModel {
  const base = smallModel();
  return smallModel({
    agentPool: { ...base.agentPool, allocatable: { cpu: 100_000, memory: 100_000 * MI }, max: 1 },
    api: apiModel(api),
    ...rest,
  });
}

/** Ten sessions at t = 0, Ready at 6 s (scheduling 1 s + start 2 s on the 5 s probe grid), ending at 200 s. */
const burst = (n = 10) => Array.from({ length: n }, () => at(0, 194));

const replicasAt = (run: SimulationRun) => Object.fromEntries(run.api!.syncs.map((s) => [s.time, s.replicas]));

describe('the API’s HPA (replica calculator)', () => {
  const base = { ready: 3, unready: 0, missing: 0, missingRatio: 1, current: 3, tolerance: 0.1 };

  it('keeps the replicas while usage / target is within the tolerance, else ceil(ratio × Ready)', () => {
    expect(replicasForMetric({ ...base, ratio: 1.09 })).toBe(3);
    expect(replicasForMetric({ ...base, ratio: 0.91 })).toBe(3);
    expect(replicasForMetric({ ...base, ratio: 1.2 })).toBe(4); // ceil(3.6)
    expect(replicasForMetric({ ...base, ratio: 0.32 })).toBe(1); // ceil(0.96)
  });

  it('counts pods not Ready as idle on a scale-up, and holds when that reverses the direction', () => {
    // 2 Ready at ratio 1.5, 2 starting at 0: (3 + 0) / 4 = 0.75 < 1 → no change.
    expect(replicasForMetric({ ...base, ready: 2, unready: 2, current: 4, ratio: 1.5 })).toBe(4);
    // 2 Ready at ratio 3, 1 starting: 6 / 3 = 2 → ceil(2 × 3) = 6.
    expect(replicasForMetric({ ...base, ready: 2, unready: 1, current: 3, ratio: 3 })).toBe(6);
  });

  it('counts pods without a metric at the target on a scale-down (a pods metric)', () => {
    // 2 Ready at 0.5, 2 missing at 1: (1 + 2) / 4 = 0.75 → ceil(3) = 3.
    expect(replicasForMetric({ ...base, ready: 2, missing: 2, current: 4, ratio: 0.5 })).toBe(3);
  });
});

describe('the API’s load (a fluid queue)', () => {
  it('queues what exceeds the capacity and serves it first in, first out', () => {
    const load = new ApiLoad(120);
    load.set(0, 10, 5);
    load.advance(10);
    // 10 s at 10 req/s in, 5 req/s out: 50 waiting, a new request waits 50 / 5 = 10 s.
    expect(load.waiting).toBe(50);
    expect(load.delay(10)).toBe(10);
    expect(load.servedAt(10)).toBe(50);
    // Capacity 20: the backlog of 50 drains at 20 − 10 = 10 req/s, empty at 15 s.
    load.set(10, 10, 20);
    load.advance(20);
    expect(load.waiting).toBe(0);
    expect(load.servedAt(12)).toBe(90);
    expect(load.servedAt(15)).toBe(150);
    expect(load.servedAt(20)).toBe(200);
    expect(load.servedRate(20, 15)).toBeCloseTo(175 / 15, 9); // (200 − 25) / 15
    expect(load.saturatedSeconds).toBe(15);
  });

  it('reads the backlog at the time asked, also when the rates did not change in between', () => {
    const load = new ApiLoad(120);
    load.set(0, 10, 5);
    load.set(4, 10, 5); // same rates: no breakpoint
    expect(load.delay(6)).toBe(6); // 30 waiting at 5 req/s
    expect(load.servedRate(6, 6)).toBe(5);
  });
});

describe('simulate: the API', () => {
  it('a burst scales the API by its policy (one pod per 60 s) at the HPA’s sync period', () => {
    const run = simulate(model(), burst(), { horizon: 180, sampleSeconds: 10 });
    // t=15: 900 requests served since 6 s → 60 req/s → 600m on one 500m pod: 120 % of a 50 %
    //       target → ceil(2.4) = 3, limited to 1 + 1 = 2.
    // t=30–60: 1000m on 2 Ready pods: 100 % → 4 wanted; the pod added at 15 s is within the
    //       60 s period → still 2.
    // t=75: the period has passed → 3. t=90–120: 66 % → ceil(1.32 × 3) = 4, held by the period.
    // t=135: → 4; from then 1000m on 4 pods is 50 %, the target.
    expect(replicasAt(run)).toEqual({
      0: 1,
      15: 2,
      30: 2,
      45: 2,
      60: 2,
      75: 3,
      90: 3,
      105: 3,
      120: 3,
      135: 4,
      150: 4,
      165: 4,
      180: 4,
    });
    const byTime = Object.fromEntries(run.api!.syncs.map((s) => [s.time, s]));
    expect(byTime[15]).toMatchObject({ ready: 1, cpuUtilization: 120 });
    expect(byTime[30]).toMatchObject({ ready: 2, cpuUtilization: 100 });
    expect(byTime[90]).toMatchObject({ ready: 3, cpuUtilization: 66 });
    expect(byTime[150]).toMatchObject({ ready: 4, cpuUtilization: 50 });
    expect(run.api).toMatchObject({ firstScaleUpAt: 15, maxReplicas: 4, maxNodes: 1, delayedSessions: 0 });
  });

  it('the stabilization window delays the scale-down by 300 s after the last high recommendation', () => {
    const run = simulate(model(), burst(), { horizon: 700, sampleSeconds: 10 });
    const r = replicasAt(run);
    // Sessions end at 200 s. The last recommendation of 4 was at 195 s; from 210 s they are 2, then
    // 0. At 495 s the window (195, 495] holds at most 2: down by one pod per 60 s.
    expect(r[480]).toBe(4);
    expect(r[495]).toBe(3);
    expect(r[540]).toBe(3);
    expect(r[555]).toBe(2);
    expect(r[615]).toBe(1);
    expect(r[690]).toBe(1);
  });

  it('API max binds when the HPA wants more than controlPlaneApi.replicas.max', () => {
    const run = simulate(model({ max: 3 }), burst(), { horizon: 180, sampleSeconds: 10 });
    expect(Math.max(...run.api!.syncs.map((s) => s.replicas))).toBe(3);
    const hit = run.limits.find((l) => l.limit === 'API max');
    // t=30: 4 wanted (100 % on 2 pods against 50 %).
    expect(hit).toMatchObject({
      firstAt: 30,
      detail: "the API's HPA wanted 4 replicas, controlPlaneApi.replicas.max 3",
    });
  });

  it('grows the API pool for pending API pods, and the pool max binds', () => {
    // Nodes of 1024Mi hold two pods (4000m: the node's CPU does not bind); scale-up by 4 pods
    // per 15 s; 20 sessions: 2000m of CPU.
    const pool = { ...apiModel().pool, allocatable: { cpu: 4000, memory: 1024 * MI }, max: 2, autoscaled: true };
    const fast = {
      ...apiModel().behavior,
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max' as const,
        policies: [{ type: 'Pods' as const, value: 4, periodSeconds: 15 }],
      },
    };
    const views: TraceView[] = [];
    const run = simulate(model({ pool, behavior: fast }), burst(20), {
      horizon: 200,
      sampleSeconds: 10,
      trace: (v) => views.push(v),
    });

    // t=15: 1200m on one pod = 240 % → ceil(4.8) = 5; two fit the first node, three wait.
    // t=20 (scan): three pods need two nodes of two, the pool has room for one.
    expect(run.limits.find((l) => l.limit === 'API pool max')).toMatchObject({
      firstAt: 20,
      detail: 'pool api needed 2 more nodes for API pods, 1 left below its max of 2',
    });
    expect(run.api!.maxNodes).toBe(2);
    // The new node is Ready at 20 + 60 s; its pods pull the image (10 s) and start (5 s).
    const ready = run.samples.map((s) => [s.time, s.apiNodesReady]);
    expect(ready).toContainEqual([70, 1]);
    expect(ready).toContainEqual([80, 2]);
    for (const v of views) {
      for (const n of v.api!.nodes) {
        expect(n.cpu).toBeLessThanOrEqual(4000);
        expect(n.memory).toBeLessThanOrEqual(1024 * MI);
      }
      expect(v.api!.nodes.length).toBeLessThanOrEqual(2);
    }
    // The API node-seconds are costed: one node for 200 s, one from 20 s.
    expect(run.api!.nodeSeconds).toBe(200 + 180);
  });

  it('a saturated API delays the session starts queued behind its backlog', () => {
    // One replica serves at most 50 req/s; a waiting session makes 100 req/s; no HPA metric.
    const m = model({ cpuTarget: undefined, startingRps: 100, activeRps: 0, replicaMaxRps: 50 });
    const run = simulate(m, [at(0, 1000), at(2, 1000)], { horizon: 100, sampleSeconds: 10 });
    // At 2 s the backlog is (100 − 50) × 2 = 100 requests: the second session waits 100 / 50 = 2 s,
    // then gets its pod at 4 s, Ready at 4 + 1 + 5 = 10 s: 8 s after its request.
    expect(run.sessions.map((s) => s.readyAt! - s.arrival)).toEqual([6, 8]);
    expect(run.api).toMatchObject({ delayedSessions: 1, maxDelay: 2 });
  });

  it('invariants: replicas within min/max, Ready ≤ pods, utilization as recomputed from what was served', () => {
    const m = model({ min: 2, max: 5 }, {});
    const arrivals = Array.from({ length: 40 }, (_, i) => at(i * 7, 100 + ((i * 37) % 300)));
    const views: TraceView[] = [];
    const run = simulate(m, arrivals, { horizon: 1200, sampleSeconds: 10, trace: (v) => views.push(v) });
    for (const v of views) {
      expect(v.api!.replicas).toBeGreaterThanOrEqual(2);
      expect(v.api!.replicas).toBeLessThanOrEqual(5);
      expect(v.api!.ready).toBeLessThanOrEqual(v.api!.pods);
    }
    const api = m.api!;
    for (const s of run.api!.syncs) {
      expect(s.replicas).toBeGreaterThanOrEqual(2);
      expect(s.replicas).toBeLessThanOrEqual(5);
      expect(s.cpuUtilization).toBe(Math.trunc((s.servedRps * api.cpuPerRequest * 100) / (s.ready * api.pod.cpu)));
      // Never more served than the Ready replicas can serve.
      expect(s.servedRps).toBeLessThanOrEqual(5 * api.replicaMaxRps + 1e-9);
    }
  });

  it('without an API model the run has no API results (the agent results are unchanged)', () => {
    const without = simulate(model({}, {}), burst(), { horizon: 100, sampleSeconds: 10 });
    const { api: _api, ...agentsOnly } = model();
    void _api;
    const plain = simulate(agentsOnly, burst(), { horizon: 100, sampleSeconds: 10 });
    expect(plain.api).toBeUndefined();
    expect(plain.sessions).toEqual(without.sessions);
  });
});

describe('simulate: API invariants over random APIs and arrivals', () => {
  const rules = (maxValue: number) =>
    fc.record({
      stabilizationWindowSeconds: fc.integer({ min: 0, max: 300 }),
      selectPolicy: fc.constantFrom('Max' as const, 'Min' as const),
      policies: fc.array(
        fc.record({
          type: fc.constantFrom('Pods' as const, 'Percent' as const),
          value: fc.integer({ min: 1, max: maxValue }),
          periodSeconds: fc.integer({ min: 15, max: 120 }),
        }),
        { minLength: 1, maxLength: 2 },
      ),
    });
  const api = fc
    .record({
      min: fc.integer({ min: 1, max: 3 }),
      extra: fc.integer({ min: 0, max: 6 }),
      podCpu: fc.integer({ min: 100, max: 1500 }),
      nodeCpu: fc.integer({ min: 1500, max: 4000 }),
      poolMax: fc.integer({ min: 1, max: 4 }),
      cpuTarget: fc.option(fc.integer({ min: 30, max: 90 })),
      rpsTarget: fc.option(fc.integer({ min: 5, max: 50 })),
      activeRps: fc.double({ min: 0, max: 20, noNaN: true }),
      startingRps: fc.double({ min: 0, max: 20, noNaN: true }),
      scaleUp: rules(200),
      scaleDown: rules(100),
    })
    .map((p): ApiModel =>
      apiModel({
        pool: {
          ...apiModel().pool,
          allocatable: { cpu: p.nodeCpu, memory: 4096 * MI },
          max: p.poolMax,
          autoscaled: p.poolMax > 1,
        },
        pod: { cpu: p.podCpu, memory: 256 * MI },
        min: p.min,
        max: p.min + p.extra,
        ...(p.cpuTarget === null ? { cpuTarget: undefined } : { cpuTarget: p.cpuTarget }),
        ...(p.rpsTarget === null ? {} : { rpsTarget: p.rpsTarget }),
        activeRps: p.activeRps,
        startingRps: p.startingRps,
        replicaMaxRps: 40,
        behavior: { scaleUp: p.scaleUp, scaleDown: p.scaleDown },
      }),
    );
  const arrivals = fc
    .array(fc.record({ time: fc.integer({ min: 0, max: 600 }), duration: fc.integer({ min: 5, max: 900 }) }), {
      maxLength: 30,
    })
    .map((list) => list.map((a) => at(a.time, a.duration)).sort((x, y) => x.time - y.time));

  it('keeps replicas within min/max, pods within allocatable and the pool max, utilization as served', () => {
    fc.assert(
      fc.property(api, arrivals, (a, list) => {
        const problems: string[] = [];
        const check = (ok: boolean, what: string) => {
          if (!ok && problems.length < 5) problems.push(what);
        };
        const run = simulate(model(a), list, {
          horizon: 1500,
          sampleSeconds: 10,
          trace: (v) => {
            const x = v.api!;
            check(x.replicas >= a.min && x.replicas <= a.max, `${v.time}: replicas ${x.replicas}`);
            check(x.ready <= x.pods, `${v.time}: ${x.ready} Ready of ${x.pods} pods`);
            check(x.nodes.length <= a.pool.max, `${v.time}: ${x.nodes.length} API nodes`);
            for (const n of x.nodes) check(n.cpu <= a.pool.allocatable.cpu, `${v.time}: API node at ${n.cpu}m`);
          },
        });
        for (const s of run.api!.syncs) {
          const recomputed =
            s.ready === 0 ? NaN : Math.trunc((s.servedRps * a.cpuPerRequest * 100) / (s.ready * a.pod.cpu));
          check(Object.is(s.cpuUtilization, recomputed), `${s.time}: utilization ${s.cpuUtilization} ≠ ${recomputed}`);
          check(s.delay >= 0, `${s.time}: delay ${s.delay}`);
        }
        for (const o of run.sessions)
          check(o.readyAt === undefined || o.readyAt > o.arrival, 'a session Ready at once');
        expect(problems).toEqual([]);
      }),
      { numRuns: 60, seed: 21, endOnFailure: true },
    );
  });
});
