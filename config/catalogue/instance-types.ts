/**
 * The instance types the environments may use, across clouds: each cloud's catalogue
 * lives in its profile (config/clouds/<cloud>.ts) with a dated list price. Prices are a
 * dated table, never truth: providers change them (Hetzner did in 2026). The cost
 * estimate prints `PRICES_AS_OF` next to every figure.
 */
import { CLOUD_PROFILES, CLOUDS, type Cloud, type InstanceType } from '../clouds';

export type { Architecture, Cloud, InstanceType } from '../clouds';
export { HCLOUD_LOCATIONS } from '../clouds';

/** The date the prices below were recorded, per cloud. */
export const PRICES_AS_OF = Object.fromEntries(
  CLOUDS.map((c) => [c, CLOUD_PROFILES[c].catalogue.pricesAsOf]),
) as Record<Cloud, string>;

export const PRICE_SOURCES = Object.fromEntries(
  CLOUDS.map((c) => [c, CLOUD_PROFILES[c].catalogue.priceSource]),
) as Record<Cloud, string>;

const TYPES: readonly InstanceType[] = CLOUDS.flatMap((c) => CLOUD_PROFILES[c].catalogue.instanceTypes);

const BY_KEY = new Map(TYPES.map((t) => [`${t.cloud}/${t.name}`, t]));

export function instanceType(cloud: Cloud, name: string): InstanceType | undefined {
  return BY_KEY.get(`${cloud}/${name}`);
}

export function instanceTypeNames(cloud: Cloud, options: { includeDeprecated?: boolean } = {}): string[] {
  return TYPES.filter((t) => t.cloud === cloud && (options.includeDeprecated || !t.deprecatedBy)).map((t) => t.name);
}

export function allInstanceTypes(): readonly InstanceType[] {
  return TYPES;
}

/**
 * Capacity a node of this type offers to pods, after the kubelet/system reserve
 * and eviction threshold. Follows the GKE/EKS reservation curve: 6% of the first
 * core, 1% of the second, 0.5% of cores 3-4, 0.25% above; memory 25% of the first
 * 4 GiB, 20% of the next 4, 10% of the next 8, 6% of the next 112, plus 100 MiB
 * eviction threshold.
 */
export function allocatable(type: InstanceType): { cpuMillis: number; memoryBytes: number } {
  const cores = type.vcpu;
  let reservedCpu = 60;
  if (cores > 1) reservedCpu += 10;
  if (cores > 2) reservedCpu += 5 * Math.min(cores - 2, 2);
  if (cores > 4) reservedCpu += 2.5 * (cores - 4);
  const gib = type.memoryGiB;
  const tiers: [number, number][] = [
    [4, 0.25],
    [4, 0.2],
    [8, 0.1],
    [112, 0.06],
    [Infinity, 0.02],
  ];
  let remaining = gib;
  let reservedGiB = 0;
  for (const [size, rate] of tiers) {
    const slice = Math.min(remaining, size);
    reservedGiB += slice * rate;
    remaining -= slice;
    if (remaining <= 0) break;
  }
  const memoryBytes = Math.floor((gib - reservedGiB) * 2 ** 30) - 100 * 2 ** 20;
  return { cpuMillis: Math.floor(cores * 1000 - reservedCpu), memoryBytes };
}
