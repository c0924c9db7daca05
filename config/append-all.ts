/**
 * Appends every item to `out`. Not `out.push(...items)`: a call takes at
 * most about 125,000 arguments on Node 20 (they go on the stack; more throws "Maximum call
 * stack size exceeded"), and a stack of 14,000 tenants renders a file holding more objects
 * than that.
 */
export function appendAll<T>(out: T[], items: Iterable<T>): void {
  for (const item of items) out.push(item);
}
