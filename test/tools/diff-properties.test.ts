/** Properties of the structural diff and of redaction, over generated inputs. */
import fc from 'fast-check';
import { diffStacks } from '../../tools/diff/compare';
import { renderDiffMarkdown } from '../../tools/diff/markdown';
import { identityOf, type Json, type JsonObject, type ObjectSet } from '../../tools/diff/objects';
import { diffFields } from '../../tools/diff/structural';

const json: fc.Arbitrary<Json> = fc.jsonValue() as fc.Arbitrary<Json>;

function single(body: JsonObject): ObjectSet {
  const identity = identityOf(body, 'a.yaml')!;
  return new Map([[identity.key, { ...identity, body }]]);
}

describe('diff properties', () => {
  it('finds no change between a value and itself', () => {
    fc.assert(fc.property(json, (value) => diffFields(value, structuredClone(value)).length === 0));
  });

  it('finds a change whenever two values differ as JSON (lists compared in order)', () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        fc.pre(JSON.stringify(a) !== JSON.stringify(b));
        // Keyed lists may match in another order; restrict to values without object lists.
        fc.pre(!/\[\{/.test(JSON.stringify(a)) && !/\[\{/.test(JSON.stringify(b)));
        return diffFields(a, b).length > 0;
      }),
    );
  });

  it('never prints a Secret value, whatever the keys and values', () => {
    const secretValue = fc.string({ minLength: 12, maxLength: 40 }).filter((s) => /^[A-Za-z0-9+/=]+$/.test(s));
    const data = fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_.-]{0,15}$/), secretValue, { minKeys: 1, maxKeys: 5 });
    fc.assert(
      fc.property(data, data, fc.constantFrom('data', 'stringData'), (before, after, field) => {
        const secret = (values: Record<string, string>): JsonObject => ({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 's', namespace: 'n' },
          [field]: values,
        });
        const md = renderDiffMarkdown(
          diffStacks(new Map([['x', single(secret(before))]]), new Map([['x', single(secret(after))]])),
          { base: 'b', head: 'h' },
        );
        return [...Object.values(before), ...Object.values(after)].every((v) => !md.includes(v));
      }),
    );
  });
});
