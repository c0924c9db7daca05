/**
 * How the rules read a quantity: the amount a value stands for, in the unit that makes
 * two values of one resource comparable, or undefined when it is not comparable (not a
 * quantity of the grammar the caller reads). The model's grammar (config/quantity.ts) is
 * the default; the gate passes the full Kubernetes grammar (config/manifest/quantity.ts).
 */
import { bytes, cpuMillis, isByteQuantity, isCpuQuantity } from '../quantity';

/** The amount of `value` for `resource` (cpu in millicores, anything else in bytes). */
export type Amount<V> = (resource: string, value: V) => number | undefined;

/** The model's quantities: `cpu` as millicores, `memory`/`storage`/… as bytes. */
export const modelAmount: Amount<string> = (resource, value) => {
  if (resource === 'cpu') return isCpuQuantity(value) ? cpuMillis(value) : undefined;
  return isByteQuantity(value) ? bytes(value) : undefined;
};

/** true when both amounts are known and `high` is below `low`. */
export function isBelow<V>(amount: Amount<V>, resource: string, high: V, low: V): boolean {
  const [h, l] = [amount(resource, high), amount(resource, low)];
  return h !== undefined && l !== undefined && !Number.isNaN(h) && !Number.isNaN(l) && h < l;
}
