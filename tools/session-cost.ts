/**
 * What one agent session costs: per tier, the share of an agent node it takes (its
 * requests plus the gVisor pod overhead, against the node's allocatable, in the
 * dimension that binds first) times the node's price; and the warm pool's cost at
 * its minimum. The scheduler reserves requests, not usage, so this is what a session
 * holds on a node whether it is busy or idle. DaemonSets on the node (node exporter,
 * Falco) are not subtracted: the figure is a lower bound of the share.
 */
import { allocatable, bytes, cpuMillis, formatBytes, formatCpu, type EnvironmentSpec } from '../config';
import { money, type CostEstimate } from './cost';

/** Hours in the month the price tables use (AWS hourly × 730; Hetzner monthly caps). */
export const HOURS_PER_MONTH = 730;

export interface TierCost {
  readonly tier: string;
  /** Requests plus the gVisor overhead, as Kubernetes quantities. */
  readonly cpu: string;
  readonly memory: string;
  /** Share of one node's allocatable in the binding dimension (0–1). */
  readonly nodeShare: number;
  readonly bindingResource: 'cpu' | 'memory';
  /** Sessions of this tier alone that fit on one node. */
  readonly sessionsPerNode: number;
  readonly hourly: number;
  readonly monthly: number;
}

export interface SessionCost {
  readonly pool: string;
  readonly instanceType: string;
  readonly currency: CostEstimate['currency'];
  readonly nodeHourly: number;
  readonly overhead: { readonly cpu: string; readonly memory: string };
  readonly tiers: readonly TierCost[];
  /** The warm pool at its KEDA minimum, when there is one. */
  readonly warmPool?: {
    readonly tier: string;
    readonly minReplicas: number;
    readonly hourly: number;
    readonly monthly: number;
  };
}

const round4 = (n: number) => Math.round(n * 10000) / 10000;
const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
const round2 = (n: number) => Math.round(n * 100) / 100;

/** The session cost of an environment, or undefined when it runs no agents or its agent pool has no price. */
export function sessionCost(spec: EnvironmentSpec, estimate: CostEstimate): SessionCost | undefined {
  const agents = spec.agents;
  const pool = spec.placement.agents;
  if (!agents || !pool) return undefined;
  const unit = estimate.pools.find((p) => p.pool === pool.name)?.unitPrice;
  if (unit === undefined) return undefined;
  const nodeHourly = unit / HOURS_PER_MONTH;
  const node = allocatable(pool.instance);
  const overheadCpu = cpuMillis(agents.runtimeOverhead.cpu);
  const overheadMemory = bytes(agents.runtimeOverhead.memory);
  const tiers = Object.entries(agents.tiers)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([tier, t]): TierCost & { nodeShareExact: number } => {
      const cpu = cpuMillis(t.requests.cpu) + overheadCpu;
      const memory = bytes(t.requests.memory) + overheadMemory;
      const cpuShare = cpu / node.cpuMillis;
      const memoryShare = memory / node.memoryBytes;
      const nodeShare = Math.max(cpuShare, memoryShare);
      const hourly = nodeShare * nodeHourly;
      return {
        tier,
        cpu: formatCpu(cpu),
        memory: formatBytes(memory),
        nodeShare: round4(nodeShare),
        nodeShareExact: nodeShare,
        bindingResource: cpuShare >= memoryShare ? 'cpu' : 'memory',
        sessionsPerNode: Math.floor(Math.min(node.cpuMillis / cpu, node.memoryBytes / memory)),
        hourly: round6(hourly),
        monthly: round2(hourly * HOURS_PER_MONTH),
      };
    });
  const warm = agents.warmPool;
  const warmTier = warm ? tiers.find((t) => t.tier === warm.tier) : undefined;
  // From the unrounded share, so the pool's figure is not a multiple of a rounded one.
  const warmHourly = warm && warmTier ? warmTier.nodeShareExact * nodeHourly * warm.minReplicas : 0;
  return {
    pool: pool.name,
    instanceType: pool.instanceType,
    currency: estimate.currency,
    nodeHourly: round4(nodeHourly),
    overhead: { cpu: agents.runtimeOverhead.cpu, memory: agents.runtimeOverhead.memory },
    tiers: tiers.map(({ nodeShareExact: _, ...t }) => t),
    ...(warm && warmTier
      ? {
          warmPool: {
            tier: warm.tier,
            minReplicas: warm.minReplicas,
            hourly: round6(warmHourly),
            monthly: round2(warmHourly * HOURS_PER_MONTH),
          },
        }
      : {}),
  };
}

/** Four decimals below one unit: a session costs cents an hour. */
function rate(amount: number, currency: string): string {
  return amount >= 1 ? money(amount, currency) : `${currency === 'EUR' ? '€' : '$'}${amount.toFixed(4)}`;
}

export function renderSessionCostMarkdown(cost: SessionCost | undefined): string[] {
  if (!cost) return [];
  const c = cost.currency;
  const lines = [
    '### Cost per agent session',
    '',
    `One session holds its requests plus the gVisor overhead (${cost.overhead.cpu} CPU, ${cost.overhead.memory}) on a ` +
      `\`${cost.pool}\` node (${cost.instanceType}, ${rate(cost.nodeHourly, c)}/h): its cost is that share of the node's ` +
      'allocatable, in the resource that runs out first, times the node price. DaemonSets are not subtracted, so the share is a lower bound.',
    '',
    '| tier | requests + overhead | share of a node | sessions per node | per hour | per month (always on) |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const t of cost.tiers) {
    lines.push(
      `| ${t.tier} | ${t.cpu} CPU, ${t.memory} | ${(t.nodeShare * 100).toFixed(1)}% (${t.bindingResource}) | ${t.sessionsPerNode} | ${rate(t.hourly, c)} | ${money(t.monthly, c)} |`,
    );
  }
  lines.push('');
  if (cost.warmPool) {
    const w = cost.warmPool;
    lines.push(
      w.minReplicas === 0
        ? `Warm pool (tier \`${w.tier}\`): minimum 0 pods, so it costs nothing while idle.`
        : `Warm pool at its minimum: ${w.minReplicas} × \`${w.tier}\` = **${rate(w.hourly, c)}/h, ${money(w.monthly, c)} a month**, paid whether sessions come or not.`,
      '',
    );
  }
  return lines;
}
