/**
 * Reading parsed YAML safely: narrowing unknown values and walking field paths.
 * A leaf module (it imports only the manifest core's types), so the schema interpreter and the
 * manifest reader can both use it without an import cycle.
 */

import type { PathSegment } from '../config/manifest/object';

/** A step of a field path: a key of an object or an index of a list (the manifest core's). */
export type { PathSegment };

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asObject(value: unknown): Record<string, unknown> {
  return isObject(value) ? value : {};
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Any value as text for a message or a lookup key. `String()` throws on an object whose
 * `toString` is not a function (`{"toString": false}` is valid JSON), so the gate never
 * calls it on what a manifest holds: objects and lists are shown as JSON.
 */
export function shown(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return String(value);
  return JSON.stringify(value);
}

export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(asObject(value))) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Reads a nested value by path. */
export function getPath(value: unknown, path: readonly PathSegment[]): unknown {
  let node = value;
  for (const segment of path) {
    if (Array.isArray(node) && typeof segment === 'number') node = node[segment];
    else if (isObject(node) && typeof segment === 'string') node = node[segment];
    else return undefined;
  }
  return node;
}

/**
 * A list of objects: each element narrowed with asObject. Unlike `asArray(v).map(asObject)`,
 * holes of a sparse array (`delete list[0]`) become `{}` instead of staying holes.
 */
export function asObjects(value: unknown): Record<string, unknown>[] {
  return Array.from(asArray(value), asObject);
}
