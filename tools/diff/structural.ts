/**
 * Field-level differences between two versions of one object. List items are
 * matched by a stable identity (`name`, then `mountPath`, `key`, `containerPort`,
 * `port`) when every item has a unique one, so reordering containers is no change
 * and a change inside a container reads `containers[name=api].image`.
 */
import { isObject, type Json } from './objects';

export type PathSegment = { readonly key: string } | { readonly index: number } | { readonly match: [string, string] };

export interface FieldChange {
  readonly path: readonly PathSegment[];
  readonly op: 'added' | 'removed' | 'changed';
  readonly before?: Json;
  readonly after?: Json;
  /** Printed instead of the values (redactions). */
  readonly note?: string;
}

/** Keys that identify a list item, in order of preference. */
export const LIST_IDENTITY_KEYS = ['name', 'mountPath', 'key', 'containerPort', 'port'] as const;

const SIMPLE_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `spec.template.spec.containers[name=api].resources.limits.cpu`, `metadata.labels["app.kubernetes.io/name"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if ('key' in segment) {
      out += SIMPLE_KEY.test(segment.key) ? `${out ? '.' : ''}${segment.key}` : `[${JSON.stringify(segment.key)}]`;
    } else if ('index' in segment) {
      out += `[${segment.index}]`;
    } else {
      out += `[${segment.match[0]}=${segment.match[1]}]`;
    }
  }
  return out;
}

/** The key names of a path, without list positions: `spec.template.spec.containers.image`. */
export function keysOf(path: readonly PathSegment[]): string[] {
  return path.flatMap((s) => ('key' in s ? [s.key] : []));
}

export function deepEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

function identityKey(before: Json[], after: Json[]): string | undefined {
  const items = [...before, ...after];
  if (items.length === 0) return undefined;
  for (const key of LIST_IDENTITY_KEYS) {
    const unique = (list: Json[]) => {
      const seen = new Set<string>();
      for (const item of list) {
        if (!isObject(item)) return false;
        const value = item[key];
        if (typeof value !== 'string' && typeof value !== 'number') return false;
        if (seen.has(String(value))) return false;
        seen.add(String(value));
      }
      return true;
    };
    if (unique(before) && unique(after)) return key;
  }
  return undefined;
}

function diffLists(path: PathSegment[], before: Json[], after: Json[], out: FieldChange[]): void {
  const key = identityKey(before, after);
  if (key === undefined) {
    if (
      before.every((v) => !isObject(v) && !Array.isArray(v)) &&
      after.every((v) => !isObject(v) && !Array.isArray(v))
    ) {
      // A list of scalars (verbs, args, CIDRs) reads best as one before/after value.
      if (!deepEqual(before, after)) out.push({ path, op: 'changed', before, after });
      return;
    }
    const length = Math.max(before.length, after.length);
    for (let i = 0; i < length; i++) diffValues([...path, { index: i }], before[i], after[i], out);
    return;
  }
  const id = (item: Json) => String((item as Record<string, Json>)[key]);
  const beforeById = new Map(before.map((item) => [id(item), item]));
  const afterIds = new Set(after.map(id));
  for (const item of before) {
    if (!afterIds.has(id(item))) out.push({ path: [...path, { match: [key, id(item)] }], op: 'removed', before: item });
  }
  for (const item of after) {
    diffValues([...path, { match: [key, id(item)] }], beforeById.get(id(item)), item, out);
  }
}

function diffValues(path: PathSegment[], before: Json | undefined, after: Json | undefined, out: FieldChange[]): void {
  if (before === undefined && after === undefined) return;
  if (before === undefined) {
    out.push({ path, op: 'added', after: after! });
    return;
  }
  if (after === undefined) {
    out.push({ path, op: 'removed', before });
    return;
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    for (const k of keys) diffValues([...path, { key: k }], before[k], after[k], out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    diffLists(path, before, after, out);
    return;
  }
  if (!deepEqual(before, after)) out.push({ path, op: 'changed', before, after });
}

/** Every field-level change from `before` to `after`, in document order of `after`. */
export function diffFields(before: Json, after: Json): FieldChange[] {
  const out: FieldChange[] = [];
  diffValues([], before, after, out);
  return out;
}
