import type { SimulationModel } from '../../../tools/simulate/model';
import { KEDA_HPA_BEHAVIOR } from '../../../tools/simulate/parameters';
import type { Arrival } from '../../../tools/simulate/profiles';

const MI = 2 ** 20;

/**
 * A model small enough to compute by hand: one agent node of 1000m / 1024Mi (image cached),
 * tier `small` = 400m / 256Mi requests, timings in round numbers, no warm pool, no limits
 * except the ones a test sets.
 */
export function smallModel(overrides: Partial<SimulationModel> = {}): SimulationModel {
  return {
    stack: 'tiny',
    cloud: 'hcloud',
    currency: 'EUR',
    pricesAsOf: '2025-10-15',
    agentPool: {
      name: 'agents',
      instanceType: 'test',
      allocatable: { cpu: 1000, memory: 1024 * MI },
      maxPods: 110,
      initial: 1,
      min: 1,
      max: 2,
      autoscaled: true,
      hourlyPrice: 3.6,
    },
    staticPools: [],
    tiers: {
      small: { cpu: 400, memory: 256 * MI, limitsCpu: 800, limitsMemory: 512 * MI },
      big: { cpu: 900, memory: 512 * MI, limitsCpu: 900, limitsMemory: 512 * MI },
    },
    sessionLimits: {},
    quota: {
      cpu: 100_000,
      memory: 1000 * 1024 * MI,
      limitsCpu: 100_000,
      limitsMemory: 1000 * 1024 * MI,
      pods: 100,
      services: 100,
    },
    refusedTiers: {},
    autoscaler: {
      enabled: true,
      scanSeconds: 10,
      unneededSeconds: 60,
      utilizationThreshold: 0.5,
      delayAfterAddSeconds: 0,
      maxEmptyBulkDelete: 10,
    },
    timings: {
      hpaSyncSeconds: 15,
      autoscalerScanSeconds: 10,
      scaleDownDelayAfterAddSeconds: 0,
      nodeProvisionSeconds: 60,
      imagePullSeconds: 30,
      sandboxStartSeconds: 2,
      schedulingSeconds: 1,
      warmClaimSeconds: 1,
      quotaRetrySeconds: 10,
      apiImagePullSeconds: 10,
      apiStartSeconds: 5,
    },
    startupProbe: { initialDelaySeconds: 0, periodSeconds: 5 },
    sessionMinutes: { median: 20, p90: 60 },
    parameters: [],
    ...overrides,
  };
}

export const warmPool = (min: number, max: number) => ({
  tier: 'small',
  min,
  max,
  pollingSeconds: 15,
  cooldownSeconds: 120,
  targetQueryValue: 1,
  behavior: KEDA_HPA_BEHAVIOR,
});

export const at = (time: number, durationSeconds = 1000, tier = 'small'): Arrival => ({ time, tier, durationSeconds });
