/**
 * The simulation's view of an environment: every number read once from the resolved
 * EnvironmentSpec (tiers plus the gVisor pod overhead, node allocatable from the instance
 * catalogue minus the DaemonSets on agent nodes, pool sizes, the agents namespace's quota and
 * LimitRange, the warm pool's KEDA settings, the cluster autoscaler's settings) plus the
 * assumed timings of tools/simulate/parameters.ts with the environment's overrides.
 */
import {
  allocatable,
  bytes,
  cpuMillis,
  limitRangeBreaches,
  namespaceOf,
  PRICES_AS_OF,
  SIMULATION_TIMINGS,
  type EnvironmentSpec,
  type LimitRangeBreach,
  type SimulationTiming,
} from '../../config';
import { nodeAgentsOn } from '../../infra/addons/capacity';
import type { Cloud } from '../../config/clouds';
import {
  API_LOAD,
  CPU_METRIC_WINDOW,
  DEFAULT_SESSION_MINUTES,
  HPA_TOLERANCE,
  MESH_SIDECAR,
  RPS_METRIC_WINDOW,
  defaultTimings,
  KEDA_HPA_BEHAVIOR,
  MAX_EMPTY_BULK_DELETE,
  MAX_PODS_PER_NODE,
} from './parameters';

/** What one pod asks for, as the scheduler and the ResourceQuota count it (millicores, bytes). */
export interface PodShape {
  readonly cpu: number;
  readonly memory: number;
  readonly limitsCpu: number;
  readonly limitsMemory: number;
}

export interface QuotaHard {
  readonly cpu: number;
  readonly memory: number;
  readonly limitsCpu: number;
  readonly limitsMemory: number;
  readonly pods: number;
  readonly services: number;
}

export interface ScalingRules {
  readonly stabilizationWindowSeconds: number;
  readonly selectPolicy: 'Max' | 'Min' | 'Disabled';
  readonly policies: readonly {
    readonly type: 'Pods' | 'Percent';
    readonly value: number;
    readonly periodSeconds: number;
  }[];
}

export interface WarmPoolModel {
  readonly tier: string;
  readonly min: number;
  readonly max: number;
  readonly pollingSeconds: number;
  readonly cooldownSeconds: number;
  readonly targetQueryValue: number;
  readonly behavior: { readonly scaleUp: ScalingRules; readonly scaleDown: ScalingRules };
}

export interface AgentPoolModel {
  readonly name: string;
  readonly instanceType: string;
  /** Per node, after the system reserve and the DaemonSets on agent nodes. */
  readonly allocatable: { readonly cpu: number; readonly memory: number };
  readonly maxPods: number;
  readonly initial: number;
  readonly min: number;
  readonly max: number;
  readonly autoscaled: boolean;
  readonly hourlyPrice?: number;
}

/**
 * The control-plane API (the orchestrator) and its pool: its HPA as synthesized
 * (charts-src/constructs/stateless-service.ts), its load derived from sessions, its pods on the
 * API pool.
 */
export interface ApiModel {
  readonly pool: AgentPoolModel;
  /** One API pod's requests (the API container plus the mesh sidecar when injected), millicores and bytes. */
  readonly pod: { readonly cpu: number; readonly memory: number };
  readonly min: number;
  readonly max: number;
  /** HPA targets: CPU utilization (percent of requests), requests per second per pod; undefined: not set. */
  readonly cpuTarget?: number;
  readonly rpsTarget?: number;
  readonly behavior: { readonly scaleUp: ScalingRules; readonly scaleDown: ScalingRules };
  readonly tolerance: number;
  /** Seconds over which the HPA's CPU and requests-per-second metrics average. */
  readonly cpuWindowSeconds: number;
  readonly rpsWindowSeconds: number;
  /** Load per session waiting for its sandbox and per running session (requests per second). */
  readonly startingRps: number;
  readonly activeRps: number;
  /** CPU time per request (millicore-seconds): the CPU target's millicores over the requests a replica serves there. */
  readonly cpuPerRequest: number;
  /** Requests per second one Ready replica serves at the most. */
  readonly replicaMaxRps: number;
  readonly pdbMinAvailable: number;
  readonly startupProbe: { readonly initialDelaySeconds: number; readonly periodSeconds: number };
}

export interface StaticPoolModel {
  readonly name: string;
  readonly instanceType: string;
  readonly nodes: number;
  readonly hourlyPrice?: number;
}

export interface AutoscalerModel {
  readonly enabled: boolean;
  readonly scanSeconds: number;
  readonly unneededSeconds: number;
  readonly utilizationThreshold: number;
  readonly delayAfterAddSeconds: number;
  readonly maxEmptyBulkDelete: number;
}

export interface SimulationModel {
  readonly stack: string;
  readonly cloud: Cloud;
  readonly currency: 'EUR' | 'USD';
  readonly pricesAsOf: string;
  readonly agentPool: AgentPoolModel;
  /** Pools the simulated load does not change: they stay at their initial size. */
  readonly staticPools: readonly StaticPoolModel[];
  readonly tiers: Readonly<Record<string, PodShape>>;
  /** Maximum concurrent sessions per tier (agents.sessions); tiers not listed are not limited. */
  readonly sessionLimits: Readonly<Record<string, number>>;
  readonly quota: QuotaHard;
  /** Tiers the LimitRange rejects at admission, with the reason. */
  readonly refusedTiers: Readonly<Record<string, string>>;
  readonly warmPool?: WarmPoolModel;
  /** The API and its pool; undefined: not modelled (its pool is then a static pool). */
  readonly api?: ApiModel;
  readonly autoscaler: AutoscalerModel;
  readonly timings: Readonly<Record<SimulationTiming, number>>;
  readonly startupProbe: { readonly initialDelaySeconds: number; readonly periodSeconds: number };
  readonly sessionMinutes: { readonly median: number; readonly p90: number };
  /** Every assumed number with its value and source, for the report. */
  readonly parameters: readonly { readonly name: string; readonly value: string; readonly source: string }[];
}

export class SimulationInputError extends Error {
  override readonly name = 'SimulationInputError';
}

/** `5m` → 300. The schema already restricts the shape to digits and s/m/h. */
export function durationSeconds(text: string): number {
  const match = /^(\d+)([smh])$/.exec(text);
  if (!match) throw new SimulationInputError(`"${text}" is not a duration such as 30s, 5m or 1h`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2] as 's' | 'm' | 'h'];
}

const hourly = (monthly: number | undefined) => (monthly === undefined ? undefined : monthly / 730);

function tierShape(spec: EnvironmentSpec, tier: string): PodShape {
  const agents = spec.agents!;
  const t = agents.tiers[tier]!;
  const o = agents.runtimeOverhead;
  // The RuntimeClass overhead is charged on top of the containers by the scheduler and the quota.
  // The vault-agent init container (when Vault is on) is kept below every tier
  // (charts-src/constructs/agent-pod-template.ts), so the pod's effective requests are the tier's.
  return {
    cpu: cpuMillis(t.requests.cpu) + cpuMillis(o.cpu),
    memory: bytes(t.requests.memory) + bytes(o.memory),
    limitsCpu: cpuMillis(t.limits.cpu) + cpuMillis(o.cpu),
    limitsMemory: bytes(t.limits.memory) + bytes(o.memory),
  };
}

/** Why the agents namespace's LimitRange rejects a tier's pods at admission, if it does. */
function limitRangeRefusal(spec: EnvironmentSpec, tier: string): string | undefined {
  const t = spec.agents!.tiers[tier]!;
  const lr = namespaceOf(spec, 'agents').limitRange;
  // config/rules/limit-range.ts: requests >= min, limits <= max, for the container and the pod.
  const show = (scope: string, b: LimitRangeBreach<string>) =>
    `${b.kind}.${b.resource} ${b.value} ${b.bound === 'min' ? '<' : '>'} ${scope} ${b.bound} ${b.boundValue}`;
  const problems = [
    ...limitRangeBreaches(t, lr.container).map((b) => show('container', b)),
    ...(lr.pod ? limitRangeBreaches({ limits: t.limits }, lr.pod).map((b) => show('pod', b)) : []),
  ];
  return problems.length > 0 ? problems.join(', ') : undefined;
}

type ParameterRow = { name: string; value: string; source: string };

function timingsOf(spec: EnvironmentSpec): { values: Record<SimulationTiming, number>; parameters: ParameterRow[] } {
  const defaults = defaultTimings(spec.cloud.provider);
  const overrides = spec.simulation?.timings ?? {};
  const values = {} as Record<SimulationTiming, number>;
  const parameters: ParameterRow[] = [];
  for (const name of SIMULATION_TIMINGS) {
    const override = overrides[name];
    values[name] = override ?? defaults[name].value;
    parameters.push({
      name,
      value: `${values[name]} s`,
      source: override === undefined ? defaults[name].source : `simulation.timings.${name} of the environment`,
    });
  }
  return { values, parameters };
}

export function buildModel(spec: EnvironmentSpec): SimulationModel {
  const agents = spec.agents;
  const pool = spec.placement.agents;
  if (!agents || !pool) {
    throw new SimulationInputError(
      `environment ${spec.stack} defines no agents (or no agents pool): there are no sessions to simulate`,
    );
  }
  const { values: timings, parameters } = timingsOf(spec);
  const raw = allocatable(pool.instance);
  // The DaemonSet pods the capacity check counts on a node of this pool (node exporter, Fluent Bit, both
  // Falco releases on a gVisor pool), from the add-ons' own declarations.
  const daemonSets = nodeAgentsOn(spec, pool);
  const daemonCpu = daemonSets.reduce((n, d) => n + d.cpuMillis, 0);
  const daemonMemory = daemonSets.reduce((n, d) => n + d.memoryBytes, 0);
  parameters.push({
    name: 'agent node allocatable',
    value: `${raw.cpuMillis - daemonCpu}m CPU, ${Math.round((raw.memoryBytes - daemonMemory) / 2 ** 20)}Mi`,
    source: `${pool.instanceType} (${pool.instance.vcpu} vCPU, ${pool.instance.memoryGiB} GiB) minus the system reserve (config/catalogue/instance-types.ts allocatable) minus DaemonSets ${daemonSets.map((d) => `${d.name} ${d.cpuMillis}m/${d.memoryBytes / 2 ** 20}Mi`).join(', ') || 'none'} (infra/addons)`,
  });
  parameters.push({ name: 'maxPodsPerNode', value: String(MAX_PODS_PER_NODE.value), source: MAX_PODS_PER_NODE.source });

  const ca = spec.addons.clusterAutoscaler;
  const session = spec.simulation?.sessionMinutes ?? DEFAULT_SESSION_MINUTES;
  parameters.push({
    name: 'session length',
    value: `median ${session.median} min, p90 ${session.p90} min (log-normal)`,
    source: spec.simulation?.sessionMinutes
      ? 'simulation.sessionMinutes of the environment'
      : DEFAULT_SESSION_MINUTES.source,
  });

  const agentsNs = namespaceOf(spec, 'agents');
  const q = agentsNs.quota;
  const tiers = Object.fromEntries(Object.keys(agents.tiers).map((t) => [t, tierShape(spec, t)]));
  const refusedTiers: Record<string, string> = {};
  for (const t of Object.keys(agents.tiers)) {
    const why = limitRangeRefusal(spec, t);
    if (why) refusedTiers[t] = why;
  }
  const w = agents.warmPool;
  const api = apiModel(spec, parameters);
  return {
    stack: spec.stack,
    cloud: spec.cloud.provider,
    currency: pool.instance.currency,
    pricesAsOf: PRICES_AS_OF[spec.cloud.provider],
    agentPool: {
      name: pool.name,
      instanceType: pool.instanceType,
      allocatable: { cpu: raw.cpuMillis - daemonCpu, memory: raw.memoryBytes - daemonMemory },
      maxPods: MAX_PODS_PER_NODE.value - daemonSets.length,
      initial: pool.initial,
      min: pool.min,
      max: pool.max,
      autoscaled: pool.autoscaled && ca.enabled,
      ...(pool.instance.monthlyPrice === undefined ? {} : { hourlyPrice: hourly(pool.instance.monthlyPrice) }),
    },
    ...(api ? { api: api.model } : {}),
    staticPools: spec.nodePools
      .filter((p) => p !== pool && p !== api?.poolSpec)
      .map((p) => ({
        name: p.name,
        instanceType: p.instanceType,
        nodes: p.initial,
        ...(p.instance.monthlyPrice === undefined ? {} : { hourlyPrice: hourly(p.instance.monthlyPrice) }),
      })),
    tiers,
    sessionLimits: agents.sessions,
    quota: {
      cpu: cpuMillis(q.requestsCpu),
      memory: bytes(q.requestsMemory),
      limitsCpu: cpuMillis(q.limitsCpu),
      limitsMemory: bytes(q.limitsMemory),
      pods: q.pods,
      services: q.services,
    },
    refusedTiers,
    ...(w
      ? {
          warmPool: {
            tier: w.tier,
            min: w.minReplicas,
            max: w.maxReplicas,
            pollingSeconds: w.pollingInterval,
            cooldownSeconds: w.cooldownPeriod,
            targetQueryValue: w.targetQueryValue,
            behavior: KEDA_HPA_BEHAVIOR,
          },
        }
      : {}),
    autoscaler: {
      enabled: ca.enabled,
      scanSeconds: timings.autoscalerScanSeconds,
      unneededSeconds: durationSeconds(ca.scaleDownUnneededTime),
      utilizationThreshold: ca.scaleDownUtilizationThreshold,
      delayAfterAddSeconds: timings.scaleDownDelayAfterAddSeconds,
      maxEmptyBulkDelete: MAX_EMPTY_BULK_DELETE,
    },
    timings,
    startupProbe: {
      initialDelaySeconds: agents.probes.startup.initialDelaySeconds,
      periodSeconds: agents.probes.startup.periodSeconds,
    },
    sessionMinutes: { median: session.median, p90: session.p90 },
    parameters,
  };
}

/** Seconds from the container starting to the pod Ready: the first startup probe at or after the agent is up. */
export function readyAfterStart(
  model: Pick<SimulationModel, 'timings' | 'startupProbe'>,
  up: number = model.timings.sandboxStartSeconds,
): number {
  const { initialDelaySeconds: delay, periodSeconds: period } = model.startupProbe;
  return up <= delay ? delay : delay + Math.ceil((up - delay) / period) * period;
}

/** The pool model of a node pool whose nodes also run the add-ons' DaemonSets of `daemonSets`. */
function poolModel(
  pool: EnvironmentSpec['nodePools'][number],
  daemonSets: readonly { cpu: number; memory: number }[],
  autoscalerEnabled: boolean,
): AgentPoolModel {
  const raw = allocatable(pool.instance);
  return {
    name: pool.name,
    instanceType: pool.instanceType,
    allocatable: {
      cpu: raw.cpuMillis - daemonSets.reduce((n, d) => n + d.cpu, 0),
      memory: raw.memoryBytes - daemonSets.reduce((n, d) => n + d.memory, 0),
    },
    maxPods: MAX_PODS_PER_NODE.value - daemonSets.length,
    initial: pool.initial,
    min: pool.min,
    max: pool.max,
    autoscaled: pool.autoscaled && autoscalerEnabled,
    ...(pool.instance.monthlyPrice === undefined ? {} : { hourlyPrice: hourly(pool.instance.monthlyPrice) }),
  };
}

const fmtNumber = (n: number) => String(Math.round(n * 1000) / 1000);

/**
 * The API as its HPA and the API pool see it, with every number it assumes added to
 * `parameters`; undefined (with a row saying why) when the API is not an HPA-scaled workload on
 * a pool of its own.
 */
function apiModel(
  spec: EnvironmentSpec,
  parameters: ParameterRow[],
): { model: ApiModel; poolSpec: EnvironmentSpec['nodePools'][number] } | undefined {
  const a = spec.controlPlaneApi;
  const pool = spec.placement.api;
  const notModelled = (why: string) => {
    parameters.push({ name: 'API', value: 'not modelled', source: why });
    return undefined;
  };
  if (a.keda) return notModelled('controlPlaneApi.keda: the API scales with KEDA, which the simulation does not model');
  if (pool === spec.placement.agents) return notModelled(`the API shares pool ${pool.name} with the agents`);
  if (pool === spec.placement.system) {
    return notModelled(`the API shares pool ${pool.name} with the add-ons, whose load the simulation does not model`);
  }
  const daemonSets = nodeAgentsOn(spec, pool).map((d) => ({ name: d.name, cpu: d.cpuMillis, memory: d.memoryBytes }));
  const model = poolModel(pool, daemonSets, spec.addons.clusterAutoscaler.enabled);
  parameters.push({
    name: 'API node allocatable',
    value: `${model.allocatable.cpu}m CPU, ${Math.round(model.allocatable.memory / 2 ** 20)}Mi`,
    source: `${pool.instanceType} (${pool.instance.vcpu} vCPU, ${pool.instance.memoryGiB} GiB) minus the system reserve minus DaemonSets ${daemonSets.map((d) => `${d.name} ${d.cpu}m/${Math.round(d.memory / 2 ** 20)}Mi`).join(', ') || 'none'} (infra/addons capacity)`,
  });

  const meshed = namespaceOf(spec, 'control-plane').mesh && spec.addons.istio.enabled;
  const cpu = cpuMillis(a.resources.requests.cpu) + (meshed ? MESH_SIDECAR.cpuMillis : 0);
  const memory = bytes(a.resources.requests.memory) + (meshed ? MESH_SIDECAR.memoryBytes : 0);
  const limitsCpu = cpuMillis(a.resources.limits.cpu) + (meshed ? MESH_SIDECAR.limitsCpuMillis : 0);
  parameters.push({
    name: 'API pod requests',
    value: `${cpu}m CPU, ${Math.round(memory / 2 ** 20)}Mi; CPU limit ${limitsCpu}m`,
    source: `controlPlaneApi.resources${meshed ? ` plus the ${MESH_SIDECAR.source}` : ' (not meshed: no sidecar)'}`,
  });

  const hpa = a.autoscaling;
  const overrides = spec.simulation?.api ?? {};
  const param = (
    name: keyof typeof API_LOAD | 'replicaMaxRequestsPerSecond',
    fallback: { value: number; source: string },
    unit: string,
  ): number => {
    const set = overrides[name];
    const value = set ?? fallback.value;
    parameters.push({
      name,
      value: `${fmtNumber(value)} ${unit}`,
      source: set === undefined ? fallback.source : `simulation.api.${name} of the environment`,
    });
    return value;
  };
  const startingRps = param(
    'requestsPerSecondPerStartingSession',
    API_LOAD.requestsPerSecondPerStartingSession,
    'req/s',
  );
  const activeRps = param('requestsPerSecondPerActiveSession', API_LOAD.requestsPerSecondPerActiveSession, 'req/s');
  const atTarget = param(
    'replicaRequestsPerSecondAtTarget',
    hpa.requestsPerSecond !== undefined
      ? {
          value: hpa.requestsPerSecond,
          source: `controlPlaneApi.autoscaling.requestsPerSecond: the environment's HPA target, taken as the load at which a replica's CPU reaches ${hpa.cpuUtilization === undefined ? 'the reference 70 %' : `its CPU target ${hpa.cpuUtilization} %`} (an assumption that the two targets agree; measure with a load test)`,
        }
      : API_LOAD.replicaRequestsPerSecondAtTarget,
    'req/s',
  );
  // Without a CPU target the CPU per request is stated against 70 %, the construct's default target.
  const reference = hpa.cpuUtilization ?? 70;
  const cpuPerRequest = ((reference / 100) * cpu) / atTarget;
  parameters.push({
    name: 'API CPU per request',
    value: `${fmtNumber(cpuPerRequest)} millicore-seconds`,
    source: `${reference} % of the pod's ${cpu}m requests / replicaRequestsPerSecondAtTarget`,
  });
  const replicaMaxRps = param(
    'replicaMaxRequestsPerSecond',
    {
      value: limitsCpu / cpuPerRequest,
      source: `the pod's CPU limit ${limitsCpu}m / CPU per request (a Ready replica can use its limit when its node has the CPU; a single-threaded runtime saturates near one core: then set this)`,
    },
    'req/s',
  );
  parameters.push(
    { name: 'HPA tolerance', value: String(HPA_TOLERANCE.value), source: HPA_TOLERANCE.source },
    { name: 'API CPU metric window', value: `${CPU_METRIC_WINDOW.value} s`, source: CPU_METRIC_WINDOW.source },
    { name: 'API requests metric window', value: `${RPS_METRIC_WINDOW.value} s`, source: RPS_METRIC_WINDOW.source },
  );
  return {
    poolSpec: pool,
    model: {
      pool: model,
      pod: { cpu, memory },
      min: a.replicas.min,
      max: a.replicas.max,
      ...(hpa.cpuUtilization === undefined ? {} : { cpuTarget: hpa.cpuUtilization }),
      ...(hpa.requestsPerSecond === undefined ? {} : { rpsTarget: hpa.requestsPerSecond }),
      behavior: hpa.behavior,
      tolerance: HPA_TOLERANCE.value,
      cpuWindowSeconds: CPU_METRIC_WINDOW.value,
      rpsWindowSeconds: RPS_METRIC_WINDOW.value,
      startingRps,
      activeRps,
      cpuPerRequest,
      replicaMaxRps,
      pdbMinAvailable: a.pdbMinAvailable,
      startupProbe: {
        initialDelaySeconds: a.probes.startup.initialDelaySeconds,
        periodSeconds: a.probes.startup.periodSeconds,
      },
    },
  };
}
