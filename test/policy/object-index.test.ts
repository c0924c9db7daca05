/**
 * The per-run object index (policy/rules/object-index.ts) against the scans it replaced:
 * for any set of objects, including kinds that are not strings and kinds, namespaces and
 * names holding `/` (where two objects can share one `namespace/Kind/name` key), each
 * lookup answers exactly what the scan of the whole set answered.
 */
import fc from 'fast-check';
import { effectiveNamespace, metadataOf, withMetadataMemo } from '../../policy/manifests';
import { inNamespace, objectAt, ofKind, ofKinds } from '../../policy/rules/object-index';
import type { GateContext, K8sObject, Manifest } from '../../policy/types';
import { shown, stringMap } from '../../policy/values';

const STRING_KINDS = ['Role', 'Service', 'a/b', 'b', 'Role/x'];
const KINDS: readonly unknown[] = [...STRING_KINDS, 7];
const NAMES = ['x', 'y', 'x/y', 'b/x', 'a', ''] as const;
const NAMESPACES = [undefined, 'default', 'a', 'a/b', 'x', ''] as const;

const object = fc.record({
  kind: fc.constantFrom(...KINDS),
  name: fc.constantFrom(...NAMES),
  namespace: fc.constantFrom(...NAMESPACES),
});

function manifestsOf(specs: { kind: unknown; name: string; namespace: string | undefined }[]): Manifest[] {
  return specs.map((s, document) => ({
    object: {
      apiVersion: 'v1',
      kind: s.kind,
      metadata: { name: s.name, ...(s.namespace === undefined ? {} : { namespace: s.namespace }) },
    } as K8sObject,
    file: 'set.yaml',
    document,
  }));
}

const contextOf = (manifests: Manifest[]) =>
  ({ manifests, kubernetesVersion: '', notes: [] }) as unknown as GateContext;

/** The key lookup the reference rules made before the index. */
function scannedAt(manifests: Manifest[], namespace: string | undefined, kind: string, name: string) {
  const key = (ns: string | undefined, k: string, n: string) => `${effectiveNamespace(ns)}/${k}/${n}`;
  const byKey = new Map<string, Manifest>();
  for (const m of manifests) {
    const meta = metadataOf(m.object);
    byKey.set(key(meta.namespace, shown(m.object.kind), meta.name), m);
  }
  return byKey.get(key(namespace, kind, name));
}

describe('the object index', () => {
  it('finds what the scan of the set found, for every lookup', () => {
    fc.assert(
      fc.property(
        fc.array(object, { maxLength: 12 }),
        fc.array(
          fc.record({
            namespace: fc.constantFrom(...NAMESPACES),
            kind: fc.constantFrom(...STRING_KINDS),
            name: fc.constantFrom(...NAMES),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        (specs, lookups) =>
          withMetadataMemo(() => {
            const manifests = manifestsOf(specs);
            const ctx = contextOf(manifests);
            for (const { namespace, kind, name } of lookups) {
              expect(objectAt(ctx, namespace, kind, name)).toBe(scannedAt(manifests, namespace, kind, name));
            }
          }),
      ),
    );
  });

  it('lists the objects of kinds, and of a kind in a namespace, in set order', () => {
    fc.assert(
      fc.property(fc.array(object, { maxLength: 12 }), fc.subarray(['Role', 'Service', 'b', 'a/b']), (specs, kinds) =>
        withMetadataMemo(() => {
          const manifests = manifestsOf(specs);
          const ctx = contextOf(manifests);
          expect(ofKinds(ctx, kinds)).toEqual(manifests.filter((m) => kinds.includes(m.object.kind as string)));
          for (const kind of kinds) {
            expect(ofKind(ctx, kind)).toEqual(manifests.filter((m) => m.object.kind === kind));
            for (const ns of ['a', 'default', 'a/b']) {
              const scanned = manifests.filter((m) => m.object.kind === kind && metadataOf(m.object).namespace === ns);
              expect(inNamespace(ctx, kind, ns)).toEqual(scanned);
            }
          }
        }),
      ),
    );
  });
});

describe('stringMap', () => {
  /** What stringMap returned before it passed plain string maps through: a copy of the string entries. */
  function copied(value: unknown): Record<string, string> {
    const out: Record<string, string> = {};
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return out;
    for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
    return out;
  }

  it('holds the same entries, in the same order, as the copy', () => {
    const withProto = JSON.parse('{"__proto__": "x", "a": "b"}') as unknown;
    const noPrototype = Object.assign(Object.create(null) as object, { a: 'b' });
    for (const value of [{ a: 'b', c: 'd' }, { a: 1, b: 'c' }, [], ['a'], null, 'text', withProto, noPrototype, {}]) {
      const read = stringMap(value);
      expect(Object.entries(read)).toEqual(Object.entries(copied(value)));
      expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
    }
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.constant(null))), (value) => {
        expect(Object.entries(stringMap(value))).toEqual(Object.entries(copied(value)));
      }),
    );
  });
});
