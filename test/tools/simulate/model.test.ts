import { buildModel, durationSeconds } from '../../../tools/simulate/model';
import { parseRaw, rawStack, stackSpec } from '../../support/environments';
import { exampleSpec } from '../../support/examples';

const MI = 2 ** 20;

describe('buildModel reads the environment', () => {
  const model = buildModel(stackSpec('prod'));

  it('takes node allocatable from the catalogue minus the DaemonSets on agent nodes', () => {
    // cpx42: 8 vCPU − (60 + 10 + 2·5 + 4·2.5)m = 7910m; 16 GiB − (1 + 0.8 + 0.8) GiB − 100 Mi = 13621.6 Mi.
    // Node exporter 50m/64Mi, both Falco releases (kernel and gVisor driver) 100m/512Mi each
    // and Fluent Bit 50m/64Mi run on every agent node.
    expect(model.agentPool.allocatable.cpu).toBe(7910 - 300);
    expect(model.agentPool.allocatable.memory / MI).toBeCloseTo(13621.6 - 1152, 0);
    expect(model.agentPool).toMatchObject({ name: 'agents', instanceType: 'cpx42', initial: 8, min: 8, max: 40 });
    expect(model.agentPool.hourlyPrice).toBeCloseTo(25.49 / 730, 6);
    expect(model.agentPool.maxPods).toBe(106); // 110 less the four DaemonSet pods
  });

  it('charges the gVisor overhead on top of each tier', () => {
    // starter 250m/512Mi requests, 1/2Gi limits; overhead 100m/64Mi.
    expect(model.tiers.starter).toEqual({ cpu: 350, memory: 576 * MI, limitsCpu: 1100, limitsMemory: 2112 * MI });
    expect(model.sessionLimits).toEqual({ starter: 200, standard: 100, performance: 40, enterprise: 10 });
  });

  it('reads the agents quota, the warm pool and the autoscaler settings', () => {
    expect(model.quota).toEqual({
      cpu: 300_000,
      memory: 480 * 1024 * MI,
      limitsCpu: 900_000,
      limitsMemory: 1800 * 1024 * MI,
      pods: 600,
      services: 400,
    });
    expect(model.warmPool).toMatchObject({
      tier: 'starter',
      min: 0,
      max: 200,
      pollingSeconds: 15,
      cooldownSeconds: 120,
      targetQueryValue: 1,
    });
    expect(model.autoscaler).toMatchObject({
      enabled: true,
      scanSeconds: 10,
      unneededSeconds: 300,
      utilizationThreshold: 0.5,
      delayAfterAddSeconds: 600,
    });
    expect(model.staticPools.map((p) => `${p.name}:${p.nodes}`)).toEqual(['control-plane:3', 'api:3']);
  });

  it('uses the documented defaults per cloud, and the environment’s overrides with their origin', () => {
    expect(model.timings.nodeProvisionSeconds).toBe(90);
    expect(buildModel(exampleSpec('lobstack-aws')).timings.nodeProvisionSeconds).toBe(120);
    const raw = rawStack('prod');
    raw.simulation = { timings: { nodeProvisionSeconds: 45 }, sessionMinutes: { median: 5, p90: 10 } };
    const tuned = buildModel(parseRaw(raw, 'prod'));
    expect(tuned.timings.nodeProvisionSeconds).toBe(45);
    expect(tuned.timings.imagePullSeconds).toBe(30);
    expect(tuned.parameters.find((p) => p.name === 'nodeProvisionSeconds')).toEqual({
      name: 'nodeProvisionSeconds',
      value: '45 s',
      source: 'simulation.timings.nodeProvisionSeconds of the environment',
    });
    expect(tuned.sessionMinutes).toEqual({ median: 5, p90: 10 });
  });

  it('names tiers the LimitRange rejects', () => {
    const raw = rawStack('prod');
    raw.agents.tiers.enterprise.limits.cpu = '12';
    const m = buildModel(parseRaw(raw, 'prod'));
    expect(m.refusedTiers).toEqual({ enterprise: 'limits.cpu 12 > container max 8, limits.cpu 12 > pod max 9' });
  });

  it('refuses an environment without agents', () => {
    expect(() => buildModel(exampleSpec('cybersec'))).toThrow(
      'environment cybersec defines no agents (or no agents pool): there are no sessions to simulate',
    );
  });
});

describe('the simulation section of the schema', () => {
  it('rejects unknown timings and a p90 below the median, with their paths', () => {
    const raw = rawStack('prod');
    raw.simulation = { timings: { nodeBootSeconds: 3 }, sessionMinutes: { median: 10, p90: 5 } };
    expect(() => parseRaw(raw)).toThrow(/simulation\.timings.*nodeBootSeconds/);
    expect(() => parseRaw(raw)).toThrow(/simulation\.sessionMinutes\.p90.*p90 must be >= median/);
  });
});

describe('durationSeconds', () => {
  it('reads the schema’s durations', () => {
    expect([durationSeconds('30s'), durationSeconds('5m'), durationSeconds('1h')]).toEqual([30, 300, 3600]);
    expect(() => durationSeconds('5 min')).toThrow('"5 min" is not a duration such as 30s, 5m or 1h');
  });
});
