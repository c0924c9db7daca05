import { buildModel, durationSeconds } from '../../../tools/simulate/model';
import { parseRaw, rawStack, stackSpec } from '../../support/environments';
import { exampleSpec } from '../../support/examples';

const MI = 2 ** 20;

describe('buildModel reads the environment', () => {
  const model = buildModel(stackSpec('prod'));

  it('takes node allocatable from the catalogue minus the DaemonSets on agent nodes', () => {
    // cpx42: 8 vCPU − (60 + 10 + 2·5 + 4·2.5)m = 7910m; 16 GiB − (1 + 0.8 + 0.8) GiB − 100 Mi = 13621.6 Mi.
    // Node exporter 50m/64Mi and Falco 100m/512Mi run on every agent node.
    expect(model.agentPool.allocatable.cpu).toBe(7910 - 150);
    expect(model.agentPool.allocatable.memory / MI).toBeCloseTo(13621.6 - 576, 0);
    expect(model.agentPool).toMatchObject({ name: 'agents', instanceType: 'cpx42', initial: 8, min: 8, max: 40 });
    expect(model.agentPool.hourlyPrice).toBeCloseTo(25.49 / 730, 6);
    expect(model.agentPool.maxPods).toBe(108);
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
    expect(model.staticPools.map((p) => `${p.name}:${p.nodes}`)).toEqual(['control-plane:3']);
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

  it('reads the API’s HPA as synthesized, its pods with the mesh sidecar, and its pool', () => {
    const api = model.api!;
    // cpx32: 4000m − 80m reserve = 3920m, minus the DaemonSets on the API pool: hcloud-csi node
    // 70m, istio-cni 50m, node exporter 50m, Falco 100m, Velero's node agent 100m, Fluent Bit 50m.
    expect(api.pool).toMatchObject({
      name: 'api',
      instanceType: 'cpx32',
      initial: 3,
      min: 3,
      max: 12,
      autoscaled: true,
    });
    expect(api.pool.allocatable.cpu).toBe(3920 - 420);
    expect(api.pool.maxPods).toBe(104); // 110 minus the six DaemonSet pods above
    // 500m/1Gi API container + 50m/64Mi istio-proxy.
    expect(api.pod).toEqual({ cpu: 550, memory: 1088 * MI });
    expect(api).toMatchObject({ min: 3, max: 50, cpuTarget: 70, rpsTarget: 100, pdbMinAvailable: 2 });
    expect(api.behavior.scaleUp.policies).toEqual([
      { type: 'Percent', value: 100, periodSeconds: 60 },
      { type: 'Pods', value: 4, periodSeconds: 60 },
    ]);
    expect(api.behavior.scaleDown).toMatchObject({ stabilizationWindowSeconds: 300, selectPolicy: 'Min' });
    // The requests-per-second target is what a replica serves at its CPU target:
    // 70 % × 550m / 100 req/s = 3.85 millicore-seconds per request; its limit 2.5 CPU serves 649 req/s.
    expect(api.cpuPerRequest).toBeCloseTo(3.85, 9);
    expect(api.replicaMaxRps).toBeCloseTo(2500 / 3.85, 6);
    expect(api).toMatchObject({ startingRps: 1, activeRps: 0.5, cpuWindowSeconds: 15, rpsWindowSeconds: 120 });
    expect(model.parameters.find((p) => p.name === 'replicaRequestsPerSecondAtTarget')?.source).toMatch(
      /^controlPlaneApi\.autoscaling\.requestsPerSecond: the environment's HPA target/,
    );
  });

  it('takes the API’s load parameters from simulation.api, with their origin', () => {
    const raw = rawStack('prod');
    raw.simulation = { api: { requestsPerSecondPerActiveSession: 2, replicaRequestsPerSecondAtTarget: 50 } };
    const tuned = buildModel(parseRaw(raw, 'prod'));
    expect(tuned.api).toMatchObject({ activeRps: 2, startingRps: 1 });
    expect(tuned.api!.cpuPerRequest).toBeCloseTo(7.7, 9);
    expect(tuned.parameters.find((p) => p.name === 'requestsPerSecondPerActiveSession')).toEqual({
      name: 'requestsPerSecondPerActiveSession',
      value: '2 req/s',
      source: 'simulation.api.requestsPerSecondPerActiveSession of the environment',
    });
  });

  it('leaves the API out, saying why, when it shares the add-ons’ pool', () => {
    const raw = rawStack('prod');
    raw.controlPlaneApi.pool = 'control-plane';
    const m = buildModel(parseRaw(raw, 'prod'));
    expect(m.api).toBeUndefined();
    expect(m.staticPools.map((p) => p.name)).toEqual(['control-plane', 'api']);
    expect(m.parameters.find((p) => p.name === 'API')?.source).toBe(
      'the API shares pool control-plane with the add-ons, whose load the simulation does not model',
    );
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

  it('an objective measures exactly one thing; a tier applies to session starts only', () => {
    const raw = rawStack('prod');
    raw.simulation = {
      objectives: [
        { profile: 'burst', percentile: 'p95' },
        { profile: 'burst', percentile: 'max', maxStartSeconds: 60, maxApiCpuUtilization: 75 },
        { profile: 'burst', percentile: 'max', maxApiCpuUtilization: 75, tier: 'starter' },
      ],
    };
    expect(() => parseRaw(raw)).toThrow(
      'simulation.objectives[0] must set exactly one of maxStartSeconds, maxApiCpuUtilization (got none)',
    );
    expect(() => parseRaw(raw)).toThrow(
      /simulation\.objectives\[1\] .*\(got maxStartSeconds and maxApiCpuUtilization\)/,
    );
    expect(() => parseRaw(raw)).toThrow(
      /simulation\.objectives\[2\]\.tier \("starter"\) applies to maxStartSeconds only/,
    );
  });

  it('rejects an unknown API parameter with its path', () => {
    const raw = rawStack('prod');
    raw.simulation = { api: { requestsPerSession: 3 } };
    expect(() => parseRaw(raw)).toThrow(/simulation\.api.*requestsPerSession/);
  });
});

describe('durationSeconds', () => {
  it('reads the schema’s durations', () => {
    expect([durationSeconds('30s'), durationSeconds('5m'), durationSeconds('1h')]).toEqual([30, 300, 3600]);
    expect(() => durationSeconds('5 min')).toThrow('"5 min" is not a duration such as 30s, 5m or 1h');
  });
});
