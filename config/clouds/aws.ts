/**
 * AWS: EKS with managed node groups (infra/aws/). Zone and VPC rules, instance types
 * with dated on-demand prices, and the rules the model applies on this cloud.
 */
import type { CloudProblem, CloudProfile, InstanceType, ServicePrice } from './types';

/** Letters a–f: the most zones any AWS region has (us-east-1). */
const ZONE_LETTERS = 'abcdef';

/** The VPC prefixes the subnet plan supports (infra/aws/subnet-plan.ts): each zone gets prefix + 3. */
export const AWS_VPC_PREFIXES = { min: 16, max: 20 } as const;

/** EKS needs subnets in at least two zones. */
export const AWS_MIN_ZONES = 2;

/**
 * Slot of an availability zone in the subnet plan: its letter (`eu-west-1b` → 1), or -1
 * when the zone is not `<region><a-f>`. The one zone rule, read by the resolver and by
 * infra/aws/subnet-plan.ts.
 */
export function awsZoneSlot(zone: string, region: string): number {
  const suffix = zone.startsWith(region) ? zone.slice(region.length) : '';
  return suffix.length === 1 ? ZONE_LETTERS.indexOf(suffix) : -1;
}

const ec2 = (
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

const INSTANCE_TYPES: readonly InstanceType[] = [
  // General purpose, memory optimised, compute optimised, GPU.
  ec2('t3.medium', 2, 4, 0.0416),
  ec2('t3.large', 2, 8, 0.0832),
  ec2('t3.xlarge', 4, 16, 0.1664),
  ec2('t3a.large', 2, 8, 0.0752),
  ec2('t3a.xlarge', 4, 16, 0.1504),
  ec2('m5.large', 2, 8, 0.096),
  ec2('m5.xlarge', 4, 16, 0.192),
  ec2('m5.2xlarge', 8, 32, 0.384),
  ec2('m6i.large', 2, 8, 0.096),
  ec2('m6i.xlarge', 4, 16, 0.192),
  ec2('m6i.2xlarge', 8, 32, 0.384),
  ec2('m7i.xlarge', 4, 16, 0.2016),
  ec2('m7i.2xlarge', 8, 32, 0.4032),
  ec2('c6i.2xlarge', 8, 16, 0.34),
  ec2('c7i.2xlarge', 8, 16, 0.357),
  ec2('r5.large', 2, 16, 0.126),
  ec2('r5.xlarge', 4, 32, 0.252),
  ec2('r6i.xlarge', 4, 32, 0.252),
  ec2('g5.xlarge', 4, 16, 1.006, { gpus: 1 }),
  ec2('g5.2xlarge', 8, 32, 1.212, { gpus: 1 }),
  ec2('g6.xlarge', 4, 16, 0.805, { gpus: 1 }),
];

const monthly = (key: string, description: string, price: number): ServicePrice => ({
  cloud: 'aws',
  key,
  description,
  price,
  unit: 'month',
  currency: 'USD',
});

const SERVICE_PRICES: readonly ServicePrice[] = [
  monthly('eks-cluster', 'EKS cluster (standard support)', 73),
  monthly('nat-gateway', 'NAT gateway (hours only)', 32.85),
  monthly('nlb', 'Network load balancer (hours only)', 16.43),
  { cloud: 'aws', key: 'ebs-gp3', description: 'EBS gp3 volume', price: 0.08, unit: 'GiB-month', currency: 'USD' },
];

function cloudProblems(cloud: { region: string; locations: readonly string[]; networkCidr: string }): CloudProblem[] {
  const { region, locations, networkCidr } = cloud;
  // Region + one letter: subnets are allocated by that letter (infra/aws/subnet-plan.ts).
  const problems: CloudProblem[] = locations.flatMap((location, i) =>
    awsZoneSlot(location, region) < 0
      ? [
          {
            path: ['locations', i],
            message: `must be an availability zone of cloud.region (${region}), e.g. ${region}a`,
            input: location,
          },
        ]
      : [],
  );
  if (locations.length < AWS_MIN_ZONES) {
    problems.push({
      path: ['locations'],
      message: `must list at least ${AWS_MIN_ZONES} availability zones (EKS requires subnets in two)`,
      input: locations,
    });
  }
  // The VPC is split into a private subnet per zone, an eighth of the range each.
  const prefix = Number(networkCidr.split('/')[1]);
  if (prefix < AWS_VPC_PREFIXES.min || prefix > AWS_VPC_PREFIXES.max) {
    problems.push({
      path: ['networkCidr'],
      message: `must be a /${AWS_VPC_PREFIXES.min} to /${AWS_VPC_PREFIXES.max} on aws: each zone gets a /${prefix + 3} for nodes and pods (the VPC CNI gives every pod a VPC address)`,
      input: networkCidr,
    });
  }
  return problems;
}

/**
 * Where host traffic from another node comes from on EKS: the node's own address. The VPC
 * CNI gives nodes and pods addresses of the VPC's subnets and routes between them without
 * translation (it only source-NATs traffic leaving the VPC), so a host-network pod reaches
 * a pod from its node's primary address, inside `cloud.networkCidr`.
 */
function hostTrafficSources(cloud: { readonly networkCidr: string }): readonly string[] {
  return [cloud.networkCidr];
}

export const AWS: CloudProfile = {
  id: 'aws',
  displayName: 'AWS',
  distribution: 'eks',
  cloudProblems,
  controlPlane: {
    kind: 'managed',
    refusal: 'cannot be "control-plane" on aws: EKS manages the control plane; use role "system" for add-ons',
  },
  warnGvisorOnArm64: false,
  inPlaceNodeUpgrades: false,
  ownAddons: {},
  metricsServerSource: 'chart',
  volumeBackups: 'csi-snapshots',
  backupCredentials: 'workload-identity',
  hostTrafficSources,
  limits: { minZones: AWS_MIN_ZONES, minVpcPrefix: AWS_VPC_PREFIXES.min, maxVpcPrefix: AWS_VPC_PREFIXES.max },
  catalogue: {
    instanceTypes: INSTANCE_TYPES,
    currency: 'USD',
    pricesAsOf: '2025-11-01',
    priceSource: 'AWS EC2 on-demand Linux prices, us-east-1, hourly x 730',
    servicePrices: SERVICE_PRICES,
    servicePricesAsOf: '2025-11-01',
    servicePriceSource: 'AWS list prices, us-east-1, hourly x 730 (LCU, data processing and transfer not priced)',
    rootVolume: { priceKey: 'ebs-gp3', name: 'gp3' },
  },
};
