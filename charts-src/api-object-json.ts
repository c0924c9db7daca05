/**
 * An API object's JSON as cdk8s 2.70's `ApiObject.toJson()` gives it, without cdk8s's cost
 * per value. cdk8s resolves every value of every object through its resolvers (looking up
 * the app by walking the construct tree for each value, building a key path array and a
 * context object per value), then sanitizes the result in a second copy (keys sorted, null
 * and undefined dropped). At 10,000 tenants that was a quarter of the synth. Here the
 * same resolvers run in the same order in one pass that resolves and sanitizes together.
 *
 * What cdk8s does, read from node_modules/cdk8s/lib (2.70.106, pinned exactly):
 * - `ApiObject.toJson()` (api-object.js): `sanitizeValue(resolve([], {...props, metadata:
 *   metadata.toJson()}, this), { sortKeys: true })`, then `JsonPatch.apply` of the object's
 *   patches, then `apiVersion`, `kind`, `metadata` first.
 * - `ApiObjectMetadataDefinition.toJson()` (metadata.js): the same over `{..._additionalAttributes,
 *   name, namespace, annotations, finalizers, ownerReferences, labels}` with empty arrays and
 *   empty objects dropped.
 * - `resolve()` (resolve.js): the app's resolvers (`LazyResolver`, `ImplicitTokenResolver`,
 *   `NumberStringUnionResolver` when the app declares none of its own) get each value first;
 *   the first that replaces it wins and the replacement is resolved again; then arrays and
 *   plain objects are resolved element by element.
 * - `sanitizeValue()` (_util.js): null and undefined are dropped from objects (and become
 *   undefined in arrays); anything that is not an array or a plain object is refused.
 *
 * Imported kinds (`KubeDeployment`, ...) override `toJson()` and call `super.toJson()`, so
 * `renderApiObjects` puts this function in place of `ApiObject.prototype.toJson` while it
 * renders, and only then. Whenever an object holds anything this path does not reproduce
 * (an app with its own resolvers, a value cdk8s would refuse, an object whose fields are not
 * where 2.70 keeps them), it gives way to cdk8s's own `toJson()`, whose result or error is
 * then exactly cdk8s's. test/charts-src/api-object-json.test.ts compares both on generated
 * values; test/charts-src/render.test.ts compares whole environments with plain cdk8s.
 */
import {
  ApiObject,
  App,
  ImplicitTokenResolver,
  JsonPatch,
  Lazy,
  LazyResolver,
  NumberStringUnionResolver,
  type ApiObjectMetadataDefinition,
  type IResolver,
} from 'cdk8s';

/** A value this path does not reproduce: cdk8s's own toJson() decides. */
class GiveWay extends Error {}

interface Sanitize {
  /** Drop empty arrays and objects (metadata). */
  readonly dropEmpty: boolean;
}

const KEEP_EMPTY: Sanitize = { dropEmpty: false };
const DROP_EMPTY: Sanitize = { dropEmpty: true };
const UNION_TYPES = ['number', 'string'];

/** What the default resolvers replace `value` with, or `value` itself (resolve.js, in resolver order). */
function replaced(value: object): unknown {
  if (value instanceof Lazy) return value.produce();
  const candidate = value as { resolve?: unknown; value?: unknown; constructor?: unknown };
  if (typeof candidate.resolve === 'function') return (candidate.resolve as () => unknown).call(value);
  if (candidate.constructor !== Object && UNION_TYPES.includes(typeof candidate.value))
    return { value: candidate.value };
  return value;
}

/** `sanitizeValue(resolve(value))` in one pass. */
function resolved(value: unknown, options: Sanitize): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object') {
    if (typeof value === 'function') throw new GiveWay();
    return value;
  }
  const next = replaced(value);
  if (next !== value) return resolved(next, options);
  if (Array.isArray(value)) {
    if (options.dropEmpty && value.length === 0) return undefined;
    return value.map((item) => resolved(item, options));
  }
  if ((value as { constructor?: unknown }).constructor !== Object) throw new GiveWay();
  return resolvedObject(value as Record<string, unknown>, options);
}

function resolvedObject(value: Record<string, unknown>, options: Sanitize): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  let empty = true;
  for (const key of Object.keys(value).sort()) {
    const item = resolved(value[key], options);
    if (item === null || item === undefined) continue;
    out[key] = item;
    empty = false;
  }
  return options.dropEmpty && empty ? undefined : out;
}

/** The fields of cdk8s 2.70's metadata definition that toJson() reads (private there). */
interface MetadataFields {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly finalizers: string[];
  readonly ownerReferences: unknown[];
  readonly _additionalAttributes: Record<string, unknown>;
}

function metadataFields(metadata: ApiObjectMetadataDefinition): MetadataFields {
  const fields = metadata as unknown as Partial<MetadataFields>;
  const isMap = (v: unknown) => typeof v === 'object' && v !== null;
  if (!isMap(fields._additionalAttributes) || !isMap(fields.labels) || !isMap(fields.annotations)) throw new GiveWay();
  if (!Array.isArray(fields.finalizers) || !Array.isArray(fields.ownerReferences)) throw new GiveWay();
  return fields as MetadataFields;
}

function metadataJson(metadata: ApiObjectMetadataDefinition): unknown {
  const m = metadataFields(metadata);
  const data = {
    ...m._additionalAttributes,
    name: m.name,
    namespace: m.namespace,
    annotations: m.annotations,
    finalizers: m.finalizers,
    ownerReferences: m.ownerReferences,
    labels: m.labels,
  };
  return resolved(data, DROP_EMPTY);
}

const appUsesDefaultResolvers = new WeakMap<App, boolean>();

/** True when the app resolves with cdk8s's three resolvers alone, in their order (App constructor). */
function defaultResolversOnly(app: App): boolean {
  let known = appUsesDefaultResolvers.get(app);
  if (known === undefined) {
    const kinds = [LazyResolver, ImplicitTokenResolver, NumberStringUnionResolver];
    const resolvers: readonly IResolver[] = app.resolvers;
    known = resolvers.length === kinds.length && resolvers.every((r, i) => r.constructor === kinds[i]);
    appUsesDefaultResolvers.set(app, known);
  }
  return known;
}

/**
 * `resolved({ ...props, metadata: metadataJson(metadata) })` without walking the metadata a
 * second time: it comes out of metadataJson already resolved and sanitized, with no function
 * in it (those give way), and resolving such a value again changes nothing.
 */
function resolvedTopLevel(props: Record<string, unknown>, metadata: ApiObjectMetadataDefinition) {
  // The spread object itself meets the resolvers first: one with a `resolve` function is a token.
  if (typeof props.resolve === 'function') throw new GiveWay();
  const meta = metadataJson(metadata);
  const keys = Object.keys(props);
  if (!keys.includes('metadata')) keys.push('metadata');
  const out: Record<string, unknown> = {};
  for (const key of keys.sort()) {
    const item = key === 'metadata' ? meta : resolved(props[key], KEEP_EMPTY);
    if (item !== null && item !== undefined) out[key] = item;
  }
  return out;
}

/** `ApiObject.prototype.toJson` of cdk8s 2.70 without giving way: throws GiveWay where it cannot. */
function fastJson(object: ApiObject): Record<string, unknown> {
  const json = resolvedTopLevel((object as unknown as { props: Record<string, unknown> }).props, object.metadata);
  const patches = (object as unknown as { patches: readonly JsonPatch[] }).patches;
  if (!Array.isArray(patches)) throw new GiveWay();
  const patched = patches.length > 0 ? (JsonPatch.apply(json, ...patches) as Record<string, unknown>) : json;
  const result: Record<string, unknown> = {};
  for (const key of ['apiVersion', 'kind', 'metadata', ...Object.keys(patched)]) {
    if (key in patched) result[key] = patched[key];
  }
  return result;
}

/**
 * The fast path, or cdk8s's own toJson() when the app has resolvers of its own or anything
 * fails on the way (cdk8s then gives its own result, or its own error with the construct path).
 */
function apiObjectJson(object: ApiObject, original: () => unknown): unknown {
  if (!defaultResolversOnly(App.of(object))) return original.call(object);
  try {
    return fastJson(object);
  } catch {
    return original.call(object);
  }
}

/**
 * Runs `render` with the fast `ApiObject.prototype.toJson` in place, and puts cdk8s's back
 * when it returns or throws. Not reentrant on purpose: nested calls keep the outer one's.
 */
export function withFastApiObjectJson<T>(render: () => T): T {
  const proto = ApiObject.prototype as { toJson: () => unknown };
  const original = proto.toJson;
  if ((original as { fast?: boolean }).fast) return render();
  const fast = Object.assign(
    function toJson(this: ApiObject) {
      return apiObjectJson(this, original);
    },
    { fast: true },
  );
  proto.toJson = fast;
  try {
    return render();
  } finally {
    proto.toJson = original;
  }
}
