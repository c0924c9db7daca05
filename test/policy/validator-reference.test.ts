/**
 * Differential test of the compiled schema validator (policy/validator.ts) against the
 * interpreter it replaced (test/policy/reference-validator.ts, kept as the reference):
 * the same problems in the same order, with the same paths, messages, fixes and
 * unknown-field flags. Over every committed dist object, objects damaged at random,
 * values drawn from every schema the gate uses, and random schemas.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { closedCrdSchema, crdVersionsOf, SchemaStore, type CrdVersionSchema } from '../../policy/schemas';
import { groupVersion, loadManifests } from '../../policy/manifests';
import { codePoints } from '../../policy/schema-scalars';
import { SchemaValidator, SPECIAL, type Schema, type SchemaProblem } from '../../policy/validator';
import { ReferenceSchemaValidator } from './reference-validator';
import { instanceOf, mixedText, paths, seeded, wildValue } from './schema-instances';
import { TEST_SCHEMAS } from './fixtures';
import { REPO_ROOT } from '../support/environments';

const store = new SchemaStore(TEST_SCHEMAS);
const resolverOf = (minor: string) =>
  (store as unknown as { resolver(m: string): (ref: string) => Schema | undefined }).resolver(minor);

/** A kind the gate validates: its root schema and name, as SchemaStore builds them. */
interface Target {
  readonly key: string;
  readonly minor: string;
  readonly root: Schema;
  readonly name: string;
  /** The production path: SchemaStore's validator (compiled). */
  readonly validate: (object: unknown) => SchemaProblem[];
}

function builtinTarget(minor: string, group: string, version: string, kind: string): Target | undefined {
  const definition = store.gvkIndex(minor).get(`${group}/${version}/${kind}`);
  const validate = store.builtinValidator(minor, group, version, kind);
  if (!definition || !validate) return undefined;
  const name = `Kubernetes ${minor} ${group ? `${group}/` : ''}${version} ${kind}`;
  return { key: `${group}/${version}/${kind}`, minor, root: { $ref: `#/definitions/${definition}` }, name, validate };
}

function crdTarget(minor: string, crd: CrdVersionSchema): Target | undefined {
  const validate = store.crdValidator(minor, crd);
  if (!crd.schema || !validate) return undefined;
  const name = `the ${crd.group}/${crd.version} ${crd.kind} CRD schema`;
  return { key: `${crd.group}/${crd.version}/${crd.kind}`, minor, root: closedCrdSchema(crd.schema), name, validate };
}

const references = new Map<string, ReferenceSchemaValidator>();
function reference(target: Target): ReferenceSchemaValidator {
  const id = `${target.minor}:${target.key}`;
  let validator = references.get(id);
  if (!validator) {
    validator = new ReferenceSchemaValidator(resolverOf(target.minor), target.name);
    references.set(id, validator);
  }
  return validator;
}

/** Both verdicts on one value; returns how many problems they found. */
function compare(target: Target, object: unknown): number {
  const expected = reference(target).validate(target.root, object);
  expect({ kind: target.key, problems: target.validate(object) }).toEqual({ kind: target.key, problems: expected });
  return expected.length;
}

/** Every object of every committed dist folder, with the kind it validates against. */
function distObjects(): { target: Target; object: Record<string, unknown> }[] {
  const out: { target: Target; object: Record<string, unknown> }[] = [];
  const dist = join(REPO_ROOT, 'dist');
  for (const stack of readdirSync(dist)) {
    const manifests = loadManifests([join(dist, stack)]);
    const index = JSON.parse(readFileSync(join(dist, stack, 'index.json'), 'utf8')) as { kubernetesVersion: string };
    const minor = index.kubernetesVersion;
    const inSet = new Map<string, CrdVersionSchema>();
    for (const m of manifests)
      for (const v of crdVersionsOf(m.object, m.file)) inSet.set(`${v.group}/${v.version}/${v.kind}`, v);
    for (const { object } of manifests) {
      const { group, version } = groupVersion(String(object.apiVersion));
      const kind = String(object.kind);
      const crd = inSet.get(`${group}/${version}/${kind}`) ?? store.crd(group, version, kind);
      const target = builtinTarget(minor, group, version, kind) ?? (crd ? crdTarget(minor, crd) : undefined);
      if (target) out.push({ target, object });
    }
  }
  return out;
}

/** Damages a copy of `object` at `count` random places: replaced values, nulls, deleted fields, added fields. */
function damaged(object: Record<string, unknown>, seed: number, count: number): Record<string, unknown> {
  const r = seeded(seed);
  const copy = structuredClone(object);
  for (let i = 0; i < count; i++) {
    const all = paths(copy);
    if (all.length === 0) break; // every field deleted already: nothing left to damage
    const path = all[Math.floor(r() * all.length)]!;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let node: any = copy;
    for (const segment of path.slice(0, -1)) node = node[segment];
    const last = path[path.length - 1]!;
    const how = r();
    if (how < 0.15 && !Array.isArray(node)) delete node[last];
    else if (how < 0.3 && node[last] && typeof node[last] === 'object' && !Array.isArray(node[last])) {
      const key = ['x', 'constructor', 'toString', 'exact', 'prefix', 'regex', 'cpu', 'name'][Math.floor(r() * 8)]!;
      node[last][key] = r() < 0.5 ? 'a' : wildValue(r);
    } else node[last] = wildValue(r);
  }
  return copy;
}

describe('compiled schema validator vs the reference interpreter', () => {
  const objects = distObjects();

  it('agrees on every object of every committed dist folder', () => {
    expect(objects.length).toBeGreaterThan(200);
    for (const { target, object } of objects) compare(target, object);
  });

  it('agrees on dist objects damaged at random', () => {
    let problems = 0;
    fc.assert(
      fc.property(fc.nat(objects.length - 1), fc.integer(), fc.integer({ min: 1, max: 4 }), (i, seed, count) => {
        const { target, object } = objects[i]!;
        problems += compare(target, damaged(object, seed, count));
      }),
      { numRuns: 600 },
    );
    expect(problems).toBeGreaterThan(300);
  });

  it('agrees on values drawn from every kind the dist uses and every CRD version, now and then wrong', () => {
    const minor = objects[0]!.target.minor;
    const targets = new Map(objects.map(({ target }) => [`${target.minor}:${target.key}`, target]));
    for (const crd of store.crds().values()) {
      const target = crdTarget(minor, crd);
      if (target) targets.set(`${minor}:${target.key}`, target);
    }
    const all = [...targets.values()];
    let problems = 0;
    let clean = 0;
    fc.assert(
      fc.property(fc.nat(all.length - 1), fc.integer(), fc.constantFrom(0, 0.02, 0.1), (i, seed, wild) => {
        const target = all[i]!;
        const found = compare(target, instanceOf(target.root, resolverOf(target.minor), seed, wild));
        problems += found;
        if (found === 0) clean++;
      }),
      { numRuns: 1500 },
    );
    expect(problems).toBeGreaterThan(1000);
    expect(clean).toBeGreaterThan(0);
  });

  it('agrees on values drawn from every CRD sub-schema with anyOf, oneOf or not', () => {
    const minor = objects[0]!.target.minor;
    const nodes = [...store.crds().values()].flatMap((crd) =>
      crd.schema ? combinatorNodes(closedCrdSchema(crd.schema)).map((node) => ({ crd, node })) : [],
    );
    expect(nodes.length).toBeGreaterThan(50);
    let exclusive = 0;
    fc.assert(
      fc.property(fc.nat(nodes.length - 1), fc.integer(), fc.constantFrom(0, 0.05), (i, seed, wild) => {
        const { crd, node } = nodes[i]!;
        const compiled = new SchemaValidator(resolverOf(minor), crdTarget(minor, crd)!.name);
        const target = { ...crdTarget(minor, crd)!, root: node, validate: (o: unknown) => compiled.validate(node, o) };
        const value = instanceOf(node, resolverOf(minor), seed, wild);
        compare(target, value);
        const problems = reference(target).validate(node, value);
        exclusive += problems.filter((p) => p.message.includes('exactly one is allowed (oneOf)')).length;
      }),
      { numRuns: 1500 },
    );
    // Istio's "one of exact, prefix, regex": values that set two of them are among those compared.
    expect(exclusive).toBeGreaterThan(20);
  });
});

/** The sub-schemas (through properties, items, additionalProperties) that have anyOf, oneOf or not. */
function combinatorNodes(schema: unknown, out: Schema[] = []): Schema[] {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return out;
  const node = schema as Schema;
  if (node.anyOf || node.oneOf || node.not) out.push(node);
  const properties = node.properties && typeof node.properties === 'object' ? Object.values(node.properties) : [];
  for (const child of [...properties, node.items, node.additionalProperties]) combinatorNodes(child, out);
  return out;
}

// ---------------------------------------------------------------------------
// Random schemas: every keyword, their interplay, and the odd cases
// ---------------------------------------------------------------------------

const KEYS = ['a', 'b', 'c', 'constructor', 'toString'] as const;

const { schema: randomSchema } = fc.letrec<{ schema: Schema }>((tie) => ({
  schema: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'schema' },
    fc.constant({}),
    fc.record(
      {
        type: fc.oneof(
          fc.constantFrom('string', 'integer', 'number', 'boolean', 'object', 'array', 'null', 'bogus'),
          fc.subarray(['string', 'integer', 'number', 'null', 'object', 'array', 'boolean']),
        ),
        enum: fc.array(
          fc.oneof(
            fc.constantFrom('a', 'B', '😀', 'constructor'),
            fc.integer({ min: -2, max: 2 }),
            fc.constant(null),
            fc.constant({ a: 1 }),
          ),
          { maxLength: 4 },
        ),
        minLength: fc.integer({ min: 0, max: 5 }),
        maxLength: fc.integer({ min: 0, max: 5 }),
        pattern: fc.constantFrom('^[a-z]+$', '(?i)^ab', '^\\d+$', '[', '^\\p{L}*$', '^.{2}$'),
        format: fc.constantFrom('date-time', 'byte', 'int32', 'other'),
        minimum: fc.integer({ min: -3, max: 3 }),
        maximum: fc.integer({ min: -3, max: 3 }),
        exclusiveMinimum: fc.boolean(),
        exclusiveMaximum: fc.boolean(),
        minItems: fc.nat(3),
        maxItems: fc.nat(3),
        minProperties: fc.nat(3),
        maxProperties: fc.nat(3),
        items: tie('schema'),
        properties: fc.dictionary(fc.constantFrom(...KEYS), tie('schema'), { maxKeys: 3 }),
        additionalProperties: fc.oneof(fc.boolean(), tie('schema')),
        required: fc.subarray(['a', 'b', 'd', 'constructor']),
        allOf: fc.array(tie('schema'), { maxLength: 2 }),
        anyOf: fc.array(tie('schema'), { maxLength: 3 }),
        oneOf: fc.array(tie('schema'), { maxLength: 3 }),
        not: fc.oneof(tie('schema'), fc.constant(true)),
        $ref: fc.constantFrom(
          '#/definitions/A',
          '#/definitions/Self',
          '#/definitions/Loop',
          '#/definitions/Chain0',
          '#/definitions/Missing',
        ),
        [SPECIAL]: fc.constantFrom('a quantity', ''),
      },
      { requiredKeys: [] },
    ),
  ),
}));

/** Chain0 → Chain1 → … → Chain39: each link allows only its own number, so the hop where following stops shows. */
const CHAIN: Record<string, Schema> = Object.fromEntries(
  Array.from({ length: 40 }, (_, i) => [`Chain${i}`, { $ref: `#/definitions/Chain${i + 1}`, enum: [i] }]),
);

const { value: randomValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'value' },
    fc.constantFrom(null, undefined, true, false, 0, -1, 0.5, 3, 2 ** 31, -(2 ** 31) - 1, Number.NaN),
    fc.constantFrom('', 'a', 'ab', 'AB', '12', 'abcdef', '😀😀😀', 'a\ud800', '2026-01-31T12:00:00Z', 'aGk='),
    fc.integer({ min: 0, max: 8 }).map((n) => mixedText(seeded(n), n)),
    fc.constantFrom(JSON.parse('{"__proto__": "own", "a": 1}') as unknown, { a: 1 }, [1], { a: null }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...KEYS, 'x'), tie('value'), { maxKeys: 4 }),
  ),
}));

/** The result, or undefined when the call overflowed the stack. */
function overflowing<T>(call: () => T): T | undefined {
  try {
    return call();
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

describe('compiled schema validator vs the reference interpreter on random schemas', () => {
  it('agrees on every keyword and combination (refs: resolved, recursive, a 32-hop loop, unresolvable)', () => {
    let problems = 0;
    fc.assert(
      fc.property(randomSchema, randomSchema, randomValue, (schema, a, data) => {
        const defs: Record<string, Schema> = {
          A: a,
          Self: { type: 'object', properties: { a: { $ref: '#/definitions/Self' }, b: schema } },
          Loop: { $ref: '#/definitions/Loop', type: 'string' },
          ...CHAIN,
        };
        const resolve = (ref: string) => defs[ref.replace('#/definitions/', '')];
        const compiled = new SchemaValidator(resolve, 'the test schema');
        const expected = overflowing(() =>
          new ReferenceSchemaValidator(resolve, 'the test schema').validate(schema, data),
        );
        // A cycle that never descends into the data (A: allOf [A]) overflowed the stack; the
        // compiled validator may stop earlier inside a probe that already failed.
        if (expected === undefined) return;
        expect(compiled.validate(schema, data)).toEqual(expected);
        // Again with the nodes already compiled.
        expect(compiled.validate(schema, data)).toEqual(expected);
        problems += expected.length;
      }),
      { numRuns: 3000 },
    );
    expect(problems).toBeGreaterThan(1000);
  });

  it('agrees on string lengths in code points (astral characters, lone surrogates)', () => {
    const text = fc.oneof(
      fc.integer({ min: 0, max: 12 }).chain((n) => fc.integer().map((seed) => mixedText(seeded(seed), n))),
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.constantFrom('\ud800\ud800', '\udc00\ud800', 'a\ud83d'),
    );
    const bound = fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined });
    fc.assert(
      fc.property(text, bound, bound, (data, minLength, maxLength) => {
        const schema: Schema = { type: 'string', ...(minLength === undefined ? {} : { minLength }), maxLength };
        const expected = new ReferenceSchemaValidator(() => undefined, 'x').validate(schema, data);
        expect(new SchemaValidator(() => undefined, 'x').validate(schema, data)).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('counts code points as [...text].length does, lone surrogates included', () => {
    const unit = fc.integer({ min: 0xd780, max: 0xe080 }).map((c) => String.fromCharCode(c));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit })), (text) => {
        expect(codePoints(text)).toBe([...text].length);
      }),
      { numRuns: 2000 },
    );
  });
});
