/**
 * Cost per agent session and of the warm pool at its minimum. Expected figures are
 * worked out by hand from the staging stack file (cpx42: 8 vCPU, 16 GiB, €25.49 a
 * month; allocatable 7910m CPU and 13.4 GiB − 100 MiB = 13,621.6 MiB after the
 * kubelet reserve curve) and the default gVisor overhead of 100m / 64Mi.
 */
import { estimateCost } from '../../tools/cost';
import { renderSessionCostMarkdown, sessionCost } from '../../tools/session-cost';
import { parseRaw, rawStack, stackSpec } from '../support/environments';

describe('sessionCost', () => {
  const spec = stackSpec('staging');
  const cost = sessionCost(spec, estimateCost(spec))!;

  it('charges a starter session its requests plus the gVisor overhead, as a share of the node in the binding resource', () => {
    const starter = cost.tiers.find((t) => t.tier === 'starter')!;
    // 350m of 7910m = 4.42% (memory: 576 MiB of 13,621.6 MiB = 4.23%): CPU binds.
    expect(starter).toMatchObject({ cpu: '350m', memory: '576Mi', bindingResource: 'cpu', sessionsPerNode: 22 });
    expect(starter.nodeShare).toBeCloseTo(0.04425, 4);
    // €25.49 × 4.425% = €1.128 a month; / 730 h = €0.001545 an hour.
    expect(starter.monthly).toBeCloseTo(1.13, 2);
    expect(starter.hourly).toBeCloseTo(0.001545, 5);
  });

  it('lets memory bind when it runs out first (enterprise: 4160 MiB of 13,621.6 MiB = 30.5% > 2100m of 7910m = 26.5%)', () => {
    const enterprise = cost.tiers.find((t) => t.tier === 'enterprise')!;
    expect(enterprise).toMatchObject({ cpu: '2100m', memory: '4160Mi', bindingResource: 'memory', sessionsPerNode: 3 });
    expect(enterprise.monthly).toBeCloseTo(7.78, 2);
  });

  it('prices the warm pool at its minimum, and says an empty minimum costs nothing', () => {
    expect(cost.warmPool).toEqual({ tier: 'starter', minReplicas: 0, hourly: 0, monthly: 0 });
    const raw = rawStack('staging');
    raw.agents.warmPool.minReplicas = 3;
    const warm = parseRaw(raw, 'staging');
    const withWarm = sessionCost(warm, estimateCost(warm))!;
    expect(withWarm.warmPool!.monthly).toBeCloseTo(3.38, 2);
    const markdown = renderSessionCostMarkdown(withWarm).join('\n');
    expect(markdown).toContain('Warm pool at its minimum: 3 × `starter` = **€0.0046/h, €3.38 a month**');
    expect(markdown).toContain('| starter | 350m CPU, 576Mi | 4.4% (cpu) | 22 | €0.0015 | €1.13 |');
    expect(renderSessionCostMarkdown(cost).join('\n')).toContain('minimum 0 pods, so it costs nothing while idle');
  });

  it('is absent for an environment without agents', () => {
    const raw = rawStack('staging');
    delete raw.agents;
    raw.nodePools = raw.nodePools.filter((p: { role: string }) => p.role !== 'agents');
    const spec = parseRaw(raw, 'staging');
    expect(sessionCost(spec, estimateCost(spec))).toBeUndefined();
  });
});
