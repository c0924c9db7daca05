/**
 * The cross-layer family's view of the cluster (needs the environment model): the
 * node labels and taints of each pool, what a pod template needs to land on one, and
 * what it asks for at its maximum. The rules are in cross-layer-rules.ts and
 * cross-layer-capacity.ts.
 */
import {
  GVISOR_HANDLER,
  GVISOR_RUNTIME_CLASS,
  nodeLabels,
  AGENT_TIER_LABEL,
  type EnvironmentSpec,
  type NodePool,
} from '../../config';
import { asArray, asObject, asString, getPath } from '../manifests';
import { asObjects } from '../values';
import { parseQuantity, podResources, type PodResources, type PodTemplate } from '../workloads';
import type { Autoscaler } from './autoscalers';
import type { Manifest } from '../types';

/** Node labels the kubelet and cloud controller add on every node; selectors on them are judged per pool. */
function poolNodeLabels(pool: NodePool): Record<string, string> {
  return {
    ...nodeLabels(pool),
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': pool.instance.architecture === 'arm64' ? 'arm64' : 'amd64',
    'node.kubernetes.io/instance-type': pool.instanceType,
  };
}
/** Labels whose value differs per node (we cannot judge them from the pool; they never exclude a pool). */
const PER_NODE_LABELS = ['kubernetes.io/hostname', 'topology.kubernetes.io/zone', 'topology.kubernetes.io/region'];

export interface Scheduling {
  nodeSelector: Record<string, string>;
  tolerations: Record<string, unknown>[];
  affinityTerms: Record<string, unknown>[];
  needsGvisor: boolean;
  overhead: PodResources;
}

export function schedulingOf(t: PodTemplate, runtimeClasses: Map<string, Manifest>): Scheduling {
  const spec = t.spec;
  const nodeSelector: Record<string, string> = {};
  for (const [k, v] of Object.entries(asObject(spec.nodeSelector))) if (typeof v === 'string') nodeSelector[k] = v;
  const tolerations = asObjects(spec.tolerations);
  const affinityTerms = asObjects(
    getPath(spec, ['affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms']),
  );
  let needsGvisor = false;
  let overhead: PodResources = { cpu: 0, memory: 0 };
  const rcName = asString(spec.runtimeClassName);
  if (rcName) {
    const rc = runtimeClasses.get(rcName);
    if (rc) {
      const scheduling = asObject(rc.object.scheduling);
      for (const [k, v] of Object.entries(asObject(scheduling.nodeSelector)))
        if (typeof v === 'string') nodeSelector[k] = v;
      tolerations.push(...asObjects(scheduling.tolerations));
      needsGvisor = rc.object.handler === GVISOR_HANDLER;
      const fixed = asObject(asObject(rc.object.overhead).podFixed);
      overhead = { cpu: (parseQuantity(fixed.cpu) ?? 0) * 1000, memory: parseQuantity(fixed.memory) ?? 0 };
    } else {
      needsGvisor = rcName === GVISOR_RUNTIME_CLASS;
    }
  }
  return { nodeSelector, tolerations, affinityTerms, needsGvisor, overhead };
}

function tolerates(tolerations: Record<string, unknown>[], taint: NodePool['taints'][number]): boolean {
  return tolerations.some((t) => {
    const key = asString(t.key);
    const operator = asString(t.operator) ?? 'Equal';
    const effect = asString(t.effect);
    if (effect && effect !== taint.effect) return false;
    if (!key) return operator === 'Exists';
    if (key !== taint.key) return false;
    return operator === 'Exists' || (asString(t.value) ?? '') === (taint.value ?? '');
  });
}

function expressionMatches(expression: Record<string, unknown>, labels: Record<string, string>): boolean {
  const key = asString(expression.key) ?? '';
  if (PER_NODE_LABELS.includes(key)) return true;
  const values = asArray(expression.values).map(String);
  const value = labels[key];
  switch (expression.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
      return value !== undefined && Number(value) > Number(values[0]);
    case 'Lt':
      return value !== undefined && Number(value) < Number(values[0]);
    default:
      return false;
  }
}

/** Why a pod cannot land on a pool, or undefined when it can. */
export function poolMismatch(s: Scheduling, pool: NodePool): string | undefined {
  const labels = poolNodeLabels(pool);
  for (const [k, v] of Object.entries(s.nodeSelector)) {
    if (PER_NODE_LABELS.includes(k)) continue;
    if (labels[k] !== v) return `nodeSelector ${k}=${v} (nodes have ${k}=${labels[k] ?? 'unset'})`;
  }
  if (s.affinityTerms.length > 0) {
    const ok = s.affinityTerms.some((term) =>
      asArray(term.matchExpressions).every((e) => expressionMatches(asObject(e), labels)),
    );
    if (!ok) return 'no required nodeAffinity term matches its node labels';
  }
  for (const taint of pool.taints) {
    if (taint.effect === 'PreferNoSchedule') continue;
    if (!tolerates(s.tolerations, taint)) {
      return `taint ${taint.key}${taint.value === undefined ? '' : `=${taint.value}`}:${taint.effect} is not tolerated`;
    }
  }
  if (s.needsGvisor && !pool.gvisor) return 'it needs the gVisor runtime (runsc), which the pool does not have';
  return undefined;
}

/** What one pod template asks of the cluster at its maximum. */
export interface Demand {
  template: PodTemplate;
  replicas: number;
  how: string;
  requests: PodResources;
  limits: PodResources;
  pools: NodePool[];
}

export function demandOf(
  t: PodTemplate,
  spec: EnvironmentSpec,
  scalers: readonly Autoscaler[],
  pools: NodePool[],
  overhead: PodResources,
): Demand {
  const ns = t.namespace ?? 'default';
  const scaler = scalers.find(
    (a) =>
      a.horizontal && a.target.namespace === ns && a.target.kind === t.owner.kind && a.target.name === t.owner.name,
  );
  const objSpec = asObject(t.manifest.object.spec);
  let replicas: number;
  let how: string;
  if (t.owner.kind === 'DaemonSet') {
    replicas = pools.reduce((n, p) => n + p.max, 0);
    how = `one per node, ${replicas} nodes at most`;
  } else if (t.owner.kind === 'PodTemplate') {
    const tier = t.labels[AGENT_TIER_LABEL];
    replicas = tier ? (spec.agents?.sessions[tier] ?? 0) : 0;
    how = tier ? `agents.sessions.${tier} = ${replicas} sessions` : 'stamped on demand (no session limit in the model)';
  } else if (scaler) {
    replicas = scaler.max;
    how = `${scaler.manifest.object.kind} max ${scaler.max}`;
  } else if (t.owner.kind === 'Job' || t.owner.kind === 'CronJob') {
    const jobSpec = t.owner.kind === 'CronJob' ? asObject(getPath(objSpec, ['jobTemplate', 'spec'])) : objSpec;
    replicas = typeof jobSpec.parallelism === 'number' ? jobSpec.parallelism : 1;
    how = `parallelism ${replicas}`;
  } else {
    replicas = typeof objSpec.replicas === 'number' ? objSpec.replicas : 1;
    how = `replicas ${replicas}`;
  }
  return {
    template: t,
    replicas,
    how,
    requests: podResources(t, 'requests', overhead),
    limits: podResources(t, 'limits', overhead),
    pools,
  };
}
