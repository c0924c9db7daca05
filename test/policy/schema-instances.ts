/**
 * Values drawn from a schema, mostly valid and now and then wrong on purpose (wrong
 * types, unknown fields, nulls, missing required fields, enum misses, strings around
 * their length bounds with astral-plane characters, numbers outside int32), so that a
 * differential test sees every keyword of real Kubernetes and CRD schemas both pass
 * and fail. Deterministic for a seed; no shrinking (a failure names its seed).
 */
import type { Schema } from '../../policy/validator';

type Random = () => number;

/** mulberry32: a small seeded generator. */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: Random, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
const isObj = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Text of `count` code points, astral (two UTF-16 units) at random, so units and code points differ. */
export function mixedText(r: Random, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += r() < 0.3 ? pick(r, ['😀', '𝔘', '𠀀']) : pick(r, ['a', 'é', '-', '0']);
  return out;
}

/** A value that is wrong for most schemas. */
export function wildValue(r: Random): unknown {
  const choices: (() => unknown)[] = [
    () => null,
    () => pick(r, ['', 'Bogus', 'x'.repeat(300), '\ud800', 'a\udc00b', '2026-13-01', '@@@']),
    () => mixedText(r, Math.floor(r() * 80)),
    () => pick(r, [0, -1, 0.5, 2 ** 31, -(2 ** 31) - 1, 1e21, Number.NaN, Number.POSITIVE_INFINITY]),
    () => r() < 0.5,
    () => ({}),
    () => [],
    () => ({ x: 1, constructor: 'c' }),
    () => [null, 'a', 1],
  ];
  return pick(r, choices)();
}

interface Context {
  readonly r: Random;
  readonly resolve: (ref: string) => Schema | undefined;
  /** Chance that a node gets a wild value instead of one drawn from its schema. */
  readonly wild: number;
}

function follow(schema: Schema, ctx: Context): Schema | undefined {
  let node: Schema | undefined = schema;
  for (let hops = 0; node && typeof node.$ref === 'string' && hops < 32; hops++) node = ctx.resolve(node.$ref);
  return node;
}

function numberFor(schema: Schema, r: Random): number {
  const bounds = [schema.minimum, schema.maximum].filter((b): b is number => typeof b === 'number');
  const near = bounds.length > 0 ? pick(r, bounds) + pick(r, [-1, 0, 1]) : Math.floor(r() * 200) - 20;
  if (schema.format === 'int32' && r() < 0.2) return pick(r, [2 ** 31, -(2 ** 31) - 1]);
  return schema.type === 'number' && r() < 0.3 ? near + 0.5 : near;
}

function stringFor(schema: Schema, r: Random): string {
  const bounds = [schema.minLength, schema.maxLength].filter((b): b is number => typeof b === 'number');
  if (bounds.length > 0 && r() < 0.6) return mixedText(r, Math.max(0, pick(r, bounds) + pick(r, [-1, 0, 1])));
  if (schema.format === 'date-time') return pick(r, ['2026-01-31T12:00:00Z', '2026-01-31 12:00:00+01:00', 'soon']);
  if (schema.format === 'byte') return pick(r, ['aGVsbG8=', 'not base64!', '']);
  return pick(r, ['a', 'web', '80', '500m', '1Gi', 'http', 'TCP', 'Always', 'tenant-a', 'x.y/z', '']);
}

/** The fields the `required` lists of anyOf/oneOf/not branches name (one level deep). */
function combinatorFields(schema: Schema): string[] {
  const branches = [schema.anyOf, schema.oneOf, [schema.not]].flatMap((b) => (Array.isArray(b) ? b : []));
  const nested = branches.flatMap((b) => (isObj(b) && Array.isArray(b.anyOf) ? b.anyOf : []));
  return [...branches, ...nested].flatMap((b) => (isObj(b) && Array.isArray(b.required) ? b.required : []));
}

function objectFor(schema: Schema, ctx: Context, depth: number): Record<string, unknown> {
  const { r } = ctx;
  const out: Record<string, unknown> = {};
  const properties = isObj(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  for (const [key, child] of Object.entries(properties)) {
    const chance = required.has(key) ? 0.9 : depth < 3 ? 0.35 : 0.12;
    if (r() < chance) out[key] = valueFor(child, ctx, depth + 1);
  }
  if (isObj(schema.additionalProperties)) {
    for (let i = Math.floor(r() * 3); i > 0; i--) out[`k${i}`] = valueFor(schema.additionalProperties, ctx, depth + 1);
  }
  // Fields the combinators name (Istio's "one of exact, prefix, regex"): set one or two of them.
  for (const key of combinatorFields(schema)) {
    if (r() < 0.4 && key in properties) out[key] = valueFor(properties[key], ctx, depth + 1);
  }
  if (r() < ctx.wild) out[pick(r, ['x', 'constructor', 'toString', 'exact', 'prefix', 'regex'])] = wildValue(r);
  return out;
}

function arrayFor(schema: Schema, ctx: Context, depth: number): unknown[] {
  const bounds = [schema.minItems, schema.maxItems].filter((b): b is number => typeof b === 'number');
  const count = bounds.length > 0 && ctx.r() < 0.5 ? Math.max(0, pick(ctx.r, bounds) + pick(ctx.r, [-1, 0, 1])) : 2;
  return Array.from({ length: Math.min(count, 4) }, () => valueFor(schema.items, ctx, depth + 1));
}

/** A value for `schema` (a `$ref` is followed), wrong here and there. */
export function valueFor(schemaIn: unknown, ctx: Context, depth = 0): unknown {
  const { r } = ctx;
  const schema = isObj(schemaIn) ? follow(schemaIn, ctx) : undefined;
  if (!schema || r() < ctx.wild || depth > 9) return wildValue(r);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return r() < 0.9 ? pick(r, schema.enum) : 'NotInTheEnum';
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const type = pick(
    r,
    types.filter((t) => t !== 'null'),
  );
  if (Array.isArray(schema.anyOf) && type === undefined) return valueFor(pick(r, schema.anyOf), ctx, depth);
  if (type === 'object' || (type === undefined && isObj(schema.properties))) return objectFor(schema, ctx, depth);
  if (type === 'array' || (type === undefined && isObj(schema.items))) return arrayFor(schema, ctx, depth);
  if (type === 'string') return stringFor(schema, r);
  if (type === 'integer' || type === 'number') return numberFor(schema, r);
  if (type === 'boolean') return r() < 0.5;
  return wildValue(r);
}

/** A value for the schema with wild values at `wild` of its nodes. */
export function instanceOf(
  schema: Schema,
  resolve: (ref: string) => Schema | undefined,
  seed: number,
  wild: number,
): unknown {
  return valueFor(schema, { r: seeded(seed), resolve, wild });
}

/** Every path into a value (objects and lists), the root excluded: where a test may damage it. */
export function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  if (prefix.length > 0) out.push(prefix);
  return out;
}
