/**
 * Rule family resource-bounds: LimitRange and ResourceQuota values that cannot be what
 * was meant. A typo such as `cpu: "4000"` (meant 4000m) or `memory: 64000Gi` turns a
 * guardrail into no guardrail; a LimitRange whose default exceeds its max, or whose max
 * is zero, rejects every pod that takes the default. The bounds are data (below).
 */
import { LIMIT_RANGE_ORDER, limitRangeOrderViolations, type LimitRangeBounds } from '../../config';
import { asArray, asObject } from '../manifests';
import { parseQuantity } from '../../config/manifest';
import { ruleFamily, type GateRule, type Hit } from '../rule';
import type { Manifest, PathSegment } from '../types';
import { shown } from '../values';
import { ofKind } from './object-index';

/** The largest sane value per resource: for one container or pod, and for one namespace's quota. */
const BOUNDS: Record<string, { perPod: number; perNamespace: number; unit: string }> = {
  // The largest cloud machines have a few hundred vCPUs and a few TiB of memory.
  cpu: { perPod: 512, perNamespace: 20_000, unit: 'cores' },
  memory: { perPod: 12 * 2 ** 40, perNamespace: 200 * 2 ** 40, unit: 'bytes' },
  'ephemeral-storage': { perPod: 64 * 2 ** 40, perNamespace: 1024 * 2 ** 40, unit: 'bytes' },
  // Kubernetes supports about 150,000 pods per cluster.
  pods: { perPod: 1, perNamespace: 150_000, unit: 'pods' },
};

/** `requests.cpu` → cpu, `limits.memory` → memory, `requests.storage` → undefined (no bound). */
function resourceOf(key: string): string | undefined {
  const name = key.startsWith('requests.') ? key.slice(9) : key.startsWith('limits.') ? key.slice(7) : key;
  return Object.hasOwn(BOUNDS, name) ? name : undefined;
}

/** A value's amount as parseQuantity reads it. */
type Quantity = (value: unknown) => number | undefined;

/**
 * parseQuantity remembered for the strings of one rule's run: the 10,000 LimitRanges and
 * quotas of a large set repeat a handful of values, each parsed some ten times per item.
 */
function quantityReader(): Quantity {
  const known = new Map<string, number | undefined>();
  return (value) => {
    if (typeof value !== 'string') return parseQuantity(value);
    let amount = known.get(value);
    if (amount === undefined && !known.has(value)) {
      amount = parseQuantity(value);
      known.set(value, amount);
    }
    return amount;
  };
}

function outOfBounds(
  amount: number | undefined,
  resource: string,
  scope: 'perPod' | 'perNamespace',
): string | undefined {
  const bound = BOUNDS[resource]!;
  if (amount === undefined) return undefined; // not a quantity: schema.invalid says so
  if (amount > bound[scope]) return `above the sane maximum of ${bound[scope]} ${bound.unit}`;
  return undefined;
}

/** Order of a LimitRange item's fields: min ≤ defaultRequest ≤ default ≤ max. */
const ORDER = LIMIT_RANGE_ORDER;

/** A value of a LimitRange item with its amount, read once for every check of the item. */
interface Read {
  readonly value: unknown;
  readonly amount: number | undefined;
}

/** `target[key] = value`, also for the key `__proto__` (which an assignment would take as the prototype). */
function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function limitItemHits(m: Manifest, item: Record<string, unknown>, i: number, quantity: Quantity): Hit[] {
  const out: Hit[] = [];
  const path = (field: string, resource: string): PathSegment[] => ['spec', 'limits', i, field, resource];
  const bounds: Partial<Record<string, Record<string, Read>>> = {};
  for (const field of ORDER) {
    const reads: Record<string, Read> = (bounds[field] = {});
    for (const [resource, value] of Object.entries(asObject(item[field]))) {
      const amount = quantity(value);
      setOwn(reads, resource, { value, amount });
      const problem = resourceOf(resource) && outOfBounds(amount, resource, 'perPod');
      if (problem)
        out.push({
          manifest: m,
          path: path(field, resource),
          message: `${field}.${resource} ${shown(value)} is ${problem} for one ${shown(item.type ?? 'container')}`,
        });
      if ((field === 'max' || field === 'default') && amount === 0) {
        out.push({
          manifest: m,
          path: path(field, resource),
          message: `${field}.${resource} is 0: every pod that uses ${resource} is rejected`,
        });
      }
    }
  }
  // min ≤ defaultRequest ≤ default ≤ max: the predicate of config/rules/limit-range.ts, on
  // any Kubernetes quantity in base units (the gate reads manifests, not the model).
  for (const v of limitRangeOrderViolations(bounds as LimitRangeBounds<Read>, (_resource, read) => read.amount)) {
    out.push({
      manifest: m,
      path: path(v.upper, v.resource),
      message: `${v.upper}.${v.resource} ${shown(v.high.value)} is below ${v.lower}.${v.resource} ${shown(v.low.value)}: the API server rejects the LimitRange or every pod it defaults`,
      fix: `keep ${ORDER.join(' ≤ ')} for each resource`,
    });
  }
  return out;
}

function quotaHits(m: Manifest, quantity: Quantity): Hit[] {
  return Object.entries(asObject(asObject(m.object.spec).hard)).flatMap(([key, value]) => {
    const resource = resourceOf(key);
    const problem = resource && outOfBounds(quantity(value), resource, 'perNamespace');
    return problem
      ? [
          {
            manifest: m,
            path: ['spec', 'hard', key],
            message: `hard.${key} ${shown(value)} is ${problem} for one namespace: the quota limits nothing (a typo for a smaller unit?)`,
          },
        ]
      : [];
  });
}

export const limitRangeBoundsRule: GateRule = {
  id: 'bounds.limit-range',
  severity: 'error',
  description: 'LimitRange values within sane bounds, max and default above 0, min ≤ defaultRequest ≤ default ≤ max',
  fix: 'correct the value (check the unit: 500m is half a core, 512Mi half a GiB)',
  check: (ctx) => {
    const quantity = quantityReader();
    return ofKind(ctx, 'LimitRange').flatMap((m) =>
      asArray(asObject(m.object.spec).limits).flatMap((item, i) => limitItemHits(m, asObject(item), i, quantity)),
    );
  },
};

export const quotaBoundsRule: GateRule = {
  id: 'bounds.quota',
  severity: 'error',
  description: 'ResourceQuota cpu, memory, storage and pod counts within sane bounds',
  fix: 'correct the value (check the unit: 500m is half a core, 512Mi half a GiB)',
  check: (ctx) => {
    const quantity = quantityReader();
    return ofKind(ctx, 'ResourceQuota').flatMap((m) => quotaHits(m, quantity));
  },
};

export const resourceBoundsRules = ruleFamily('resource-bounds', [limitRangeBoundsRule, quotaBoundsRule]);
