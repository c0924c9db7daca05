/**
 * Subnet allocation by pool NAME, never by list position.
 *
 * Each pool gets the /24 at slot `sha256(name) mod (slots - 1)` of the private network
 * (a /16 has 256 slots). A pool's subnet therefore depends on its name alone: adding,
 * removing or reordering pools never renumbers another pool's nodes. Two names can
 * hash to the same slot (with 3 pools in a /16 the chance is about 1%); that is
 * refused with a message naming both pools, and the fix is to choose another name
 * for the pool being added (renaming a live pool would replace its servers).
 *
 * The LAST /24 of the network is reserved for nodes the cluster autoscaler creates:
 * Hetzner attaches a server created with a network but no subnet to the last subnet
 * by IP range, so autoscaled nodes land there and never take an address from a
 * static pool's range.
 */
import { createHash } from 'node:crypto';

export interface PoolSubnet {
  readonly pool: string;
  /** Index of the /24 inside the network. */
  readonly slot: number;
  /** e.g. `10.10.37.0/24` */
  readonly cidr: string;
}

export interface SubnetPlan {
  readonly pools: ReadonlyMap<string, PoolSubnet>;
  /** The reserved last /24, where autoscaler-created nodes attach. */
  readonly autoscaled: { readonly slot: number; readonly cidr: string };
}

export class SubnetCollisionError extends Error {
  constructor(
    readonly pool: string,
    readonly other: string,
    readonly cidr: string,
    networkCidr: string,
  ) {
    super(
      `pool "${pool}" hashes to the same subnet as pool "${other}" (${cidr} in cloud.networkCidr ${networkCidr}); ` +
        'subnets are allocated by pool name so that adding, removing or reordering pools never renumbers nodes: ' +
        'give whichever of the two pools is new another name (renaming a live pool replaces its servers)',
    );
    this.name = 'SubnetCollisionError';
  }
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

export function parseCidr(cidr: string): { base: number; prefix: number } {
  const m = CIDR.exec(cidr);
  if (!m) throw new Error(`not an IPv4 CIDR: ${cidr}`);
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  const ip = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  return { base: ip - (ip % size), prefix };
}

export function formatIp(ip: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(ip / 2 ** shift) % 256).join('.');
}

/** Whether two CIDRs share any address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  const xEnd = x.base + 2 ** (32 - x.prefix);
  const yEnd = y.base + 2 ** (32 - y.prefix);
  return x.base < yEnd && y.base < xEnd;
}

/** Number of /24 slots a network has (0 when it is smaller than two /24s). */
export function subnetSlots(networkCidr: string): number {
  const { prefix } = parseCidr(networkCidr);
  return prefix > 23 ? 0 : 2 ** (24 - prefix);
}

/** The /24 at `slot` of the network. */
export function slotCidr(networkCidr: string, slot: number): string {
  return `${formatIp(parseCidr(networkCidr).base + slot * 256)}/24`;
}

/** Host `host` (1..254) of a /24. */
export function hostIp(subnetCidr: string, host: number): string {
  return formatIp(parseCidr(subnetCidr).base + host);
}

/** Stable slot of a pool name among `slots - 1` (the last slot is reserved). */
export function slotOf(name: string, slots: number): number {
  const digest = createHash('sha256').update(name, 'utf8').digest();
  return digest.readUInt32BE(0) % (slots - 1);
}

/**
 * Subnets for these pools. Throws `SubnetCollisionError` (naming the later pool in
 * `poolNames` order and the one it collides with) when two names share a slot.
 */
export function allocateSubnets(networkCidr: string, poolNames: readonly string[]): SubnetPlan {
  const slots = subnetSlots(networkCidr);
  if (slots < 2) {
    throw new Error(`cloud.networkCidr (${networkCidr}) must be a /23 or larger to hold one /24 per pool`);
  }
  const bySlot = new Map<number, string>();
  const pools = new Map<string, PoolSubnet>();
  for (const pool of poolNames) {
    const slot = slotOf(pool, slots);
    const cidr = slotCidr(networkCidr, slot);
    const other = bySlot.get(slot);
    if (other !== undefined) throw new SubnetCollisionError(pool, other, cidr, networkCidr);
    bySlot.set(slot, pool);
    pools.set(pool, { pool, slot, cidr });
  }
  const last = slots - 1;
  return { pools, autoscaled: { slot: last, cidr: slotCidr(networkCidr, last) } };
}
