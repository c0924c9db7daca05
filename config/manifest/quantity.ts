/**
 * Kubernetes resource quantities, in one place: the grammar the API server accepts
 * (`500m`, `1.5Gi`, `1e3`, `2`), a quantity's value in base units, its canonical form,
 * and the two platform forms the environment schema accepts for CPU and memory. The
 * schema, the charts, the gate and the deploy read quantities through this module, so
 * "does the quota admit the warm pool" is computed identically everywhere.
 *
 * The canonical form follows k8s.io/apimachinery pkg/api/resource/quantity.go
 * (kubernetes-1.36.0-alpha.2, `ParseQuantity`, `CanonicalizeBytes`) and amount.go
 * (`AsCanonicalBytes`, `AsCanonicalBase1024Bytes`): a quantity keeps its format (binary
 * suffix, decimal suffix or exponent); binary quantities below 1024 or not whole are
 * shown as decimal; decimal ones get the largest multiple-of-3 exponent that keeps an
 * integer mantissa. Values are rounded up to nano units, as the API server does.
 */

const BINARY = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'] as const;
const DECIMAL: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** sign, digits (`1`, `1.`, `1.5`, `.5`), suffix (binary, decimal or exponent). */
const QUANTITY = /^([+-]?)(\d+\.?\d*|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** The Kubernetes quantity grammar, as a pattern for schemas. */
export const QUANTITY_PATTERN = QUANTITY.source;

interface QuantityParts {
  readonly negative: boolean;
  readonly whole: string;
  readonly fraction: string;
  readonly suffix: string;
}

function quantityParts(value: string): QuantityParts | undefined {
  const match = QUANTITY.exec(value);
  if (!match) return undefined;
  const [whole = '', fraction = ''] = match[2]!.split('.');
  return { negative: match[1] === '-', whole, fraction, suffix: match[3] ?? '' };
}

/** `e3`, `E-2`: an exponent (a lone `E` is the exa suffix). */
const isExponent = (suffix: string) => suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E');

function suffixFactor(suffix: string): number {
  const binary = BINARY.indexOf(suffix as (typeof BINARY)[number]);
  if (suffix !== '' && binary > 0) return 2 ** (10 * binary);
  if (isExponent(suffix)) return 10 ** Number(suffix.slice(1));
  return 10 ** DECIMAL[suffix]!;
}

/**
 * `parse` remembering its results: the same few quantity texts recur across every tenant's
 * quota, limit range and containers, and the charts and the gate read each many times.
 * Bounded, so a long-lived process does not grow with every text it ever saw; errors are
 * thrown again each time (they are not remembered).
 */
function remembered<T>(parse: (value: string) => T): (value: string) => T {
  const known = new Map<string, T>();
  return (value) => {
    if (known.has(value)) return known.get(value) as T;
    const result = parse(value);
    if (known.size >= 10_000) known.clear();
    known.set(value, result);
    return result;
  };
}

const parseQuantityText = remembered((value: string): number | undefined => {
  const match = QUANTITY.exec(value.trim());
  if (!match) return undefined;
  return Number(match[1]! + match[2]!) * suffixFactor(match[3] ?? '');
});

/** A quantity in base units (cores, bytes); undefined when it is not a quantity. Numbers pass through. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  return parseQuantityText(value);
}

// ---------------------------------------------------------------------------
// The canonical form (what the API server stores and CEL sees)
// ---------------------------------------------------------------------------

const NANO = 10n ** 9n;
type Format = 'binary' | 'decimal' | 'exponent';

/** `1000m` → `1`; throws for a string the API server would refuse. */
export function canonicalQuantity(value: string): string {
  const parts = quantityParts(value);
  if (!parts) throw new Error(`'${value}' is not a Kubernetes quantity (examples: 250m, 1, 512Mi, 10G)`);
  const { nanos, format } = toNanos(parts.whole, parts.fraction, parts.suffix);
  if (nanos === 0n) return '0';
  const text = format === 'binary' ? binaryForm(nanos) : decimalForm(nanos, format);
  return parts.negative ? `-${text}` : text;
}

/** The value in nano units (rounded up) and the format the suffix implies. */
function toNanos(whole: string, fraction: string, suffix: string): { nanos: bigint; format: Format } {
  const digits = BigInt(`${whole}${fraction}` || '0');
  const denominator = 10n ** BigInt(fraction.length);
  const binaryIndex = BINARY.indexOf(suffix as (typeof BINARY)[number]);
  if (suffix !== '' && binaryIndex > 0) {
    const numerator = digits * 1024n ** BigInt(binaryIndex) * NANO;
    return { nanos: ceilDiv(numerator, denominator), format: 'binary' };
  }
  const exponent = isExponent(suffix) ? Number(suffix.slice(1)) : DECIMAL[suffix]!;
  const format: Format = isExponent(suffix) ? 'exponent' : 'decimal';
  const scale = exponent + 9;
  const numerator = scale >= 0 ? digits * 10n ** BigInt(scale) : digits;
  const divisor = scale >= 0 ? denominator : denominator * 10n ** BigInt(-scale);
  return { nanos: ceilDiv(numerator, divisor), format };
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

/** BinarySI: whole values of at least 1024 as `<n><Ki..Ei>`, anything else as decimal. */
function binaryForm(nanos: bigint): string {
  if (nanos < 1024n * NANO || nanos % NANO !== 0n) return decimalForm(nanos, 'decimal');
  let amount = nanos / NANO;
  let index = 0;
  while (amount % 1024n === 0n && index < BINARY.length - 1) {
    amount /= 1024n;
    index++;
  }
  return `${amount}${BINARY[index]}`;
}

/** DecimalSI / DecimalExponent: integer mantissa, exponent a multiple of 3. */
function decimalForm(nanos: bigint, format: Format): string {
  let mantissa = nanos;
  let exponent = -9;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  const rest = ((exponent % 3) + 3) % 3;
  mantissa *= 10n ** BigInt(rest);
  exponent -= rest;
  if (format === 'exponent') return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  const suffix = Object.entries(DECIMAL).find(([, e]) => e === exponent)?.[0];
  if (suffix === undefined) return `${mantissa}e${exponent}`;
  return `${mantissa}${suffix}`;
}

// ---------------------------------------------------------------------------
// The platform forms: what a stack file may write for CPU and memory
// ---------------------------------------------------------------------------

/** CPU in a stack file: whole or decimal cores, or millicores (`250m`, `1`, `1.5`). */
const CPU_PATTERN = /^(\d+(\.\d+)?)(m)?$/;
/** Memory and storage in a stack file: bytes with an optional decimal or binary suffix. */
const BYTES_PATTERN = /^(\d+(\.\d+)?)(Ki|Mi|Gi|Ti|Pi|k|K|M|G|T|P)?$/;

const BYTE_MULTIPLIERS: Record<string, number> = {
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
};

export function isCpuQuantity(value: string): boolean {
  return CPU_PATTERN.test(value);
}

export function isByteQuantity(value: string): boolean {
  return BYTES_PATTERN.test(value);
}

/** CPU quantity in millicores: `250m` → 250, `2` → 2000, `0.5` → 500. */
export const cpuMillis: (value: string) => number = remembered((value) => {
  const match = CPU_PATTERN.exec(value);
  if (!match) throw new Error(`'${value}' is not a CPU quantity (examples: 250m, 1, 1.5)`);
  const amount = Number(match[1]);
  return Math.round(match[3] ? amount : amount * 1000);
});

/** Byte quantity in bytes: `512Mi` → 536870912, `1G` → 1e9. */
export const bytes: (value: string) => number = remembered((value) => {
  const match = BYTES_PATTERN.exec(value);
  if (!match) throw new Error(`'${value}' is not a byte quantity (examples: 512Mi, 2Gi, 10G)`);
  return Math.round(Number(match[1]) * BYTE_MULTIPLIERS[match[3] ?? '']!);
});

/** Formats millicores the way a reviewer reads them: 1500 → `1500m`, 2000 → `2`. */
export function formatCpu(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** Formats bytes with the largest binary suffix that divides them evenly. */
export function formatBytes(value: number): string {
  for (const suffix of ['Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
    const unit = BYTE_MULTIPLIERS[suffix]!;
    if (value >= unit && value % unit === 0) return `${value / unit}${suffix}`;
  }
  return String(value);
}
