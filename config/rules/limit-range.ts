/**
 * Rule: in a LimitRange item, min ≤ defaultRequest ≤ default ≤ max for each resource
 * (the API server refuses the LimitRange, or every pod it defaults, otherwise). One
 * predicate; the schema, the namespace construct and the gate adapt it.
 */
import { isBelow, modelAmount, type Amount } from './amounts';

/** The fields of a LimitRange item, lowest first. */
export const LIMIT_RANGE_ORDER = ['min', 'defaultRequest', 'default', 'max'] as const;
export type LimitRangeField = (typeof LIMIT_RANGE_ORDER)[number];

/** A LimitRange item's bounds: field → resource → value (any field may be absent). */
export type LimitRangeBounds<V> = Partial<Record<LimitRangeField, Readonly<Record<string, V>> | undefined>>;

/** `upper.resource` (high) is below `lower.resource` (low). */
export interface LimitRangeOrderViolation<V> {
  readonly resource: string;
  readonly lower: LimitRangeField;
  readonly upper: LimitRangeField;
  readonly low: V;
  readonly high: V;
}

/**
 * Every pair of fields out of order, for each resource set in both: by lower field,
 * then upper field, then the lower field's resource order. Values that are not
 * comparable quantities are not judged.
 */
export function limitRangeOrderViolations<V = string>(
  item: LimitRangeBounds<V>,
  amount: Amount<V> = modelAmount as unknown as Amount<V>,
): LimitRangeOrderViolation<V>[] {
  const out: LimitRangeOrderViolation<V>[] = [];
  for (const [i, lower] of LIMIT_RANGE_ORDER.entries()) {
    for (const upper of LIMIT_RANGE_ORDER.slice(i + 1)) {
      const highs = item[upper] ?? {};
      for (const [resource, low] of Object.entries(item[lower] ?? {})) {
        if (!Object.hasOwn(highs, resource)) continue;
        const high = highs[resource]!;
        if (isBelow(amount, resource, high, low)) out.push({ resource, lower, upper, low, high });
      }
    }
  }
  return out;
}

/** A request below a LimitRange item's `min`, or a limit above its `max`, for one resource. */
export interface LimitRangeBreach<V> {
  readonly resource: string;
  /** `requests` below `min`, or `limits` above `max`. */
  readonly kind: 'requests' | 'limits';
  readonly value: V;
  readonly bound: 'min' | 'max';
  readonly boundValue: V;
}

/**
 * Rule: the API server admits a container (or pod) only when each request is at least the
 * LimitRange item's `min` and each limit at most its `max`. Per resource of `resources`
 * (requests before limits); a bound or value that is missing or not comparable is not judged.
 */
export function limitRangeBreaches<V = string>(
  resources: { readonly requests?: Readonly<Record<string, V>>; readonly limits?: Readonly<Record<string, V>> },
  item: { readonly min?: Readonly<Record<string, V>>; readonly max?: Readonly<Record<string, V>> },
  amount: Amount<V> = modelAmount as unknown as Amount<V>,
): LimitRangeBreach<V>[] {
  const out: LimitRangeBreach<V>[] = [];
  const names = [...new Set([...Object.keys(resources.requests ?? {}), ...Object.keys(resources.limits ?? {})])];
  for (const resource of names) {
    const request = resources.requests?.[resource];
    const min = item.min?.[resource];
    if (request !== undefined && min !== undefined && isBelow(amount, resource, request, min)) {
      out.push({ resource, kind: 'requests', value: request, bound: 'min', boundValue: min });
    }
    const limit = resources.limits?.[resource];
    const max = item.max?.[resource];
    if (limit !== undefined && max !== undefined && isBelow(amount, resource, max, limit)) {
      out.push({ resource, kind: 'limits', value: limit, bound: 'max', boundValue: max });
    }
  }
  return out;
}
