/**
 * Hetzner Cloud: k3s on servers the program creates (infra/hcloud/). Locations, limits,
 * server types with dated list prices, and the rules the model applies on this cloud.
 */
import type { CloudProblem, CloudProfile, InstanceType, ServicePrice } from './types';

/** Hetzner locations and their network zone (`cloud.region` on hcloud is the zone). */
export const HCLOUD_LOCATIONS: Record<string, { networkZone: string; country: string }> = {
  fsn1: { networkZone: 'eu-central', country: 'DE' },
  nbg1: { networkZone: 'eu-central', country: 'DE' },
  hel1: { networkZone: 'eu-central', country: 'FI' },
  ash: { networkZone: 'us-east', country: 'US' },
  hil: { networkZone: 'us-west', country: 'US' },
  sin: { networkZone: 'ap-southeast', country: 'SG' },
};

/** k3s's default pod and service ranges, set explicitly on the servers; the private network must not overlap them. */
export const K3S_CLUSTER_CIDR = '10.42.0.0/16';
export const K3S_SERVICE_CIDR = '10.43.0.0/16';

/**
 * Where host traffic from another node comes from on k3s with flannel's VXLAN backend (the
 * k3s default, which infra/hcloud keeps): the sending node routes the pod network through
 * its `flannel.1` interface, whose address is the `.0` of that node's pod subnet inside
 * the cluster CIDR, and uses it as the source (kube-router issue #332, rke2 issue #1227
 * show captures of it). k3s's network policy controller (kube-router,
 * pkg/controllers/netpol/pod.go) accepts host traffic only "from local node" (`addrtype
 * --src-type LOCAL`); from any other node the policy must admit those addresses. Node pod
 * subnets are assigned as nodes join, so the whole cluster CIDR is the narrowest fixed
 * block that holds them.
 */
function hostTrafficSources(): readonly string[] {
  return [K3S_CLUSTER_CIDR];
}

/** Hetzner Cloud limits (docs.hetzner.com/cloud/placement-groups/overview, networks overview). */
export const HCLOUD_LIMITS = {
  /** A spread placement group holds at most 10 servers. */
  serversPerSpreadGroup: 10,
  /** Default project limit on placement groups (raise it through Hetzner support). */
  placementGroupsPerProject: 50,
  /** Servers attached to one private network. */
  serversPerNetwork: 100,
  /** Maximum size of a server's user data (cloud-init), in bytes. */
  userDataBytes: 32 * 1024,
} as const;

/**
 * What is wrong with one entry of `cloud.locations` (undefined when nothing): the one
 * location rule, read by the resolver and by infra/hcloud/spec-check.ts.
 */
export function hcloudLocationProblem(location: string, networkZone: string): string | undefined {
  const known = HCLOUD_LOCATIONS[location];
  if (!known) return `is not a Hetzner location (allowed: ${Object.keys(HCLOUD_LOCATIONS).join(', ')})`;
  if (known.networkZone !== networkZone) {
    return `is in network zone ${known.networkZone}, not in cloud.region (${networkZone}); one private network spans one zone`;
  }
  return undefined;
}

const server = (
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

const SERVER_TYPES: readonly InstanceType[] = [
  // Shared vCPU, AMD (second generation, since 2025-10).
  server('cpx22', 2, 4, 7.99),
  server('cpx32', 4, 8, 13.99),
  server('cpx42', 8, 16, 25.49),
  server('cpx52', 12, 24, 36.49),
  server('cpx62', 16, 32, 49.49),
  // Shared vCPU, Intel/AMD cost-optimised.
  server('cx23', 2, 4, 3.49),
  server('cx33', 4, 8, 5.49),
  server('cx43', 8, 16, 9.49),
  server('cx53', 16, 32, 17.49),
  // Dedicated vCPU.
  server('ccx13', 2, 8, 12.49),
  server('ccx23', 4, 16, 24.49),
  server('ccx33', 8, 32, 48.49),
  server('ccx43', 16, 64, 96.49),
  server('ccx53', 32, 128, 192.49),
  // Ampere (arm64).
  server('cax11', 2, 4, 3.79, { architecture: 'arm64' }),
  server('cax21', 4, 8, 6.49, { architecture: 'arm64' }),
  server('cax31', 8, 16, 12.49, { architecture: 'arm64' }),
  server('cax41', 16, 32, 24.49, { architecture: 'arm64' }),
  // Deprecated (2025-10): still accepted with a warning.
  server('cpx11', 2, 2, undefined, { deprecatedBy: 'cpx22' }),
  server('cpx21', 3, 4, undefined, { deprecatedBy: 'cpx22' }),
  server('cpx31', 4, 8, undefined, { deprecatedBy: 'cpx32' }),
  server('cpx41', 8, 16, undefined, { deprecatedBy: 'cpx42' }),
  server('cpx51', 16, 32, undefined, { deprecatedBy: 'cpx62' }),
  server('cx22', 2, 4, undefined, { deprecatedBy: 'cx23' }),
  server('cx32', 4, 8, undefined, { deprecatedBy: 'cx33' }),
  server('cx42', 8, 16, undefined, { deprecatedBy: 'cx43' }),
  server('cx52', 16, 32, undefined, { deprecatedBy: 'cx53' }),
];

const monthly = (key: string, description: string, price: number): ServicePrice => ({
  cloud: 'hcloud',
  key,
  description,
  price,
  unit: 'month',
  currency: 'EUR',
});

const SERVICE_PRICES: readonly ServicePrice[] = [
  monthly('load-balancer:lb11', 'Load balancer LB11', 5.39),
  monthly('load-balancer:lb21', 'Load balancer LB21', 16.4),
  monthly('load-balancer:lb31', 'Load balancer LB31', 32.9),
  { cloud: 'hcloud', key: 'volume', description: 'Block volume', price: 0.044, unit: 'GiB-month', currency: 'EUR' },
];

function cloudProblems(cloud: { region: string; locations: readonly string[] }): CloudProblem[] {
  return cloud.locations.flatMap((location, i) => {
    const message = hcloudLocationProblem(location, cloud.region);
    return message ? [{ path: ['locations', i], message, input: location }] : [];
  });
}

export const HCLOUD: CloudProfile = {
  id: 'hcloud',
  displayName: 'Hetzner Cloud',
  distribution: 'k3s',
  cloudProblems,
  controlPlane: { kind: 'servers', serverCounts: [1, 3, 5], what: 'k3s servers' },
  spotRefusal: 'must be "on-demand" on hcloud (Hetzner has no spot servers)',
  alternativeTypesRefusal: 'is only supported on aws (Hetzner servers have one type)',
  warnGvisorOnArm64: true,
  inPlaceNodeUpgrades: true,
  ownAddons: { hcloudCcm: 'the Hetzner cloud controller manager', hcloudCsi: 'the Hetzner CSI driver' },
  metricsServerSource: 'distribution',
  volumeBackups: 'file-system',
  backupCredentials: 'secret',
  hostTrafficSources,
  limits: HCLOUD_LIMITS,
  catalogue: {
    instanceTypes: SERVER_TYPES,
    currency: 'EUR',
    pricesAsOf: '2025-10-15',
    priceSource: 'Hetzner Cloud list prices, EU locations (fsn1/nbg1/hel1), net of VAT, monthly cap',
    servicePrices: SERVICE_PRICES,
    servicePricesAsOf: '2025-10-15',
    servicePriceSource:
      'Hetzner Cloud list prices, EU locations, net of VAT, monthly cap (traffic beyond the included volume not priced)',
  },
};
