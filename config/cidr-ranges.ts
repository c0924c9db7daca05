/**
 * CIDR arithmetic for the model's checks: does a range contain or overlap another,
 * do several ranges together cover every address. IPv4 and IPv6, as bigints.
 */

export interface IpRange {
  readonly family: 4 | 6;
  /** First address of the range (host bits cleared). */
  readonly base: bigint;
  readonly prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;

function ipv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function ipv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const all = [...head, ...Array<string>(missing).fill('0'), ...tail];
  if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** `10.0.0.0/8` → its range; undefined when the text is not a CIDR. */
export function parseCidr(text: string): IpRange | undefined {
  const [address = '', prefixText, ...rest] = text.split('/');
  if (rest.length > 0 || prefixText === undefined || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const family: 4 | 6 = address.includes(':') ? 6 : 4;
  const value = family === 4 ? ipv4(address) : ipv6(address);
  const prefix = Number(prefixText);
  if (value === undefined || prefix > BITS[family]) return undefined;
  const hostBits = BigInt(BITS[family] - prefix);
  return { family, base: (value >> hostBits) << hostBits, prefix };
}

/** A CIDR, or a single address as its /32 or /128 (what a NetworkPolicy rule may name); undefined when malformed. */
export function parseAddressOrCidr(text: string): IpRange | undefined {
  const trimmed = text.trim();
  if (trimmed.includes('/')) return parseCidr(trimmed);
  return parseCidr(`${trimmed}/${trimmed.includes(':') ? 128 : 32}`);
}

function lastAddress(r: IpRange): bigint {
  return r.base + (1n << BigInt(BITS[r.family] - r.prefix)) - 1n;
}

/** Every address of `inner` is in `outer`. */
export function containsRange(outer: IpRange, inner: IpRange): boolean {
  return outer.family === inner.family && outer.base <= inner.base && lastAddress(inner) <= lastAddress(outer);
}

/** The two ranges share at least one address. */
export function overlaps(a: IpRange, b: IpRange): boolean {
  return a.family === b.family && a.base <= lastAddress(b) && b.base <= lastAddress(a);
}

/** Together, the ranges of one family hold every address of that family (e.g. 0.0.0.0/1 + 128.0.0.0/1). */
export function coversEverything(ranges: readonly IpRange[], family: 4 | 6): boolean {
  const sorted = ranges.filter((r) => r.family === family).sort((a, b) => (a.base < b.base ? -1 : 1));
  let next = 0n;
  for (const r of sorted) {
    if (r.base > next) return false;
    const end = lastAddress(r) + 1n;
    if (end > next) next = end;
  }
  return next === 1n << BigInt(BITS[family]);
}

/** Text forms: `covers('0.0.0.0/0', '169.254.169.254')`; false when either is malformed. */
export function covers(outer: string, inner: string): boolean {
  const o = parseAddressOrCidr(outer);
  const i = parseAddressOrCidr(inner);
  return o !== undefined && i !== undefined && containsRange(o, i);
}
