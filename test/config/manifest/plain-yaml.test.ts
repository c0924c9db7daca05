/**
 * The fast reader of plain YAML gives exactly what the full `yaml` parser gives, or
 * declines: over every committed dist/ file (which it must read itself), over generated
 * objects written by `yaml`'s stringify (with synth's options and with the defaults),
 * and on the inputs it must leave to the full parser.
 */
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseAllDocuments, stringify } from 'yaml';
import { readPlainYaml, readYaml } from '../../../config/manifest';
import { YAML_OPTIONS } from '../../../charts-src/render';
import { REPO_ROOT } from '../../support/environments';

/** What the full parser gives: every document's toJS(). */
const full = (text: string) => parseAllDocuments(text, { uniqueKeys: true }).map((d) => d.toJS({ maxAliasCount: 100 }));

const committedDist = execFileSync('git', ['ls-files', 'dist'], { cwd: REPO_ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((f) => /\.ya?ml$/.test(f));

describe('every committed dist/ file', () => {
  test('there are files to compare', () => {
    expect(committedDist.length).toBeGreaterThanOrEqual(10);
  });

  test.each(committedDist)('%s: read by the fast reader, identical to the full parser', (file) => {
    const text = readFileSync(join(REPO_ROOT, file), 'utf8');
    const fast = readPlainYaml(text);
    expect(fast).toBeDefined();
    expect(fast).toStrictEqual(full(text));
  });

  test.each(committedDist)("%s: the line of every field is the full parser's", (file) => {
    const text = readFileSync(join(REPO_ROOT, file), 'utf8');
    const viaFast = readYaml(text);
    const viaFull = readYaml(text, { fast: false });
    expect(viaFast.fast).toBe(true);
    viaFull.documents.forEach((doc, index) => {
      expect(viaFast.startOf(index)).toEqual(viaFull.startOf(index));
      for (const path of fieldPaths(doc.value))
        expect([path, viaFast.lineOf(index, path)]).toEqual([path, viaFull.lineOf(index, path)]);
    });
  });
});

/** Every path to a value in a parsed document, and one path that does not exist under each mapping. */
function fieldPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...fieldPaths(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object') {
    out.push([...prefix, 'not-there']);
    for (const [k, v] of Object.entries(value)) out.push(...fieldPaths(v, [...prefix, k]));
  }
  return out;
}

// Strings that stress quoting: YAML 1.1 booleans, numbers as strings, indicators, spaces,
// line breaks, escapes and keys that need quoting.
const TRICKY = [
  'Off',
  'on',
  'yes',
  'No',
  'y',
  'n',
  'true',
  'False',
  'null',
  '~',
  '',
  ' ',
  '0',
  '-1',
  '+1',
  '1.5',
  '1e3',
  '.5',
  '0x1F',
  '0o17',
  '017',
  '1_000',
  '1:20',
  '.inf',
  '-.Inf',
  '.NaN',
  '2024-01-01',
  '*',
  '&a',
  '!tag',
  '%x',
  '@x',
  '`x',
  '- x',
  '-x',
  '--- x',
  '---',
  '...',
  '? x',
  ': x',
  'a: b',
  'a #b',
  'a#b',
  '#a',
  'a:',
  '{}',
  '[]',
  '{a}',
  '[a, b]',
  'a\nb',
  'a\n',
  '\na',
  'a\n\n',
  ' a',
  'a ',
  'a  b',
  '"q"',
  "'q'",
  'back\\slash',
  'tab\there',
  'nul\u0000',
  'é',
  '😀',
  '\u0085',
  '\u2028',
  'line\r\nbreak',
  '|',
  '>',
  'key with spaces',
  'http://x:80/y',
  '<<',
  '__proto__',
];
const text = fc.oneof(fc.constantFrom(...TRICKY), fc.string(), fc.string({ unit: 'grapheme' }));
const scalar = fc.oneof(text, fc.integer(), fc.double({ noNaN: false }), fc.boolean(), fc.constant(null));
const { value: jsonish } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(text, tie('value'), { maxKeys: 5 }),
  ),
}));
const objects = fc.array(fc.dictionary(text, jsonish, { minKeys: 1, maxKeys: 6 }), { minLength: 1, maxLength: 3 });

/** Exactly the full parser's result, or declined. */
function agrees(yamlText: string): boolean {
  const fast = readPlainYaml(yamlText);
  if (fast !== undefined) expect(fast).toStrictEqual(full(yamlText));
  return fast !== undefined;
}

describe('generated objects written by yaml stringify', () => {
  test("with synth's options (charts-src/render.ts YAML_OPTIONS): the full parser's values or declined", () => {
    fc.assert(
      fc.property(objects, (docs) => {
        agrees(docs.map((o) => stringify(o, YAML_OPTIONS)).join('---\n'));
      }),
      { numRuns: 400, seed: 22 },
    );
  });

  test("with yaml's default options: the full parser's values or declined", () => {
    fc.assert(
      fc.property(objects, (docs) => {
        agrees(docs.map((o) => stringify(o)).join('---\n'));
      }),
      { numRuns: 200, seed: 19 },
    );
  });

  test('manifest-like objects are read by the fast reader, not declined', () => {
    const label = fc.constantFrom('app', 'app.kubernetes.io/name', 'key with spaces', 'a: b', 'Off', '80', '"q"');
    const value = fc.oneof(
      fc.constantFrom('Off', 'yes', '0755', '1e3', '250m', '"quoted"', "it's", 'a: b', '#x', '', '*', 'é', 'ok'),
      fc.constantFrom('multi\nline\n', 'multi\nline', 'trailing\n\n'.slice(0, -1), '  indented\nfirst'.trim()),
      fc.integer(),
      fc.boolean(),
    );
    const manifest = fc.record({
      apiVersion: fc.constantFrom('v1', 'apps/v1'),
      kind: fc.constantFrom('ConfigMap', 'Deployment'),
      metadata: fc.record({ name: fc.constant('x'), labels: fc.dictionary(label, value) }),
      spec: fc.record({
        list: fc.array(fc.oneof(value, fc.dictionary(label, value), fc.constant({}), fc.constant([]))),
        empty: fc.constantFrom({}, []),
        nested: fc.array(fc.array(value, { maxLength: 2 }), { maxLength: 2 }),
      }),
    });
    fc.assert(
      fc.property(fc.array(manifest, { minLength: 1, maxLength: 3 }), (docs) => {
        expect(agrees(docs.map((o) => stringify(o, YAML_OPTIONS)).join('---\n'))).toBe(true);
      }),
      { numRuns: 300, seed: 1 },
    );
  });
});

describe('what the fast reader leaves to the full parser', () => {
  test.each([
    ['a comment', 'a: 1 # one\n'],
    ['a comment line', '# head\na: 1\n'],
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a flow mapping', 'a: { b: 1 }\n'],
    ['a flow sequence', 'a: [1, 2]\n'],
    ['a folded block scalar', 'a: >\n  x\n'],
    ['a kept block scalar', 'a: |+\n  x\n\n'],
    ['a multi-line plain scalar', 'a: x\n  y\n'],
    ['a multi-line quoted scalar', 'a: "x\n  y"\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a tab', 'a:\t1\n'],
    ['CRLF line ends', 'a: 1\r\n'],
    ['no final line break', 'a: 1'],
    ['an empty document', 'a: 1\n---\n'],
    ['a document marker first', '---\na: 1\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['a top-level sequence', '- a\n'],
    ['a top-level scalar', 'hello\n'],
    ['a sequence at the key indentation', 'a:\n- 1\n'],
    ['a key that is not a string', '1: a\n'],
    ['a bad escape', 'a: "\\q"\n'],
    ['invalid YAML', 'a: b: c\n'],
  ])('%s', (_what, input) => {
    expect(readPlainYaml(input)).toBeUndefined();
  });
});

describe('readYaml', () => {
  test('an error has its line and column, from the full parser', () => {
    const stream = readYaml('a: 1\n---\nb: [1,\n');
    expect(stream.fast).toBe(false);
    expect(stream.documents[0]).toEqual({ value: { a: 1 } });
    expect(stream.documents[1]!.error).toMatchObject({ line: 4, col: 1 });
  });

  test('lines of field paths come from the full parser, also for a text the fast reader read', () => {
    const text = 'a: 1\nb:\n  c:\n    - x\n    - y: 2\n---\nd: e\n';
    const stream = readYaml(text);
    expect(stream.fast).toBe(true);
    expect(stream.lineOf(0, ['b', 'c', 1, 'y'])).toBe(5);
    expect(stream.lineOf(0, ['b', 'missing'])).toBe(3);
    expect(stream.lineOf(1, ['d'])).toBe(7);
    expect(stream.startOf(1)).toEqual({ line: 7, col: 1 });
  });
});
