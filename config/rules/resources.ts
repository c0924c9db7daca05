/**
 * Rule: every limit is at least its request. The API server refuses a container whose
 * limit is below its request, and a quota whose `limits.*` is below its `requests.*`
 * admits pods it then cannot hold. One predicate; the schema, the constructs, the add-on
 * values and the gate adapt it (docs/architecture.md, "Rules").
 */
import { isBelow, modelAmount, type Amount } from './amounts';

/** A limit below its request, for one resource named in both. */
export interface LimitBelowRequest<V> {
  readonly resource: string;
  readonly request: V;
  readonly limit: V;
}

/**
 * The resources whose limit is below the request, in the order of `requests`. A resource
 * missing on either side, or not a quantity, is not judged (its own check reports that).
 */
export function limitsBelowRequests<V = string>(
  requests: Readonly<Record<string, V>>,
  limits: Readonly<Record<string, V>>,
  amount: Amount<V> = modelAmount as unknown as Amount<V>,
): LimitBelowRequest<V>[] {
  return Object.entries(requests).flatMap(([resource, request]) => {
    if (!Object.hasOwn(limits, resource)) return [];
    const limit = limits[resource]!;
    return isBelow(amount, resource, limit, request) ? [{ resource, request, limit }] : [];
  });
}
