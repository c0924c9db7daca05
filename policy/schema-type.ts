/**
 * The keywords that say which values a schema node admits at all: `type` (a failure
 * ends the node's checks) and `enum` (compared as JSON text, as before).
 */
import type { Schema, Walk } from './schema-walk';
import { article, show } from './schema-wording';

/** The JSON-schema type name of a value. */
export function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

type Predicate = (value: unknown) => boolean;

/** A test of `typeOf(value)` against the admitted names; the common single types skip the name. */
function admits(names: ReadonlySet<string>): Predicate {
  const only = names.size === 1 ? [...names][0] : undefined;
  if (only === 'string') return (v) => typeof v === 'string';
  if (only === 'boolean') return (v) => typeof v === 'boolean';
  if (only === 'integer') return (v) => typeof v === 'number' && Number.isInteger(v);
  if (only === 'array') return (v) => Array.isArray(v);
  if (only === 'object') return (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (names.size === 2 && names.has('number') && names.has('integer')) return (v) => typeof v === 'number';
  return (v) => names.has(typeOf(v));
}

/** `type`: returns false (after reporting) when the value has none of the types. */
export function typeCheck(schema: Schema): ((data: unknown, walk: Walk) => boolean) | undefined {
  const types: unknown[] = Array.isArray(schema.type)
    ? schema.type
    : typeof schema.type === 'string'
      ? [schema.type]
      : [];
  if (types.length === 0) return undefined;
  const names = new Set<string>();
  for (const t of types) {
    if (typeof t !== 'string') continue;
    names.add(t);
    if (t === 'number') names.add('integer');
  }
  const matches = admits(names);
  const want = types.filter((t) => t !== 'null').join(' or ');
  const fix = `change the value to ${article(want)}`;
  return (data, walk) => {
    if (matches(data)) return true;
    if (walk.reports()) walk.problem(`must be ${want}, got ${show(data)}`, fix);
    return false;
  };
}

/** `enum`: the value's JSON text must be one of the values' (strings are looked up as they are first). */
export function enumCheck(schema: Schema): ((data: unknown, walk: Walk) => void) | undefined {
  if (!Array.isArray(schema.enum)) return undefined;
  const values: unknown[] = schema.enum;
  const strings = new Set<unknown>();
  const texts = new Set<string | undefined>();
  values.forEach((e) => {
    if (typeof e === 'string') strings.add(e);
    texts.add(JSON.stringify(e));
  });
  const allowed = values.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join(', ');
  return (data, walk) => {
    if (typeof data === 'string' && strings.has(data)) return;
    if (texts.has(JSON.stringify(data))) return;
    if (walk.reports())
      walk.problem(`${show(data)} is not allowed (allowed: ${allowed})`, 'use one of the allowed values');
  };
}
