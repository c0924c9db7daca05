/**
 * Rule family 6, cross-layer (needs the environment model): manifests checked
 * against the cluster Pulumi builds from the same stack file. Every pod template
 * can land on some node pool; every tainted pool is used; autoscaler maxima fit
 * the namespace quota and the pools' capacity; each namespace's Pod Security
 * level is the model's and admits what runs in it.
 */
import {
  allocatable,
  GVISOR_HANDLER,
  GVISOR_RUNTIME_CLASS,
  nodeLabels,
  AGENT_TIER_LABEL,
  type EnvironmentSpec,
  type NodePool,
} from '../../config';
import { asArray, asObject, asString, describe, getPath, metadataOf } from '../manifests';
import {
  allPodTemplates,
  formatBytesHuman,
  formatMillis,
  parseQuantity,
  podResources,
  type PodResources,
  type PodTemplate,
} from '../workloads';
import { autoscalersOf } from './references';
import { checkPodTemplate } from './pod-security';
import type { GateContext, Manifest, RuleFamily } from '../types';

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

interface Scheduling {
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
  const tolerations = asArray(spec.tolerations).map(asObject);
  const affinityTerms = asArray(
    getPath(spec, ['affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms']),
  ).map(asObject);
  let needsGvisor = false;
  let overhead: PodResources = { cpu: 0, memory: 0 };
  const rcName = asString(spec.runtimeClassName);
  if (rcName) {
    const rc = runtimeClasses.get(rcName);
    if (rc) {
      const scheduling = asObject(rc.object.scheduling);
      for (const [k, v] of Object.entries(asObject(scheduling.nodeSelector)))
        if (typeof v === 'string') nodeSelector[k] = v;
      tolerations.push(...asArray(scheduling.tolerations).map(asObject));
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

interface Demand {
  template: PodTemplate;
  replicas: number;
  how: string;
  requests: PodResources;
  limits: PodResources;
  pools: NodePool[];
}

function demandOf(
  t: PodTemplate,
  spec: EnvironmentSpec,
  scalers: ReturnType<typeof autoscalersOf>,
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

export const crossLayerRules: RuleFamily = {
  name: 'cross-layer',
  needsEnvironment: true,
  rules: [
    { id: 'cross.scheduling', severity: 'error', description: 'every pod template can land on a node pool' },
    { id: 'cross.tainted-pool-unused', severity: 'error', description: 'every tainted pool is used by something' },
    {
      id: 'cross.quota-capacity',
      severity: 'error',
      description: 'autoscaler max × per-pod requests fits the namespace quota',
    },
    { id: 'cross.pool-capacity', severity: 'error', description: "pods fit the pools' maximum allocatable capacity" },
    {
      id: 'cross.namespace-level',
      severity: 'error',
      description: "each namespace has the model's PSS level and admits what runs in it",
    },
  ],
  check(ctx: GateContext, report) {
    const spec = ctx.spec;
    if (!spec) return;
    const templates = allPodTemplates(ctx.manifests);
    const runtimeClasses = new Map<string, Manifest>();
    for (const m of ctx.manifests)
      if (m.object.kind === 'RuntimeClass') runtimeClasses.set(metadataOf(m.object).name, m);
    const scalers = autoscalersOf(ctx.manifests);
    const pools = [...spec.nodePools];
    const used = new Set<string>([spec.placement.system.name]);
    const demands: Demand[] = [];

    for (const t of templates) {
      const s = schedulingOf(t, runtimeClasses);
      const fits = pools.filter((p) => poolMismatch(s, p) === undefined);
      fits.forEach((p) => used.add(p.name));
      if (fits.length === 0) {
        report(t.manifest, {
          rule: 'cross.scheduling',
          path: [...t.specPath, 'nodeSelector'],
          message: `pods can land on no node pool of ${spec.stack}: ${pools.map((p) => `${p.name}: ${poolMismatch(s, p)}`).join('; ')}`,
          fix: 'use schedulingFor(pool) from config/contract.ts for nodeSelector and tolerations, or add a matching pool',
        });
      }
      demands.push(demandOf(t, spec, scalers, fits, s.overhead));
    }

    for (const pool of pools) {
      const hard = pool.taints.filter((t) => t.effect !== 'PreferNoSchedule');
      if (hard.length === 0 || used.has(pool.name)) continue;
      const cost =
        pool.instance.monthlyPrice !== undefined
          ? `, ${pool.min} × ${pool.instance.monthlyPrice} ${pool.instance.currency}/month idle`
          : '';
      report(namespaceAnchor(ctx), {
        rule: 'cross.tainted-pool-unused',
        path: ['nodePools', spec.nodePools.indexOf(pool)],
        message: `node pool "${pool.name}" is tainted (${hard.map((t) => `${t.key}${t.value === undefined ? '' : `=${t.value}`}:${t.effect}`).join(', ')}) but no pod template in the manifests tolerates it and selects it${cost}`,
        fix: `schedule the workloads meant for "${pool.name}" there (schedulingFor(pool)), or remove the pool from the stack file`,
      });
    }

    // Quota: autoscaler maxima × per-pod requests per namespace.
    const quotas = ctx.manifests.filter((m) => m.object.kind === 'ResourceQuota');
    const byNs = new Map<string, Demand[]>();
    for (const d of demands) {
      const ns = d.template.namespace ?? 'default';
      byNs.set(ns, [...(byNs.get(ns) ?? []), d]);
    }
    for (const quota of quotas) {
      const ns = metadataOf(quota.object).namespace ?? 'default';
      const list = (byNs.get(ns) ?? []).filter((d) => d.replicas > 0);
      if (list.length === 0) continue;
      const quotaSpec = asObject(quota.object.spec);
      // A scoped quota (priority class, terminating, best-effort) counts only some pods: not judged here.
      if (asArray(quotaSpec.scopes).length > 0 || quotaSpec.scopeSelector !== undefined) continue;
      const hard = asObject(quotaSpec.hard);
      const checks: { key: string; need: number; fmt: (n: number) => string; per: (d: Demand) => number }[] = [
        { key: 'requests.cpu', need: 0, fmt: formatMillis, per: (d) => d.requests.cpu },
        { key: 'requests.memory', need: 0, fmt: formatBytesHuman, per: (d) => d.requests.memory },
        { key: 'limits.cpu', need: 0, fmt: formatMillis, per: (d) => d.limits.cpu },
        { key: 'limits.memory', need: 0, fmt: formatBytesHuman, per: (d) => d.limits.memory },
        { key: 'pods', need: 0, fmt: String, per: () => 1 },
      ];
      for (const c of checks) {
        const raw = hard[c.key] ?? (c.key.startsWith('requests.') ? hard[c.key.slice('requests.'.length)] : undefined);
        if (raw === undefined) continue;
        const limit = c.key === 'pods' ? Number(raw) : (parseQuantity(raw) ?? 0) * (c.key.endsWith('cpu') ? 1000 : 1);
        const need = list.reduce((n, d) => n + d.replicas * c.per(d), 0);
        if (need > limit) {
          const terms = list
            .map(
              (d) => `${d.template.owner.kind} ${d.template.owner.name} ${d.replicas} (${d.how}) × ${c.fmt(c.per(d))}`,
            )
            .join(' + ');
          report(quota, {
            rule: 'cross.quota-capacity',
            path: ['spec', 'hard', c.key],
            message: `${c.key} ${String(raw)} in ${ns} admits less than the workloads can ask for at their maxima: ${terms} = ${c.fmt(need)}`,
            fix: `raise the quota's ${c.key} to at least ${c.fmt(need)} in the stack file, or lower the maxima`,
          });
        }
      }
    }

    // Pools: one pod must fit a node; the pods only one pool can take must fit its maximum.
    const daemonOverhead = new Map<string, PodResources>();
    for (const d of demands) {
      if (d.template.owner.kind !== 'DaemonSet') continue;
      for (const p of d.pools) {
        const o = daemonOverhead.get(p.name) ?? { cpu: 0, memory: 0 };
        daemonOverhead.set(p.name, { cpu: o.cpu + d.requests.cpu, memory: o.memory + d.requests.memory });
      }
    }
    const free = (p: NodePool) => {
      const a = allocatable(p.instance);
      const o = daemonOverhead.get(p.name) ?? { cpu: 0, memory: 0 };
      return { cpu: a.cpuMillis - o.cpu, memory: a.memoryBytes - o.memory };
    };
    for (const d of demands) {
      if (d.pools.length === 0 || d.template.owner.kind === 'DaemonSet') continue;
      const fitsOne = d.pools.some((p) => d.requests.cpu <= free(p).cpu && d.requests.memory <= free(p).memory);
      if (!fitsOne) {
        report(d.template.manifest, {
          rule: 'cross.pool-capacity',
          path: [...d.template.specPath, 'containers'],
          message: `one pod requests ${formatMillis(d.requests.cpu)} CPU / ${formatBytesHuman(d.requests.memory)}, more than a node of ${d.pools.map((p) => `${p.name} (${p.instanceType}: ${formatMillis(free(p).cpu)} / ${formatBytesHuman(Math.max(free(p).memory, 0))} allocatable after system reserve and DaemonSets)`).join(', ')} offers`,
          fix: 'lower the requests or use a larger instance type for the pool',
        });
      }
    }
    for (const pool of pools) {
      const only = demands.filter(
        (d) => d.pools.length === 1 && d.pools[0] === pool && d.template.owner.kind !== 'DaemonSet' && d.replicas > 0,
      );
      if (only.length === 0) continue;
      const f = free(pool);
      const capacity = { cpu: f.cpu * pool.max, memory: f.memory * pool.max };
      const need = only.reduce(
        (n, d) => ({ cpu: n.cpu + d.replicas * d.requests.cpu, memory: n.memory + d.replicas * d.requests.memory }),
        { cpu: 0, memory: 0 },
      );
      for (const [key, fmt] of [
        ['cpu', formatMillis],
        ['memory', formatBytesHuman],
      ] as const) {
        if (need[key] <= capacity[key]) continue;
        const first = only[0]!;
        report(first.template.manifest, {
          rule: 'cross.pool-capacity',
          path: [...first.template.specPath, 'containers'],
          message: `pool "${pool.name}" at its max of ${pool.max} × ${pool.instanceType} offers ${fmt(capacity[key])} ${key} (after system reserve and DaemonSets), but the workloads only it can host ask for ${only.map((d) => `${describe(d.template.owner)} ${d.replicas} (${d.how}) × ${fmt(d.requests[key])}`).join(' + ')} = ${fmt(need[key])}`,
          fix: `raise nodePools[${spec.nodePools.indexOf(pool)}].max or the instance type, or lower the workloads' maxima`,
        });
      }
    }

    // Namespaces: the manifests' PSS level is the model's, and admits what runs there.
    // Namespace objects by name (the first of each name), looked up once per namespace of the model:
    // a search of the manifests per namespace was quadratic in the number of namespaces.
    const namespaceObjects = new Map<string, Manifest>();
    for (const x of ctx.manifests) {
      if (x.object.kind !== 'Namespace') continue;
      const name = metadataOf(x.object).name;
      if (!namespaceObjects.has(name)) namespaceObjects.set(name, x);
    }
    for (const ns of spec.namespaces) {
      const m = namespaceObjects.get(ns.name);
      if (!m) {
        report(namespaceAnchor(ctx), {
          rule: 'cross.namespace-level',
          path: ['namespaces', ns.key],
          message: `the environment model declares namespace ${ns.name} (${ns.podSecurity}), but the manifests do not create it`,
          fix: 'render every namespace of spec.namespaces (charts-src/charts/namespaces.ts)',
        });
        continue;
      }
      const enforce = metadataOf(m.object).labels['pod-security.kubernetes.io/enforce'];
      if (enforce !== ns.podSecurity) {
        report(m, {
          rule: 'cross.namespace-level',
          path: ['metadata', 'labels', 'pod-security.kubernetes.io/enforce'],
          message: `enforces ${enforce ?? 'nothing'}, but the environment model sets ${ns.name} to ${ns.podSecurity}`,
          fix: `label the namespace pod-security.kubernetes.io/enforce: ${ns.podSecurity}`,
        });
        for (const t of templates.filter((x) => x.namespace === ns.name)) {
          checkPodTemplate(t, ns.podSecurity, ctx.kubernetesVersion, (v) =>
            report(t.manifest, {
              ...v,
              rule: 'cross.namespace-level',
              message: `${v.message} (${v.rule}: the model's level for ${ns.name} is ${ns.podSecurity})`,
            }),
          );
        }
      }
    }
  },
};

/**
 * Findings about the environment rather than one object (an unused pool, a
 * namespace the manifests lack) are reported against the stack file.
 */
function namespaceAnchor(ctx: GateContext): Manifest {
  const stack = ctx.spec?.stack ?? 'environment';
  return {
    object: { apiVersion: 'agent-platform.io/v1', kind: 'Environment', metadata: { name: stack } },
    file: `Pulumi.${stack}.yaml`,
    document: 0,
  };
}
