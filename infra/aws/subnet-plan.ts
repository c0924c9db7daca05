/**
 * The VPC's address plan: one private and one public subnet per availability zone,
 * allocated by the zone's letter (`us-east-1a` → slot 0), never by list position,
 * so reordering `cloud.locations` or adding a zone renumbers nothing.
 *
 * For a /16: private subnets are /19 (8,187 usable addresses each: the VPC CNI gives
 * every pod a VPC address), public subnets are /22 (NAT gateways and load balancers
 * only), carved out of the last /19.
 */

import * as pulumi from '@pulumi/pulumi';
import { AWS_VPC_PREFIXES, awsZoneSlot } from '../../config';

const invalid = (propertyPath: string, reason: string) => new pulumi.InputPropertyError({ propertyPath, reason });

export interface ZoneSubnets {
  readonly zone: string;
  readonly privateCidr: string;
  readonly publicCidr: string;
}

function parseCidr(cidr: string): { base: number; prefix: number } {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match)
    throw invalid('cloud.networkCidr', `'cloud.networkCidr' (${cidr}) must be an IPv4 CIDR such as 10.0.0.0/16`);
  const octets = match.slice(1, 5).map(Number);
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  return { base, prefix: Number(match[5]) };
}

function formatCidr(address: number, prefix: number): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256);
  return `${octets.join('.')}/${prefix}`;
}

/** Slot of a zone within the plan: its letter suffix (`eu-west-1b` → 1). */
export function zoneSlot(zone: string, region: string): number {
  const slot = awsZoneSlot(zone, region);
  if (slot < 0) {
    throw invalid(
      'cloud.locations',
      `'cloud.locations' entry "${zone}" must be an availability zone of ${region} ending in one letter a-f (e.g. ${region}a)`,
    );
  }
  return slot;
}

/**
 * Private and public subnet CIDRs for each zone. The VPC range must be /16 to /20:
 * larger prefixes leave private subnets too small for pod addresses.
 */
export function planSubnets(networkCidr: string, region: string, zones: readonly string[]): ZoneSubnets[] {
  const { base, prefix } = parseCidr(networkCidr);
  if (prefix < AWS_VPC_PREFIXES.min || prefix > AWS_VPC_PREFIXES.max) {
    throw invalid(
      'cloud.networkCidr',
      `'cloud.networkCidr' (${networkCidr}) must be a /${AWS_VPC_PREFIXES.min} to /${AWS_VPC_PREFIXES.max} on aws: each zone gets a /${prefix + 3} for nodes and pods (the VPC CNI gives every pod a VPC address)`,
    );
  }
  const size = 2 ** (32 - prefix);
  if (base % size !== 0) {
    throw invalid(
      'cloud.networkCidr',
      `'cloud.networkCidr' (${networkCidr}) has host bits set; use ${formatCidr(base - (base % size), prefix)}`,
    );
  }
  const privateSize = size / 8; // prefix + 3
  const publicSize = privateSize / 8; // prefix + 6, inside the last private-sized block
  const publicBase = base + 7 * privateSize;
  const seen = new Set<number>();
  return zones.map((zone) => {
    const slot = zoneSlot(zone, region);
    if (seen.has(slot)) throw invalid('cloud.locations', `'cloud.locations' lists ${zone} twice`);
    seen.add(slot);
    return {
      zone,
      privateCidr: formatCidr(base + slot * privateSize, prefix + 3),
      publicCidr: formatCidr(publicBase + slot * publicSize, prefix + 6),
    };
  });
}
