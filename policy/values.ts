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

/**
 * The string entries of a map (labels, annotations, a selector). A plain object whose
 * values are all strings, which is what every object of a rendered set holds, is returned
 * as it is: copying every map of 100,000 objects was most of what reading metadata cost.
 * Callers only read the result.
 */
export function stringMap(value: unknown): Readonly<Record<string, string>> {
  if (!isObject(value)) return {};
  if (isPlainStringMap(value)) return value as Record<string, string>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

/**
 * Every own enumerable value is a string, nothing is inherited, and the copy would hold
 * the same keys (`__proto__` set on a fresh object changes its prototype instead).
 */
function isPlainStringMap(value: Record<string, unknown>): boolean {
  if (Object.getPrototypeOf(value) !== Object.prototype || Object.hasOwn(value, '__proto__')) return false;
  for (const key in value) if (typeof value[key] !== 'string') return false;
  return true;
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
  const list = asArray(value);
  // A plain loop: Array.from with a map function cost several times as much.
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < list.length; i++) out.push(asObject(list[i]));
  return out;
}
