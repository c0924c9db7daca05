import { Construct } from 'constructs';
import {
  bytes,
  cpuMillis,
  limitRangeBreaches,
  type AgentTier,
  type LimitRangeBreach,
  type LimitRangeSpec,
  type Quota,
} from '../../config';
import type { AgentContainerResources } from './agent-pod-template';

type Resource = 'cpu' | 'memory';
type Kind = 'requests' | 'limits';

export interface AgentQuotaBudgetProps {
  /** Name of the agents namespace (for the messages). */
  readonly namespace: string;
  /** The ResourceQuota of the agents namespace. */
  readonly quota: Quota;
  /** The LimitRange of the agents namespace: every tier must fit it. */
  readonly limitRange: LimitRangeSpec;
  /** Agent tiers by name: requests, limits and workspace of one agent pod. */
  readonly tiers: Readonly<Record<string, AgentTier>>;
  /** Maximum concurrent session pods per tier (tiers not listed: none). */
  readonly sessions: Readonly<Record<string, number>>;
  /** The warm pool's tier and KEDA maxReplicaCount. @default - no warm pool */
  readonly warmPool?: { readonly tier: string; readonly maxReplicas: number };
  /** RuntimeClass pod overhead, which ResourceQuota charges on top of the containers. */
  readonly overhead: { readonly cpu: string; readonly memory: string };
  /** An init container every agent pod gets (the vault-agent). @default - none */
  readonly initContainer?: { readonly name: string; readonly resources: AgentContainerResources };
  /** Where the quota is configured, for the fix hint. @default 'namespaces.agents.quota' */
  readonly quotaPath?: string;
}

/** One line of demand: how much a group of pods asks for, and how that was computed. */
export interface QuotaLine {
  readonly key: string;
  readonly demand: number;
  readonly quota: number;
  readonly arithmetic: string;
}

const GI = 2 ** 30;
const parse = (resource: Resource, v: string) => (resource === 'cpu' ? cpuMillis(v) : bytes(v));
/** A reviewer-friendly total: cores for CPU (`70.7`), GiB for memory (`118.44Gi`). */
function total(resource: Resource, v: number): string {
  if (resource === 'cpu') return String(Math.round(v) / 1000);
  return v % GI === 0 ? `${v / GI}Gi` : `${(v / GI).toFixed(2)}Gi`;
}

/**
 * Checks, at synth, that the agents namespace's ResourceQuota admits the warm pool at its KEDA
 * max plus every session pod `agents.sessions` allows, counting what the API server counts:
 * per pod max(init containers, sum of containers) plus the RuntimeClass overhead, for
 * requests and limits of CPU and memory, plus pods and services (one ClusterIP per session).
 * It also checks every tier fits the namespace's LimitRange, which would otherwise reject the
 * pods at admission. Creates no objects; a violation fails synth with the arithmetic.
 */
export class AgentQuotaBudget extends Construct {
  readonly lines: readonly QuotaLine[];

  constructor(scope: Construct, id: string, props: AgentQuotaBudgetProps) {
    super(scope, id);
    const problems: string[] = [];
    const tierNames = Object.keys(props.tiers);
    const tierOf = (name: string, where: string): AgentTier | undefined => {
      const tier = props.tiers[name];
      if (!tier) problems.push(`${where} names tier "${name}", which is not defined (tiers: ${tierNames.join(', ')})`);
      return tier;
    };
    const warmPool = props.warmPool;
    const warmTier = warmPool ? tierOf(warmPool.tier, 'warmPool.tier') : undefined;
    const sessions = Object.entries(props.sessions).filter(([, n]) => n > 0);
    for (const [name] of sessions) tierOf(name, `sessions.${name}`);
    if (problems.length > 0) this.fail(problems);

    const init = props.initContainer;
    /** What one container set of a tier asks for (without overhead), and how to show it. */
    const containerPart = (tier: AgentTier, kind: Kind, resource: Resource): { value: number; shown: string } => {
      const own = parse(resource, tier[kind][resource]);
      if (!init) return { value: own, shown: tier[kind][resource] };
      const initValue = parse(resource, init.resources[kind][resource]);
      return initValue > own
        ? { value: initValue, shown: `max(${tier[kind][resource]}, ${init.name} ${init.resources[kind][resource]})` }
        : { value: own, shown: tier[kind][resource] };
    };

    const q = props.quota;
    const quotaOf: Record<`${Kind}.${Resource}`, string> = {
      'requests.cpu': q.requestsCpu,
      'requests.memory': q.requestsMemory,
      'limits.cpu': q.limitsCpu,
      'limits.memory': q.limitsMemory,
    };
    const lines: QuotaLine[] = [];
    for (const kind of ['requests', 'limits'] as const) {
      for (const resource of ['cpu', 'memory'] as const) {
        const overhead = parse(resource, props.overhead[resource]);
        const term = (count: number, tier: AgentTier) => {
          const part = containerPart(tier, kind, resource);
          return {
            value: count * (part.value + overhead),
            shown: `${count} × (${part.shown} + ${props.overhead[resource]} overhead)`,
          };
        };
        const warm = warmPool && warmTier ? term(warmPool.maxReplicas, warmTier) : undefined;
        const sessionTerms = sessions.map(([name, n]) => ({ name, ...term(n, props.tiers[name]!) }));
        const demand = (warm?.value ?? 0) + sessionTerms.reduce((sum, t) => sum + t.value, 0);
        const key = `${kind}.${resource}` as const;
        const quota = parse(resource, quotaOf[key]);
        const parts = [
          ...(warm && warmPool ? [`warm pool ${warmPool.tier} ${warm.shown}`] : []),
          ...(sessionTerms.length > 0
            ? [`sessions ${sessionTerms.map((t) => `${t.name} ${t.shown}`).join(' + ')}`]
            : []),
        ];
        lines.push({
          key,
          demand,
          quota,
          arithmetic: `${key}: ${parts.join(' + ') || 'nothing'} = ${total(resource, demand)} ${demand > quota ? '>' : '<='} quota ${quotaOf[key]}`,
        });
      }
    }
    const sessionPods = sessions.reduce((sum, [, n]) => sum + n, 0);
    const podDemand = (warmPool?.maxReplicas ?? 0) + sessionPods;
    const podParts = [
      ...(warmPool ? [`warm pool ${warmPool.maxReplicas}`] : []),
      ...(sessions.length > 0 ? [`sessions ${sessions.map(([name, n]) => `${name} ${n}`).join(' + ')}`] : []),
    ];
    lines.push({
      key: 'pods',
      demand: podDemand,
      quota: q.pods,
      arithmetic: `pods: ${podParts.join(' + ') || 'nothing'} = ${podDemand} ${podDemand > q.pods ? '>' : '<='} quota ${q.pods}`,
    });
    lines.push({
      key: 'services',
      demand: sessionPods,
      quota: q.services,
      arithmetic: `services: one ClusterIP per session, ${sessionPods} ${sessionPods > q.services ? '>' : '<='} quota ${q.services}`,
    });
    this.lines = lines;
    const over = lines.filter((l) => l.demand > l.quota);
    if (over.length > 0) {
      this.fail([
        `the ResourceQuota of namespace ${props.namespace} cannot admit the warm pool at its KEDA max plus every session agents.sessions allows:`,
        ...over.map((l) => `  ${l.arithmetic}`),
        `Raise ${props.quotaPath ?? 'namespaces.agents.quota'}, or lower agents.warmPool.maxReplicas or agents.sessions.`,
      ]);
    }

    // LimitRange: the API server rejects a container outside min/max or a pod above pod.max.
    const lr = props.limitRange;
    // Every tier has a PodTemplate the orchestrator may stamp out, so every tier must fit
    // (config/rules/limit-range.ts: requests >= min, limits <= max).
    const strict = (resource: string, v: string | number) =>
      typeof v === 'number' ? v : parse(resource as Resource, v);
    const breach = (who: string, scope: string, b: LimitRangeBreach<string | number>) =>
      `${who}: ${scope === 'pod' ? 'pod ' : ''}${b.kind}.${b.resource} (${b.value}) is ${b.bound === 'min' ? 'below' : 'above'} the LimitRange ${scope} ${b.bound} (${b.boundValue})`;
    for (const name of tierNames) {
      const tier = props.tiers[name]!;
      for (const b of limitRangeBreaches<string | number>(tier, lr.container, strict)) {
        problems.push(breach(`tier ${name}`, 'container', b));
      }
      if (!lr.pod) continue;
      for (const resource of ['cpu', 'memory'] as const) {
        const podLimit = containerPart(tier, 'limits', resource);
        const [b] = limitRangeBreaches<string | number>({ limits: { [resource]: podLimit.value } }, lr.pod, strict);
        if (b) problems.push(breach(`tier ${name}`, 'pod', { ...b, value: podLimit.shown }));
      }
    }
    if (init) {
      for (const b of limitRangeBreaches<string | number>(init.resources, lr.container, strict)) {
        problems.push(breach(init.name, 'container', b));
      }
    }
    if (problems.length > 0) {
      this.fail([
        `agent pods would be rejected by the LimitRange of namespace ${props.namespace}:`,
        ...problems.map((p) => `  ${p}`),
        'Adjust agents.tiers or namespaces.agents.limitRange.',
      ]);
    }
  }

  private fail(lines: string[]): never {
    throw new Error(`${this.node.path}: ${lines.join('\n')}`);
  }
}
