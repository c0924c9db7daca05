/**
 * The one-pass ApiObject.toJson (charts-src/api-object-json.ts) against cdk8s's own, on
 * generated values: the same JSON, or the same error, for every object. Whole environments
 * are compared with plain cdk8s in render.test.ts.
 */
import { ApiObject, App, Chart, JsonPatch, Lazy, type IResolver, type ResolutionContext } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import fc from 'fast-check';
import { withFastApiObjectJson } from '../../charts-src/api-object-json';

type Outcome = { json: unknown } | { error: string };

function outcome(render: () => unknown): Outcome {
  try {
    return { json: render() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** cdk8s's toJson() and the fast one on objects built twice by `build` (so no state is shared). */
function both(build: (chart: Chart) => ApiObject): { cdk8s: Outcome; fast: Outcome } {
  const object = () => build(new Chart(new App(), 'c', { disableResourceNameHashes: true }));
  const plain = object();
  const fast = object();
  return { cdk8s: outcome(() => plain.toJson()), fast: withFastApiObjectJson(() => outcome(() => fast.toJson())) };
}

class Opaque {
  constructor(readonly value: unknown) {}
}

/** Plain JSON and everything cdk8s's resolvers treat specially, nested. */
const leaf = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constant([]),
  fc.constant({}),
  fc.integer().map((n) => k8s.IntOrString.fromNumber(n)),
  fc.string().map((s) => k8s.Quantity.fromString(s)),
  fc.string().map((s) => Lazy.any({ produce: () => s })),
  fc.string().map((s) => ({ resolve: () => ({ token: s }) })),
  fc.string().map((s) => new Opaque(s)),
  fc.constant(new Opaque({ nested: true })),
);
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('node'), { maxLength: 4 }),
  object: fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('value', 'resolve', 'metadata', 'kind')), tie('node'), {
    maxKeys: 5,
  }),
})).node;

const metadata = fc.record(
  {
    name: fc.string({ minLength: 1 }),
    namespace: fc.option(fc.string(), { nil: undefined }),
    labels: fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.constant(undefined))),
    annotations: fc.dictionary(fc.string(), fc.string()),
    finalizers: fc.array(fc.oneof(fc.string(), fc.constant(null as unknown as string)), { maxLength: 2 }),
    extra: value,
  },
  { requiredKeys: ['name'] },
);

describe('the one-pass ApiObject.toJson', () => {
  it('gives what cdk8s gives (or fails as cdk8s fails) for generated objects', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), value, { maxKeys: 6 }), metadata, (props, meta) => {
        const { extra, ...known } = meta;
        const { cdk8s, fast } = both(
          (chart) =>
            new ApiObject(chart, 'o', {
              ...props,
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: { ...known, ...(extra === undefined ? {} : { extra }) } as never,
            }),
        );
        expect(fast).toEqual(cdk8s);
      }),
      { numRuns: 400 },
    );
  });

  it('renders imported kinds (their toJson calls super.toJson) as cdk8s does', () => {
    const { cdk8s, fast } = both(
      (chart) =>
        new k8s.KubeDeployment(chart, 'd', {
          metadata: { name: 'api', labels: { app: 'api' }, annotations: {} },
          spec: {
            selector: { matchLabels: { app: 'api' } },
            strategy: { rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(1) } },
            template: {
              metadata: { labels: { app: 'api' } },
              spec: {
                containers: [
                  {
                    name: 'api',
                    image: 'api:1',
                    resources: { limits: { memory: k8s.Quantity.fromString('1Gi') } },
                    ports: [],
                  },
                ],
              },
            },
          },
        }),
    );
    expect(fast).toEqual(cdk8s);
    expect(fast).toMatchObject({
      json: {
        kind: 'Deployment',
        spec: {
          strategy: { rollingUpdate: { maxSurge: 1 } },
          template: { spec: { containers: [{ resources: { limits: { memory: '1Gi' } }, ports: [] }] } },
        },
      },
    });
  });

  it('applies JSON patches and puts apiVersion, kind and metadata first, as cdk8s does', () => {
    const { cdk8s, fast } = both((chart) => {
      const o = new ApiObject(chart, 'p', { kind: 'ConfigMap', data: { b: '2' }, apiVersion: 'v1' });
      o.addJsonPatch(JsonPatch.add('/data/a', '1'), JsonPatch.remove('/data/b'));
      return o;
    });
    expect(fast).toEqual(cdk8s);
    expect(Object.keys((fast as { json: object }).json)).toEqual(['apiVersion', 'kind', 'metadata', 'data']);
  });

  it('fails with cdk8s’s message, construct path included, on a value cdk8s cannot render', () => {
    // A class instance whose `value` is neither a number nor a string: no resolver takes it.
    const { cdk8s, fast } = both(
      (chart) => new ApiObject(chart, 'bad', { apiVersion: 'v1', kind: 'ConfigMap', data: new Opaque(true) }),
    );
    expect(fast).toEqual(cdk8s);
    expect(fast).toEqual({ error: expect.stringContaining("Failed serializing construct at path 'c/bad'") });
  });

  it('treats an object whose own props hold a resolve function as the token cdk8s takes it for', () => {
    const { cdk8s, fast } = both(
      (chart) =>
        new ApiObject(chart, 't', {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          resolve: () => ({ apiVersion: 'v1', kind: 'Secret', data: { z: null, a: [] } }),
        } as never),
    );
    expect(fast).toEqual(cdk8s);
    expect(fast).toMatchObject({ json: { kind: 'Secret', data: { a: [] } } });
  });

  it('leaves apps with resolvers of their own to cdk8s', () => {
    class Upper implements IResolver {
      resolve(context: ResolutionContext) {
        if (typeof context.value === 'string' && context.value !== context.value.toUpperCase())
          context.replaceValue(context.value.toUpperCase());
      }
    }
    const render = (fast: boolean) => {
      const chart = new Chart(new App({ resolvers: [new Upper()] }), 'c', { disableResourceNameHashes: true });
      const o = new ApiObject(chart, 'r', { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'x' } });
      return fast ? withFastApiObjectJson(() => o.toJson()) : o.toJson();
    };
    expect(render(true)).toEqual(render(false));
    expect(render(true)).toMatchObject({ data: { a: 'X' } });
  });

  it('puts cdk8s’s toJson back when rendering ends, also on an error', () => {
    const original = ApiObject.prototype.toJson;
    expect(() =>
      withFastApiObjectJson(() => {
        expect(ApiObject.prototype.toJson).not.toBe(original);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(ApiObject.prototype.toJson).toBe(original);
  });
});
