/**
 * The Kubernetes quantity grammar and its value in base units. A leaf module (it
 * imports nothing of ours): the schema interpreter checks the grammar, the rules
 * do arithmetic on the values.
 */

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)|[eE]([+-]?\d+))?$/;
const SUFFIX: Record<string, number> = {
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The Kubernetes quantity grammar (`500m`, `1.5Gi`, `1e3`, `2`). */
export const QUANTITY_PATTERN = QUANTITY.source;

/** A quantity in base units (cores, bytes); undefined when it is not a quantity. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = QUANTITY.exec(value.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  if (m[2]) return base * SUFFIX[m[2]]!;
  if (m[3]) return base * 10 ** Number(m[3]);
  return base;
}
