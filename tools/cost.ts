/**
 * Estimated monthly cost of an environment, from the dated price tables in
 * config/catalogue/: per node pool at its minimum and maximum autoscaled size,
 * plus the priced non-server resources the program declares (load balancers,
 * volumes, EKS, NAT gateways). An estimate for review, never a bill: every figure
 * carries the date and source of its price, and what could not be priced is named.
 */
import { parse } from 'yaml';
import { readYaml } from '../config/manifest';
import {
  cloudProfile,
  parseEnvironment,
  PLATFORM_KEY,
  PRICE_SOURCES,
  PRICES_AS_OF,
  type EnvironmentSpec,
  type NodePool,
} from '../config';
import { SERVICE_PRICE_SOURCES, SERVICE_PRICES_AS_OF, servicePrice } from '../config/catalogue/service-prices';
import type { PlannedResource } from './plan/record';
import { appendAll } from '../config/append-all';

export interface PoolCost {
  readonly pool: string;
  readonly role: string;
  readonly instanceType: string;
  readonly capacity: 'on-demand' | 'spot';
  readonly min: number;
  readonly max: number;
  /** Monthly list price of one node (server + root volume where billed separately). */
  readonly unitPrice?: number;
  readonly monthlyMin?: number;
  readonly monthlyMax?: number;
  readonly notes: readonly string[];
}

export interface ExtraCost {
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitPrice: number;
  readonly monthly: number;
}

export interface CostEstimate {
  readonly stack: string;
  readonly cloud: EnvironmentSpec['cloud']['provider'];
  readonly currency: 'EUR' | 'USD';
  readonly pricesAsOf: string;
  readonly priceSource: string;
  readonly servicePricesAsOf: string;
  readonly servicePriceSource: string;
  readonly pools: readonly PoolCost[];
  readonly extras: readonly ExtraCost[];
  /** Items declared but not priced (named, so a reviewer knows the total is low). */
  readonly unpriced: readonly string[];
  readonly poolsMin: number;
  readonly poolsMax: number;
  readonly totalMin: number;
  readonly totalMax: number;
  readonly notes: readonly string[];
}

const round = (n: number) => Math.round(n * 100) / 100;

function poolCost(spec: EnvironmentSpec, pool: NodePool): PoolCost {
  const notes: string[] = [];
  const cloud = spec.cloud.provider;
  let unit = pool.instance.monthlyPrice;
  if (unit === undefined) {
    notes.push(
      pool.instance.deprecatedBy
        ? `no price: ${pool.instanceType} is deprecated (use ${pool.instance.deprecatedBy})`
        : `no price for ${pool.instanceType} in the catalogue`,
    );
  }
  // Where the cloud bills a node's root volume apart from the server (EBS on EKS), it is part of the node's price.
  const rootVolume = cloudProfile(cloud).catalogue.rootVolume;
  const volumePrice = rootVolume && servicePrice(cloud, rootVolume.priceKey);
  if (rootVolume && volumePrice && unit !== undefined) {
    unit += pool.volumeSizeGiB * volumePrice.price;
    notes.push(`includes a ${pool.volumeSizeGiB} GiB ${rootVolume.name} root volume per node`);
  }
  if (pool.capacity === 'spot') {
    notes.push('spot: priced at the on-demand rate, an upper bound (spot prices float, typically well below)');
  }
  if (!pool.autoscaled) notes.push('fixed size');
  return {
    pool: pool.name,
    role: pool.role,
    instanceType: pool.instanceType,
    capacity: pool.capacity,
    min: pool.min,
    max: pool.max,
    notes,
    ...(unit === undefined
      ? {}
      : { unitPrice: round(unit), monthlyMin: round(unit * pool.min), monthlyMax: round(unit * pool.max) }),
  };
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

interface ServiceLoadBalancer {
  /** `release istio-ingressgateway`, `dist object Service lobstack-ingress/gateway`. */
  readonly source: string;
  readonly annotations: Readonly<Record<string, string>>;
}

function stringMap(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** `service: { type: LoadBalancer }` anywhere in Helm values (charts expose their Service that way). */
function valuesLoadBalancers(values: unknown, found: Record<string, string>[] = []): Record<string, string>[] {
  if (Array.isArray(values)) values.forEach((v) => valuesLoadBalancers(v, found));
  else if (values !== null && typeof values === 'object') {
    for (const [key, value] of Object.entries(values as Record<string, unknown>)) {
      const v = value as Record<string, unknown> | null;
      if (/service$/i.test(key) && v && typeof v === 'object' && v.type === 'LoadBalancer') {
        found.push(stringMap(v.annotations));
      } else {
        valuesLoadBalancers(value, found);
      }
    }
  }
  return found;
}

/**
 * Services of type LoadBalancer the program ships (in Helm values or applied
 * manifests): the cloud controller creates a billed load balancer for each.
 */
export function serviceLoadBalancers(resources: readonly PlannedResource[]): ServiceLoadBalancer[] {
  const out: ServiceLoadBalancer[] = [];
  for (const r of resources) {
    if (r.type.startsWith('kubernetes:helm.sh/')) {
      const name = str(r.inputs.name) ?? r.name;
      for (const annotations of valuesLoadBalancers(r.inputs.values))
        out.push({ source: `release ${name}`, annotations });
    }
    const objects: unknown[] = [];
    if (r.type === 'kubernetes:core/v1:Service') objects.push({ kind: 'Service', ...r.inputs });
    if (/^kubernetes:yaml(\/v2)?:Config(Group|File)$/.test(r.type)) {
      const yaml = r.inputs.yaml;
      for (const text of typeof yaml === 'string' ? [yaml] : Array.isArray(yaml) ? yaml : []) {
        if (typeof text === 'string') for (const doc of readYaml(text).documents) objects.push(doc.value);
      }
      if (Array.isArray(r.inputs.objs)) appendAll(objects, r.inputs.objs as unknown[]);
    }
    for (const o of objects) {
      const object = (o ?? {}) as {
        kind?: unknown;
        metadata?: { name?: unknown; namespace?: unknown; annotations?: unknown };
        spec?: { type?: unknown };
      };
      if (object.kind === 'Service' && object.spec?.type === 'LoadBalancer') {
        const ns = str(object.metadata?.namespace);
        out.push({
          source: `Service ${ns ? `${ns}/` : ''}${str(object.metadata?.name) ?? '?'}`,
          annotations: stringMap(object.metadata?.annotations),
        });
      }
    }
  }
  return out;
}

/** Non-server resources with a price, counted from what the program declares. */
function extrasOf(
  spec: EnvironmentSpec,
  resources: readonly PlannedResource[],
): { extras: ExtraCost[]; unpriced: string[]; serviceLbs: string[] } {
  const cloud = spec.cloud.provider;
  const counts = new Map<string, { quantity: number; unit: string; unitPrice: number; item: string }>();
  const unpriced: string[] = [];
  const count = (key: string, item: string, quantity: number, unit: string, what: string) => {
    const price = servicePrice(cloud, key);
    if (!price) {
      unpriced.push(what);
      return;
    }
    const entry = counts.get(key) ?? { quantity: 0, unit, unitPrice: price.price, item };
    entry.quantity += quantity;
    counts.set(key, entry);
  };
  const serviceLbs: string[] = [];
  for (const lb of serviceLoadBalancers(resources)) {
    serviceLbs.push(lb.source);
    if (cloud === 'hcloud') {
      const type = lb.annotations['load-balancer.hetzner.cloud/type'] ?? 'lb11';
      count(`load-balancer:${type}`, `Load balancer ${type}`, 1, 'each', `load balancer of ${lb.source} (${type})`);
    } else if (/nlb|external/.test(lb.annotations['service.beta.kubernetes.io/aws-load-balancer-type'] ?? '')) {
      count('nlb', 'Network load balancer', 1, 'each', `load balancer of ${lb.source}`);
    } else {
      unpriced.push(`load balancer of ${lb.source} (classic ELB)`);
    }
  }
  let publicIpv4 = 0;
  for (const r of resources) {
    switch (r.type) {
      case 'hcloud:index/server:Server':
        if (
          Array.isArray(r.inputs.publicNets) &&
          r.inputs.publicNets.some((n) => (n as { ipv4Enabled?: unknown })?.ipv4Enabled === true)
        ) {
          publicIpv4++;
        }
        break;
      case 'hcloud:index/loadBalancer:LoadBalancer': {
        const type = str(r.inputs.loadBalancerType) ?? 'lb11';
        count(`load-balancer:${type}`, `Load balancer ${type}`, 1, 'each', `load balancer ${r.name} (${type})`);
        break;
      }
      case 'hcloud:index/volume:Volume':
        count('volume', 'Block volume', Number(r.inputs.size ?? 0), 'GiB', `volume ${r.name}`);
        break;
      case 'aws:eks/cluster:Cluster':
        count('eks-cluster', 'EKS cluster', 1, 'each', `EKS cluster ${r.name}`);
        break;
      case 'aws:ec2/natGateway:NatGateway':
        count('nat-gateway', 'NAT gateway', 1, 'each', `NAT gateway ${r.name}`);
        break;
      case 'aws:lb/loadBalancer:LoadBalancer':
      case 'aws:alb/loadBalancer:LoadBalancer':
        if (str(r.inputs.loadBalancerType) === 'network') count('nlb', 'Network load balancer', 1, 'each', r.name);
        else unpriced.push(`load balancer ${r.name} (${str(r.inputs.loadBalancerType) ?? 'application'})`);
        break;
      case 'aws:ebs/volume:Volume':
        count('ebs-gp3', 'EBS gp3 volume', Number(r.inputs.size ?? 0), 'GiB', `volume ${r.name}`);
        break;
      default:
        break;
    }
  }
  if (publicIpv4 > 0) {
    unpriced.push(`primary IPv4 addresses of ${publicIpv4} servers (billed per server, and per autoscaled node)`);
  }
  const extras = [...counts.values()].map((e) => ({ ...e, monthly: round(e.quantity * e.unitPrice) }));
  return { extras, unpriced, serviceLbs };
}

/**
 * The estimate for one environment. Without `resources` (e.g. at a base ref,
 * where the program is not run) only the node pools are priced.
 */
export function estimateCost(spec: EnvironmentSpec, resources?: readonly PlannedResource[]): CostEstimate {
  const cloud = spec.cloud.provider;
  const pools = spec.nodePools.map((p) => poolCost(spec, p));
  const { extras, unpriced, serviceLbs } = resources
    ? extrasOf(spec, resources)
    : { extras: [], unpriced: [], serviceLbs: [] as string[] };
  for (const p of pools) if (p.unitPrice === undefined) unpriced.unshift(`pool ${p.pool} (${p.instanceType})`);
  const poolsMin = round(pools.reduce((n, p) => n + (p.monthlyMin ?? 0), 0));
  const poolsMax = round(pools.reduce((n, p) => n + (p.monthlyMax ?? 0), 0));
  const extrasTotal = extras.reduce((n, e) => n + e.monthly, 0);
  const notes = [
    'Nodes beyond the minimum are added and removed by the cluster autoscaler; the maximum is the ceiling it may reach.',
    serviceLbs.length > 0
      ? `Includes the load balancers the cloud controller creates for Services of type LoadBalancer: ${serviceLbs.join(', ')}.`
      : 'No Service of type LoadBalancer found in the add-on values or manifests.',
    'Traffic, persistent volumes that workloads claim at run time, and usage-based charges are not counted.',
  ];
  return {
    stack: spec.stack,
    cloud,
    currency: cloudProfile(cloud).catalogue.currency,
    pricesAsOf: PRICES_AS_OF[cloud],
    priceSource: PRICE_SOURCES[cloud],
    servicePricesAsOf: SERVICE_PRICES_AS_OF[cloud],
    servicePriceSource: SERVICE_PRICE_SOURCES[cloud],
    pools,
    extras,
    unpriced,
    poolsMin,
    poolsMax,
    totalMin: round(poolsMin + extrasTotal),
    totalMax: round(poolsMax + extrasTotal),
    notes,
  };
}

/** Parses a stack file's text (as read at a git ref) into its environment. */
export function specFromStackText(text: string, stack: string, source: string): EnvironmentSpec {
  const root = parse(text) as { config?: Record<string, unknown> } | null;
  const raw = root?.config?.[PLATFORM_KEY];
  if (raw === undefined) throw new Error(`${source}: has no ${PLATFORM_KEY}`);
  return parseEnvironment(raw, { stack, source }).spec;
}

export interface PoolDelta {
  readonly pool: string;
  readonly change: 'added' | 'removed' | 'changed' | 'unchanged';
  readonly before?: PoolCost;
  readonly after?: PoolCost;
  readonly deltaMin: number;
  readonly deltaMax: number;
}

export interface CostDiff {
  readonly pools: readonly PoolDelta[];
  readonly beforeMin: number;
  readonly beforeMax: number;
  readonly afterMin: number;
  readonly afterMax: number;
  readonly deltaMin: number;
  readonly deltaMax: number;
  /** The currencies differ (cloud changed): deltas are not meaningful. */
  readonly currencyChanged: boolean;
}

/** Node-pool cost at the base against now (extras are not known at the base: the program is not run there). */
export function diffCost(before: CostEstimate, after: CostEstimate): CostDiff {
  const names = [...new Set([...after.pools.map((p) => p.pool), ...before.pools.map((p) => p.pool)])];
  const pools = names.map((name): PoolDelta => {
    const b = before.pools.find((p) => p.pool === name);
    const a = after.pools.find((p) => p.pool === name);
    const deltaMin = round((a?.monthlyMin ?? 0) - (b?.monthlyMin ?? 0));
    const deltaMax = round((a?.monthlyMax ?? 0) - (b?.monthlyMax ?? 0));
    const same =
      a &&
      b &&
      a.instanceType === b.instanceType &&
      a.min === b.min &&
      a.max === b.max &&
      a.unitPrice === b.unitPrice &&
      a.capacity === b.capacity;
    return {
      pool: name,
      change: !b ? 'added' : !a ? 'removed' : same ? 'unchanged' : 'changed',
      ...(b ? { before: b } : {}),
      ...(a ? { after: a } : {}),
      deltaMin,
      deltaMax,
    };
  });
  return {
    pools,
    beforeMin: before.poolsMin,
    beforeMax: before.poolsMax,
    afterMin: after.poolsMin,
    afterMax: after.poolsMax,
    deltaMin: round(after.poolsMin - before.poolsMin),
    deltaMax: round(after.poolsMax - before.poolsMax),
    currencyChanged: before.currency !== after.currency,
  };
}

export function money(amount: number | undefined, currency: string): string {
  if (amount === undefined) return 'n/a';
  const symbol = currency === 'EUR' ? '€' : '$';
  const sign = amount < 0 ? '-' : '';
  return `${sign}${symbol}${Math.abs(amount).toFixed(2)}`;
}

const signed = (amount: number, currency: string) =>
  amount > 0 ? `+${money(amount, currency)}` : money(amount, currency);

export function renderCostMarkdown(estimate: CostEstimate, diff?: CostDiff | { unavailable: string }): string[] {
  const c = estimate.currency;
  const lines = [
    '### Estimated monthly cost',
    '',
    `Instance prices as of **${estimate.pricesAsOf}** (${estimate.priceSource}); other resources as of **${estimate.servicePricesAsOf}** (${estimate.servicePriceSource}). An estimate from dated list prices, not a bill.`,
    '',
    '| pool | type | capacity | nodes min–max | per node | at min | at max | notes |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const p of estimate.pools) {
    lines.push(
      `| ${p.pool} | ${p.instanceType} | ${p.capacity} | ${p.min}–${p.max} | ${money(p.unitPrice, c)} | ${money(p.monthlyMin, c)} | ${money(p.monthlyMax, c)} | ${p.notes.join('; ')} |`,
    );
  }
  lines.push(`| **node pools** | | | | | **${money(estimate.poolsMin, c)}** | **${money(estimate.poolsMax, c)}** | |`);
  for (const e of estimate.extras) {
    lines.push(
      `| ${e.item} | | | ${e.quantity} ${e.unit} | ${money(e.unitPrice, c)} | ${money(e.monthly, c)} | ${money(e.monthly, c)} | |`,
    );
  }
  lines.push(`| **total** | | | | | **${money(estimate.totalMin, c)}** | **${money(estimate.totalMax, c)}** | |`, '');
  if (estimate.unpriced.length > 0)
    lines.push(`Not priced (the total excludes them): ${estimate.unpriced.join(', ')}.`, '');
  for (const note of estimate.notes) lines.push(`- ${note}`);
  lines.push('');
  if (diff && 'unavailable' in diff) {
    lines.push(`Cost against the base: ${diff.unavailable}`, '');
  } else if (diff) {
    const changed = diff.pools.filter((p) => p.change !== 'unchanged');
    if (diff.currencyChanged) {
      lines.push('Cost against the base: the cloud (and currency) changed; no delta computed.', '');
    } else if (changed.length === 0) {
      lines.push(
        `Cost against the base: node pools unchanged (${money(diff.afterMin, c)}–${money(diff.afterMax, c)} a month).`,
        '',
      );
    } else {
      lines.push(
        `**Cost against the base (node pools):** ${money(diff.beforeMin, c)}–${money(diff.beforeMax, c)} → ${money(diff.afterMin, c)}–${money(diff.afterMax, c)} a month (${signed(diff.deltaMin, c)} at min, ${signed(diff.deltaMax, c)} at max).`,
        '',
        '| pool | change | before | after | Δ at min | Δ at max |',
        '| --- | --- | --- | --- | --- | --- |',
      );
      const desc = (p?: PoolCost) => (p ? `${p.instanceType} ×${p.min}–${p.max}` : '–');
      for (const p of changed) {
        lines.push(
          `| ${p.pool} | ${p.change} | ${desc(p.before)} | ${desc(p.after)} | ${signed(p.deltaMin, c)} | ${signed(p.deltaMax, c)} |`,
        );
      }
      lines.push('');
    }
  }
  return lines;
}
