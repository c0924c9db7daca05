/**
 * Builders of CEL text for the admission policies. Everything here stays in the
 * subset that both the API server (cel-go with the Kubernetes libraries) and
 * @bufbuild/cel (the tests' evaluator) run: standard macros (`all`, `exists`),
 * `has`, `in`, `size`, `startsWith`, `matches`, `int()` and the strings extension's
 * `split`/`substring` (Kubernetes enables ext.Strings since 1.27). No optional types,
 * no `cel.bind`, no Kubernetes-only libraries (`quantity`, `cidr`, `ip`): quantities
 * are compared in their canonical form or parsed here, CIDRs with integer arithmetic.
 */
import { parseCidr, type IpRange } from '../../config';

/** A CEL string literal. */
export function str(value: string): string {
  return JSON.stringify(value);
}

/** A CEL list literal of strings. */
export function strList(values: readonly string[]): string {
  return `[${values.map(str).join(', ')}]`;
}

/** A CEL map literal of string → string. */
export function strMap(entries: Readonly<Record<string, string>>): string {
  return `{${Object.entries(entries)
    .map(([k, v]) => `${str(k)}: ${str(v)}`)
    .join(', ')}}`;
}

/** `a && b && c`, each operand parenthesised. */
export function and(...terms: readonly string[]): string {
  return terms.map((t) => `(${t})`).join(' && ');
}

/** `a || b || c`, each operand parenthesised; `false` for none. */
export function or(...terms: readonly string[]): string {
  return terms.length === 0 ? 'false' : terms.map((t) => `(${t})`).join(' || ');
}

/** The value of label `key` on `meta`, or '' when absent. */
export function label(meta: string, key: string): string {
  return `(has(${meta}.labels) && ${str(key)} in ${meta}.labels ? ${meta}.labels[${str(key)}] : '')`;
}

const BYTE_SUFFIXES: readonly (readonly [string, bigint])[] = [
  ['Ki', 1024n],
  ['Mi', 1024n ** 2n],
  ['Gi', 1024n ** 3n],
  ['Ti', 1024n ** 4n],
  ['Pi', 1024n ** 5n],
  ['Ei', 1024n ** 6n],
  ['k', 10n ** 3n],
  ['M', 10n ** 6n],
  ['G', 10n ** 9n],
  ['T', 10n ** 12n],
  ['P', 10n ** 15n],
  ['E', 10n ** 18n],
];

/** Canonical byte quantities this parser reads: digits and an optional binary or decimal suffix. */
export const BYTE_QUANTITY_PATTERN = '^[0-9]+(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$';

/**
 * The number of bytes of a byte quantity string `q` (int). Only meaningful when `q`
 * matches BYTE_QUANTITY_PATTERN; an overflowing product is a CEL error, which a
 * policy with failurePolicy Fail turns into a denial.
 */
export function bytesOf(q: string): string {
  let expr = `int(${q})`;
  for (const [suffix, factor] of [...BYTE_SUFFIXES].reverse()) {
    expr = `${q}.endsWith(${str(suffix)}) ? int(${q}.substring(0, size(${q}) - ${suffix.length})) * ${factor} : (${expr})`;
  }
  return `(${expr})`;
}

// ---------------------------------------------------------------------------
// IPv4 CIDRs in NetworkPolicy ipBlocks
// ---------------------------------------------------------------------------

/** 2^0 .. 2^32, indexed by exponent. */
const POW2 = `[${Array.from({ length: 33 }, (_, i) => (1n << BigInt(i)).toString()).join(', ')}]`;

const octet = (cidr: string, i: number) => `int(${cidr}.split('/')[0].split('.')[${i}])`;

/** The address of an IPv4 CIDR string as an int. */
export function ipv4Value(cidr: string): string {
  return `(${octet(cidr, 0)} * 16777216 + ${octet(cidr, 1)} * 65536 + ${octet(cidr, 2)} * 256 + ${octet(cidr, 3)})`;
}

/** The prefix length of a CIDR string as an int. */
export function prefixOf(cidr: string): string {
  return `int(${cidr}.split('/')[1])`;
}

/** The first `bits` bits of an IPv4 value (as an int), for a constant `bits`. */
const networkOf = (value: bigint, bits: number) => (value >> BigInt(32 - bits)).toString();

/** IPv4 CIDR string `cidr` shares an address with the constant range `range`. */
export function ipv4Overlaps(cidr: string, range: IpRange): string {
  const p = prefixOf(cidr);
  const v = ipv4Value(cidr);
  // Overlap ⇔ equal on the shorter of the two prefixes.
  return `${p} >= ${range.prefix} ? ${v} / ${1n << BigInt(32 - range.prefix)} == ${networkOf(range.base, range.prefix)} : ${v} / ${POW2}[32 - ${p}] == ${range.base} / ${POW2}[32 - ${p}]`;
}

/** IPv4 CIDR string `outer` holds every address of the constant range `inner`. */
export function ipv4ContainsRange(outer: string, inner: IpRange): string {
  const p = prefixOf(outer);
  return `${p} <= ${inner.prefix} && ${ipv4Value(outer)} / ${POW2}[32 - ${p}] == ${inner.base} / ${POW2}[32 - ${p}]`;
}

/** IPv4 CIDR string `outer` holds every address of the CIDR string `inner`. */
export function ipv4ContainsCidr(outer: string, inner: string): string {
  const p = prefixOf(outer);
  return `${p} <= ${prefixOf(inner)} && ${ipv4Value(outer)} / ${POW2}[32 - ${p}] == ${ipv4Value(inner)} / ${POW2}[32 - ${p}]`;
}

/** Parses a constant CIDR or fails: the ranges policies use are ours, not input. */
export function range(cidr: string): IpRange {
  const parsed = parseCidr(cidr);
  if (!parsed) throw new Error(`not a CIDR: ${cidr}`);
  return parsed;
}
