/**
 * CIDR arithmetic for the network rules: IPv4 and IPv6 ranges as (family, first
 * address, prefix length), and whether one range contains another.
 */

export interface Cidr {
  readonly family: 4 | 6;
  /** The network address (host bits cleared). */
  readonly network: bigint;
  readonly prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** `10.0.0.0/8`, `::/0`, or a single address (a /32 or /128); undefined when malformed. */
export function parseCidr(text: string): Cidr | undefined {
  const [address = '', prefixText] = text.trim().split('/');
  const family = address.includes(':') ? 6 : 4;
  const value = family === 4 ? parseIpv4(address) : parseIpv6(address);
  const bits = BITS[family];
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (value === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > bits) return undefined;
  const hostBits = BigInt(bits - prefix);
  return { family, network: (value >> hostBits) << hostBits, prefix };
}

/** `outer` contains every address of `inner`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family || outer.prefix > inner.prefix) return false;
  const hostBits = BigInt(BITS[outer.family] - outer.prefix);
  return inner.network >> hostBits === outer.network >> hostBits;
}

/** Text forms: `covers('0.0.0.0/0', '169.254.169.254')`; false when either is malformed. */
export function covers(outer: string, inner: string): boolean {
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  return o !== undefined && i !== undefined && cidrContains(o, i);
}
