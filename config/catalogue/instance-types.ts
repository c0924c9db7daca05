/**
 * The instance types the environments may use, per cloud: size, GPUs and a dated
 * list price. Prices are a dated table, never truth: providers change them (Hetzner
 * did in 2026). The cost estimate prints `PRICES_AS_OF` next to every figure.
 */

export type Cloud = 'hcloud' | 'aws';
export type Architecture = 'x86_64' | 'arm64';

export interface InstanceType {
  readonly cloud: Cloud;
  readonly name: string;
  readonly vcpu: number;
  readonly memoryGiB: number;
  readonly gpus: number;
  readonly architecture: Architecture;
  /** List price per month, on demand, in `currency`, when known. */
  readonly monthlyPrice?: number;
  readonly currency: 'EUR' | 'USD';
  /** Set on types the provider no longer sells: the current equivalent. */
  readonly deprecatedBy?: string;
}

/** The date the prices below were recorded, per cloud. */
export const PRICES_AS_OF: Record<Cloud, string> = {
  hcloud: '2025-10-15',
  aws: '2025-11-01',
};

export const PRICE_SOURCES: Record<Cloud, string> = {
  hcloud: 'Hetzner Cloud list prices, EU locations (fsn1/nbg1/hel1), net of VAT, monthly cap',
  aws: 'AWS EC2 on-demand Linux prices, us-east-1, hourly x 730',
};

const hcloud = (
  name: string,
  vcpu: number,
  memoryGiB: number,
  monthlyPrice: number | undefined,
  extra: Partial<InstanceType> = {},
): InstanceType => ({
  cloud: 'hcloud',
  name,
  vcpu,
  memoryGiB,
  gpus: 0,
  architecture: 'x86_64',
  currency: 'EUR',
  ...(monthlyPrice === undefined ? {} : { monthlyPrice }),
  ...extra,
});

const aws = (
  name: string,
  vcpu: number,
  memoryGiB: number,
  hourlyUsd: number,
  extra: Partial<InstanceType> = {},
): InstanceType => ({
  cloud: 'aws',
  name,
  vcpu,
  memoryGiB,
  gpus: 0,
  architecture: 'x86_64',
  currency: 'USD',
  monthlyPrice: Math.round(hourlyUsd * 730 * 100) / 100,
  ...extra,
});

const TYPES: readonly InstanceType[] = [
  // Hetzner shared vCPU, AMD (second generation, since 2025-10).
  hcloud('cpx22', 2, 4, 7.99),
  hcloud('cpx32', 4, 8, 13.99),
  hcloud('cpx42', 8, 16, 25.49),
  hcloud('cpx52', 12, 24, 36.49),
  hcloud('cpx62', 16, 32, 49.49),
  // Hetzner shared vCPU, Intel/AMD cost-optimised.
  hcloud('cx23', 2, 4, 3.49),
  hcloud('cx33', 4, 8, 5.49),
  hcloud('cx43', 8, 16, 9.49),
  hcloud('cx53', 16, 32, 17.49),
  // Hetzner dedicated vCPU.
  hcloud('ccx13', 2, 8, 12.49),
  hcloud('ccx23', 4, 16, 24.49),
  hcloud('ccx33', 8, 32, 48.49),
  hcloud('ccx43', 16, 64, 96.49),
  hcloud('ccx53', 32, 128, 192.49),
  // Hetzner Ampere (arm64).
  hcloud('cax11', 2, 4, 3.79, { architecture: 'arm64' }),
  hcloud('cax21', 4, 8, 6.49, { architecture: 'arm64' }),
  hcloud('cax31', 8, 16, 12.49, { architecture: 'arm64' }),
  hcloud('cax41', 16, 32, 24.49, { architecture: 'arm64' }),
  // Deprecated Hetzner types (2025-10): still accepted with a warning.
  hcloud('cpx11', 2, 2, undefined, { deprecatedBy: 'cpx22' }),
  hcloud('cpx21', 3, 4, undefined, { deprecatedBy: 'cpx22' }),
  hcloud('cpx31', 4, 8, undefined, { deprecatedBy: 'cpx32' }),
  hcloud('cpx41', 8, 16, undefined, { deprecatedBy: 'cpx42' }),
  hcloud('cpx51', 16, 32, undefined, { deprecatedBy: 'cpx62' }),
  hcloud('cx22', 2, 4, undefined, { deprecatedBy: 'cx23' }),
  hcloud('cx32', 4, 8, undefined, { deprecatedBy: 'cx33' }),
  hcloud('cx42', 8, 16, undefined, { deprecatedBy: 'cx43' }),
  hcloud('cx52', 16, 32, undefined, { deprecatedBy: 'cx53' }),
  // AWS general purpose, memory optimised, compute optimised, GPU.
  aws('t3.medium', 2, 4, 0.0416),
  aws('t3.large', 2, 8, 0.0832),
  aws('t3.xlarge', 4, 16, 0.1664),
  aws('t3a.large', 2, 8, 0.0752),
  aws('t3a.xlarge', 4, 16, 0.1504),
  aws('m5.large', 2, 8, 0.096),
  aws('m5.xlarge', 4, 16, 0.192),
  aws('m5.2xlarge', 8, 32, 0.384),
  aws('m6i.large', 2, 8, 0.096),
  aws('m6i.xlarge', 4, 16, 0.192),
  aws('m6i.2xlarge', 8, 32, 0.384),
  aws('m7i.xlarge', 4, 16, 0.2016),
  aws('m7i.2xlarge', 8, 32, 0.4032),
  aws('c6i.2xlarge', 8, 16, 0.34),
  aws('c7i.2xlarge', 8, 16, 0.357),
  aws('r5.large', 2, 16, 0.126),
  aws('r5.xlarge', 4, 32, 0.252),
  aws('r6i.xlarge', 4, 32, 0.252),
  aws('g5.xlarge', 4, 16, 1.006, { gpus: 1 }),
  aws('g5.2xlarge', 8, 32, 1.212, { gpus: 1 }),
  aws('g6.xlarge', 4, 16, 0.805, { gpus: 1 }),
];

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

/** Locations per cloud that the schema accepts. */
export const HCLOUD_LOCATIONS: Record<string, { networkZone: string; country: string }> = {
  fsn1: { networkZone: 'eu-central', country: 'DE' },
  nbg1: { networkZone: 'eu-central', country: 'DE' },
  hel1: { networkZone: 'eu-central', country: 'FI' },
  ash: { networkZone: 'us-east', country: 'US' },
  hil: { networkZone: 'us-west', country: 'US' },
  sin: { networkZone: 'ap-southeast', country: 'SG' },
};
