/**
 * The gate judges anyone's manifests: whatever shape an object has, it reports
 * findings and never throws.
 */
import fc from 'fast-check';
import { gate, platform, type Obj } from './fixtures';
import { stackSpec } from '../support/environments';

const spec = stackSpec('staging');
const base = platform(spec);

/** Every path to a value inside an object. */
function paths(
  value: unknown,
  prefix: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  }
  if (prefix.length > 0) out.push(prefix);
  return out;
}

function setPath(root: Obj, path: (string | number)[], value: unknown): void {
  let node = root;
  for (const segment of path.slice(0, -1)) node = node[segment];
  const last = path[path.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
}

describe('robustness (fast-check)', () => {
  it('never throws on objects with any field replaced by any JSON value or removed', () => {
    const objectIndex = fc.integer({ min: 0, max: base.length - 1 });
    const replacement = fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 2 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(objectIndex, fc.nat(), replacement), { minLength: 1, maxLength: 6 }), (edits) => {
        const objects: Obj[] = structuredClone(base);
        for (const [i, pick, value] of edits) {
          const all = paths(objects[i]);
          if (all.length === 0) continue;
          setPath(objects[i], all[pick % all.length]!, value);
        }
        const report = gate(objects, { spec });
        for (const f of report.findings) {
          expect(typeof f.message).toBe('string');
          expect(typeof f.fix).toBe('string');
        }
      }),
      { numRuns: 150 },
    );
  });

  it('never throws on documents that are not Kubernetes objects at all', () => {
    fc.assert(
      fc.property(fc.array(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })), { maxLength: 5 }), (objects) => {
        gate([...structuredClone(base).slice(0, 3), ...objects], { spec });
      }),
      { numRuns: 100 },
    );
  });
});

describe('robustness: found by the properties above', () => {
  it('a sparse list (a removed RoleBinding subject) is read as an empty entry', () => {
    // fast-check seed 1629967169: `delete subjects[0]` leaves a hole that .map() keeps.
    const objects: Obj[] = structuredClone(base);
    const binding = objects.find((o) => o.kind === 'RoleBinding' && o.metadata.name === 'orchestrator');
    delete binding.subjects[0];
    expect(() => gate(objects, { spec })).not.toThrow();
  });

  it('a field whose value is an object with a non-callable toString is shown as JSON, never String()-ed', () => {
    // fast-check seed -2066991607: `kind: {"toString": false}` made String() throw in the reference index.
    const objects: Obj[] = structuredClone(base);
    const role = objects.find((o) => o.kind === 'Role')!;
    role.kind = { toString: false };
    let report: ReturnType<typeof gate> | undefined;
    expect(() => (report = gate(objects, { spec }))).not.toThrow();
    expect(report!.findings.map((f) => `${f.rule}: ${f.message}`)).toContainEqual(expect.stringMatching(/^schema\./));
  });

  it.each(Object.getOwnPropertyNames(Object.prototype))(
    'an object whose kind is the name of a property every object inherits (%s) gets findings, never a crash',
    (name) => {
      // `kind: constructor` found Object.prototype.constructor among the kinds with pod templates.
      for (const apiVersion of ['v1', 'apps/v1', 'example.com/v1']) {
        const object = { apiVersion, kind: name, metadata: { name: 'x', namespace: name, labels: { [name]: name } } };
        let report: ReturnType<typeof gate> | undefined;
        expect(() => (report = gate([...structuredClone(base), object], { spec }))).not.toThrow();
        expect(report!.findings.some((f) => f.rule.startsWith('schema.'))).toBe(true);
      }
    },
  );
});
