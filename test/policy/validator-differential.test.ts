/**
 * Differential test of the gate's schema interpreter against ajv (a reference
 * JSON-schema implementation) on the same closed schemas: objects of the platform
 * damaged at random must get the same verdict from both. `null` is excluded: the
 * interpreter treats it as unset, like the API server, where JSON schema rejects it.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { closedCrdSchema, SchemaStore } from '../../policy';
import { goRegExp, type Schema } from '../../policy/validator';
import { platform, TEST_SCHEMAS, type Obj } from './fixtures';
import { paths } from './schema-instances';
import { stackSpec } from '../support/environments';

const MINOR = '1.31';
const store = new SchemaStore(TEST_SCHEMAS);

function referenceValidator(): (key: string, object: Obj) => boolean {
  const resolve = (store as unknown as { resolver(m: string): (ref: string) => Schema | undefined }).resolver(MINOR);
  const definitions = Object.fromEntries(
    Object.keys(store.definitions(MINOR)).map((name) => [name, resolve(`#/definitions/${name}`)]),
  );
  const ajv = new Ajv({
    strict: false,
    logger: false,
    code: { regExp: Object.assign((p: string, f: string) => goRegExp(p) ?? new RegExp('', f), { code: 'goRegExp' }) },
  });
  addFormats(ajv, ['date-time', 'int32', 'byte']);
  ajv.addSchema({ $id: 'k8s', definitions });
  const toK8s = (n: unknown): unknown =>
    Array.isArray(n)
      ? n.map(toK8s)
      : n && typeof n === 'object'
        ? Object.fromEntries(
            Object.entries(n).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? `k8s${v}` : toK8s(v)]),
          )
        : n;
  const compiled = new Map<string, ValidateFunction>();
  return (key, object) => {
    let validate = compiled.get(key);
    if (!validate) {
      const builtin = store.gvkIndex(MINOR).get(key);
      validate = builtin
        ? ajv.compile({ $ref: `k8s#/definitions/${builtin}` })
        : ajv.compile(toK8s(closedCrdSchema(store.crds().get(key)!.schema!)) as object);
      compiled.set(key, validate);
    }
    return validate(object) as boolean;
  };
}

const keyOf = (o: Obj) => {
  const [group, version] = String(o.apiVersion).includes('/')
    ? String(o.apiVersion).split('/')
    : ['', String(o.apiVersion)];
  return `${group}/${version}/${String(o.kind)}`;
};

function ours(key: string, object: Obj): boolean {
  const [group, version, kind] = key.split('/') as [string, string, string];
  const builtin = store.builtinValidator(MINOR, group, version, kind);
  const validate = builtin ?? store.crdValidator(MINOR, store.crds().get(key)!)!;
  return validate(object).length === 0;
}

describe('schema interpreter vs ajv', () => {
  const objects = platform(stackSpec('staging'));
  const reference = referenceValidator();

  it('agrees on every object of the compliant platform', () => {
    for (const o of objects) expect([keyOf(o), ours(keyOf(o), o)]).toEqual([keyOf(o), reference(keyOf(o), o)]);
  });

  it('agrees on randomly damaged objects (built-in kinds and CRDs)', () => {
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant({}),
      fc.constant([]),
      fc.dictionary(fc.constantFrom('x', 'name', 'cpu', 'port'), fc.string()),
    );
    fc.assert(
      fc.property(fc.nat(objects.length - 1), fc.nat(), value, fc.boolean(), (i, pick, v, addKey) => {
        const o = structuredClone(objects[i]!);
        const key = keyOf(o);
        const all = paths(o).filter((p) => !['apiVersion', 'kind'].includes(String(p[0])));
        const path = all[pick % all.length]!;
        let node = o;
        for (const segment of path.slice(0, -1)) node = node[segment];
        const last = path[path.length - 1]!;
        if (addKey && node && typeof node === 'object' && !Array.isArray(node)) node[`x${String(last)}`] = v;
        else node[last] = v;
        expect(ours(key, o)).toBe(reference(key, o));
      }),
      { numRuns: 400 },
    );
  });
});
