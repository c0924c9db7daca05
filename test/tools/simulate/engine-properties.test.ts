import fc from 'fast-check';
import { simulate, type TraceView } from '../../../tools/simulate/engine';
import { readyAfterStart, type PodShape, type SimulationModel } from '../../../tools/simulate/model';
import { at, smallModel, warmPool } from './support';

const MI = 2 ** 20;

const shape = fc
  .record({ cpu: fc.integer({ min: 50, max: 3000 }), memory: fc.integer({ min: 64, max: 6000 }) })
  .map(({ cpu, memory }): PodShape => ({
    cpu,
    memory: memory * MI,
    limitsCpu: cpu * 2,
    limitsMemory: memory * 2 * MI,
  }));

const model = fc
  .record({
    nodeCpu: fc.integer({ min: 1000, max: 8000 }),
    nodeMemory: fc.integer({ min: 1024, max: 16_384 }),
    maxPods: fc.integer({ min: 1, max: 30 }),
    min: fc.integer({ min: 0, max: 2 }),
    extra: fc.integer({ min: 0, max: 3 }),
    grow: fc.integer({ min: 0, max: 3 }),
    small: shape,
    big: shape,
    quotaCpu: fc.integer({ min: 500, max: 30_000 }),
    quotaPods: fc.integer({ min: 1, max: 40 }),
    limit: fc.option(fc.integer({ min: 0, max: 10 })),
    warm: fc.option(fc.record({ min: fc.integer({ min: 0, max: 2 }), extra: fc.integer({ min: 0, max: 5 }) })),
  })
  .map((p): SimulationModel => {
    const base = smallModel();
    return smallModel({
      agentPool: {
        ...base.agentPool,
        allocatable: { cpu: p.nodeCpu, memory: p.nodeMemory * MI },
        maxPods: p.maxPods,
        min: p.min,
        initial: p.min + p.extra,
        max: p.min + p.extra + p.grow || 1,
      },
      tiers: { small: p.small, big: p.big },
      quota: { ...base.quota, cpu: p.quotaCpu, pods: p.quotaPods },
      sessionLimits: p.limit === null ? {} : { big: p.limit, small: p.limit + 1 },
      ...(p.warm ? { warmPool: warmPool(p.warm.min, p.warm.min + p.warm.extra || 1) } : {}),
    });
  });

const arrivals = fc
  .array(
    fc.record({
      time: fc.double({ min: 0, max: 900, noNaN: true }),
      duration: fc.integer({ min: 5, max: 2000 }),
      big: fc.boolean(),
    }),
    { maxLength: 40 },
  )
  .map((list) => list.map((a) => at(a.time, a.duration, a.big ? 'big' : 'small')).sort((x, y) => x.time - y.time));

describe('simulate: invariants over random environments and arrivals', () => {
  it('never binds above a node’s allocatable or pods, never admits above the quota or a tier’s limit', () => {
    fc.assert(
      fc.property(model, arrivals, (m, list) => {
        const a = m.agentPool.allocatable;
        // Plain checks per event (expect() per event is slow); the violation is thrown with its numbers.
        const violations: string[] = [];
        const trace = (v: TraceView) => {
          for (const n of v.nodes) {
            if (n.cpu > a.cpu || n.memory > a.memory || n.pods > m.agentPool.maxPods) {
              violations.push(`t=${v.time}: node at ${n.cpu}m/${n.memory}B/${n.pods} pods`);
            }
          }
          if (v.nodes.length > Math.max(m.agentPool.max, m.agentPool.initial))
            violations.push(`t=${v.time}: ${v.nodes.length} nodes`);
          for (const [tier, n] of Object.entries(v.sessionsByTier)) {
            const limit = m.sessionLimits[tier];
            if (limit !== undefined && n > limit) violations.push(`t=${v.time}: ${n} ${tier} sessions, limit ${limit}`);
          }
          for (const key of ['cpu', 'memory', 'limitsCpu', 'limitsMemory', 'pods', 'services'] as const) {
            if (v.quotaUsed[key] > m.quota[key] || v.quotaUsed[key] < 0) {
              violations.push(`t=${v.time}: quota ${key} used ${v.quotaUsed[key]} of ${m.quota[key]}`);
            }
          }
        };
        simulate(m, list, { horizon: 1800, sampleSeconds: 30, trace });
        expect(violations.slice(0, 3)).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('never starts a session faster than a sandbox can start (or a warm pod be claimed)', () => {
    fc.assert(
      fc.property(model, arrivals, (m, list) => {
        const r = simulate(m, list, { horizon: 1800, sampleSeconds: 30 });
        const coldFloor = m.timings.schedulingSeconds + readyAfterStart(m);
        for (const s of r.sessions) {
          if (s.readyAt === undefined) continue;
          // 1e-9: arrival + delays - arrival is not exact in floating point.
          expect(s.readyAt - s.arrival).toBeGreaterThanOrEqual(
            (s.warm ? m.timings.warmClaimSeconds : coldFloor) - 1e-9,
          );
          expect(s.readyAt).toBeLessThanOrEqual(r.horizon);
        }
      }),
      { numRuns: 100 },
    );
  });
});
