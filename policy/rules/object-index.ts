/**
 * The objects of a gate run, indexed once per run: by kind, and for the kinds a rule asks
 * about, by namespace and by name. A rule about one kind reads that kind's objects instead
 * of scanning the set; at 10,000 tenants the set holds 100,000 objects, and each of some
 * twenty scans (plus the string keys built for every object) cost tens of milliseconds.
 */
import { effectiveNamespace, metadataNamespace, metadataOf } from '../manifests';
import { perRun } from '../rule';
import type { GateContext, Manifest } from '../types';
import { asObject, shown } from '../values';

interface ObjectIndex {
  /** `kind` as written (a string for every valid object) → its objects, in set order. */
  readonly byKind: Map<unknown, Manifest[]>;
  /** `kind` → the positions of its objects in the set (to merge kinds in set order). */
  readonly positions: Map<unknown, number[]>;
  /** `ofKinds` answers by their kinds joined with NUL. */
  readonly merged: Map<string, readonly Manifest[]>;
  /** Per kind, built on first use: `metadata.namespace` → objects, in set order. */
  readonly byNamespace: Map<string, Map<string, Manifest[]>>;
  /** Per kind, built on first use: `<namespace as placed>/<name>` → object. */
  readonly byName: Map<string, Map<string, Manifest>>;
  /** Built only when `exact` is: every object by `objectKey`. */
  byKey?: Map<string, Manifest>;
  /**
   * A kind that is not a string, or a kind or namespace holding `/`, can make two different
   * objects share one `objectKey`; such a set is looked up by that key, as it always was.
   */
  readonly irregular: boolean;
}

const objectIndex = perRun((ctx): ObjectIndex => {
  const byKind = new Map<unknown, Manifest[]>();
  const positions = new Map<unknown, number[]>();
  let irregular = false;
  ctx.manifests.forEach((m, i) => {
    const list = byKind.get(m.object.kind);
    if (list) {
      list.push(m);
      positions.get(m.object.kind)!.push(i);
    } else {
      byKind.set(m.object.kind, [m]);
      positions.set(m.object.kind, [i]);
    }
    const ns = asObject(m.object.metadata).namespace;
    if (typeof ns === 'string' && ns.includes('/')) irregular = true;
  });
  for (const kind of byKind.keys()) if (typeof kind !== 'string' || kind.includes('/')) irregular = true;
  return { byKind, positions, merged: new Map(), byNamespace: new Map(), byName: new Map(), irregular };
});

const NONE: readonly Manifest[] = [];

/** The objects of `kind`, in set order. */
export function ofKind(ctx: GateContext, kind: string): readonly Manifest[] {
  return objectIndex(ctx).byKind.get(kind) ?? NONE;
}

/** The objects of any of `kinds`, in set order (merged once per run and list of kinds). */
export function ofKinds(ctx: GateContext, kinds: readonly string[]): readonly Manifest[] {
  const index = objectIndex(ctx);
  const key = kinds.join('\u0000');
  let merged = index.merged.get(key);
  if (!merged) {
    const present = [...new Set(kinds)].filter((kind) => index.byKind.has(kind));
    const at = present.map((kind) => index.positions.get(kind)!).reduce(mergeSorted, []);
    merged = present.length === 1 ? index.byKind.get(present[0])! : at.map((i) => ctx.manifests[i]!);
    index.merged.set(key, merged);
  }
  return merged;
}

/** Two ascending lists of positions as one. */
function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) out.push(j >= b.length || (i < a.length && a[i]! < b[j]!) ? a[i++]! : b[j++]!);
  return out;
}

/** The objects of `kind` whose `metadata.namespace` is `namespace` (objects without one are in none), in set order. */
export function inNamespace(ctx: GateContext, kind: string, namespace: string): readonly Manifest[] {
  const index = objectIndex(ctx);
  let byNamespace = index.byNamespace.get(kind);
  if (!byNamespace) {
    byNamespace = new Map();
    for (const m of ofKind(ctx, kind)) {
      const ns = metadataNamespace(m.object);
      if (ns === undefined) continue;
      const list = byNamespace.get(ns);
      if (list) list.push(m);
      else byNamespace.set(ns, [m]);
    }
    index.byNamespace.set(kind, byNamespace);
  }
  return byNamespace.get(namespace) ?? NONE;
}

/** `namespace/Kind/name`, with a missing namespace read as the API server reads it. */
export function objectKey(namespace: string | undefined, kind: string, name: string): string {
  return `${effectiveNamespace(namespace)}/${kind}/${name}`;
}

/** Every object of the set by `objectKey` (the last of duplicates wins; schema.duplicate reports them). */
function byKey(index: ObjectIndex, ctx: GateContext): Map<string, Manifest> {
  if (!index.byKey) {
    index.byKey = new Map();
    for (const m of ctx.manifests) {
      const meta = metadataOf(m.object);
      index.byKey.set(objectKey(meta.namespace, shown(m.object.kind), meta.name), m);
    }
  }
  return index.byKey;
}

/** The object with this key: what `objectKey` finds, looked up in the kind's own map when that is exact. */
export function objectAt(
  ctx: GateContext,
  namespace: string | undefined,
  kind: string,
  name: string,
): Manifest | undefined {
  const index = objectIndex(ctx);
  const ns = effectiveNamespace(namespace);
  if (index.irregular || kind.includes('/') || ns.includes('/')) {
    return byKey(index, ctx).get(objectKey(namespace, kind, name));
  }
  let byName = index.byName.get(kind);
  if (!byName) {
    byName = new Map();
    for (const m of ofKind(ctx, kind)) {
      const meta = metadataOf(m.object);
      byName.set(`${effectiveNamespace(meta.namespace)}/${meta.name}`, m);
    }
    index.byName.set(kind, byName);
  }
  return byName.get(`${ns}/${name}`);
}
