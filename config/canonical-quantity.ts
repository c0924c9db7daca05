/**
 * The canonical form of a Kubernetes quantity: the string the API server stores and
 * serves, and therefore the string an admission policy's CEL sees in `object`
 * (`250m`, `1`, `512Mi`; `1000m` becomes `1`, `0.5` becomes `500m`, `1024Mi` becomes `1Gi`).
 *
 * Follows k8s.io/apimachinery pkg/api/resource/quantity.go (kubernetes-1.36.0-alpha.2,
 * `ParseQuantity`, `CanonicalizeBytes`) and amount.go (`AsCanonicalBytes`,
 * `AsCanonicalBase1024Bytes`): a quantity keeps its format (binary suffix, decimal suffix
 * or exponent); binary quantities below 1024 or not whole are shown as decimal; decimal
 * ones get the largest multiple-of-3 exponent that keeps an integer mantissa.
 * Values are rounded up to nano units, as the API server does.
 */

const BINARY = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'] as const;
const DECIMAL: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const QUANTITY = /^([+-]?)(\d*)(?:\.(\d*))?(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;
const NANO = 10n ** 9n;

type Format = 'binary' | 'decimal' | 'exponent';

/** `1000m` → `1`; throws for a string the API server would refuse. */
export function canonicalQuantity(value: string): string {
  const match = QUANTITY.exec(value);
  const whole = match?.[2] ?? '';
  const fraction = match?.[3] ?? '';
  if (!match || whole.length + fraction.length === 0) {
    throw new Error(`'${value}' is not a Kubernetes quantity (examples: 250m, 1, 512Mi, 10G)`);
  }
  const suffix = match[4] ?? '';
  const negative = match[1] === '-';
  const { nanos, format } = toNanos(whole, fraction, suffix);
  if (nanos === 0n) return '0';
  const text = format === 'binary' ? binaryForm(nanos) : decimalForm(nanos, format);
  return negative ? `-${text}` : text;
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
  const exponent = /^[eE]/.test(suffix) ? Number(suffix.slice(1)) : DECIMAL[suffix]!;
  const format: Format = /^[eE]/.test(suffix) ? 'exponent' : 'decimal';
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
