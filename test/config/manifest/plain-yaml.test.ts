/**
 * The fast reader of plain YAML gives exactly what the full `yaml` parser gives, or
 * declines: over every committed dist/ file and stack file (which it must read itself),
 * over generated objects written by `yaml`'s stringify (with synth's options, with the
 * defaults, and with flow collections and comments), and on the inputs it must leave to
 * the full parser.
 */
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { Document, isCollection, parseAllDocuments, stringify, visit } from 'yaml';
import { readPlainYaml, readYaml } from '../../../config/manifest';
import { YAML_OPTIONS } from '../../../charts-src/render';
import { REPO_ROOT } from '../../support/environments';
import { fieldPaths } from '../../support/field-paths';

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

const committedStackFiles = execFileSync('git', ['ls-files'], { cwd: REPO_ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((f) => /(^|\/)Pulumi\.[^/]+\.yaml$/.test(f));

describe('every committed stack file', () => {
  test('there are files to compare', () => {
    expect(committedStackFiles).toEqual(expect.arrayContaining(['Pulumi.prod.yaml', 'Pulumi.staging.yaml']));
  });

  // config/load.ts reads stack files with the fast reader first: comments, flow collections
  // and folded scalars, as people write them, must not send it to the full parser.
  test.each(committedStackFiles)('%s: read by the fast reader, identical to the full parser', (file) => {
    const text = readFileSync(join(REPO_ROOT, file), 'utf8');
    const fast = readPlainYaml(text);
    expect(fast).toBeDefined();
    expect(fast).toStrictEqual(full(text));
  });
});

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

describe('comments, blank lines, flow collections and folded scalars, as stack files have them', () => {
  test.each([
    ['a comment after a value', 'a: 1 # one\n', { a: 1 }],
    ['comment lines and blank lines anywhere', '# head\n\na: 1\n   # indented\nb: x  # spaced\n\n', { a: 1, b: 'x' }],
    ['a comment after a quoted scalar', "a: '1.35' # pinned\n", { a: '1.35' }],
    ['a comment after a key whose value is below it', 'a: # the list\n  - 1\n', { a: [1] }],
    ['a comment holding `: ` after a sequence item', 'a:\n  - 10.0.0.0/8 # vpn: office\n', { a: ['10.0.0.0/8'] }],
    ['a `#` that is not a comment', 'a: b#c\n', { a: 'b#c' }],
    ['a flow sequence', 'a: [fsn1, nbg1, hel1]\n', { a: ['fsn1', 'nbg1', 'hel1'] }],
    ['a flow mapping', "a: { cpu: '4', memory: 8Gi, n: 2 }\n", { a: { cpu: '4', memory: '8Gi', n: 2 } }],
    [
      'nested flow collections in a sequence item',
      'a:\n  - { name: db, except: [169.254.169.254/32], ports: [5432] }\n',
      { a: [{ name: 'db', except: ['169.254.169.254/32'], ports: [5432] }] },
    ],
    ['empty flow collections with comments', 'a: {} # none\nb: [ ]\n', { a: {}, b: [] }],
    ['a folded block scalar', 'a: >-\n  folded\n  text\n\n  next\nb: >\n  x\n', { a: 'folded text\nnext', b: 'x\n' }],
    [
      'a literal block scalar holding `#` lines, then a comment',
      'a: |\n  x\n  # kept\n# comment\nb: 1\n',
      { a: 'x\n# kept\n', b: 1 },
    ],
  ])('%s', (_what, input, expected) => {
    expect(readPlainYaml(input)).toStrictEqual([expected]);
    expect(full(input)).toStrictEqual([expected]);
  });
});

describe('what the fast reader leaves to the full parser', () => {
  test.each([
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a flow collection over several lines', 'a: [1,\n  2]\n'],
    ['a trailing comma in a flow collection', 'a: [1, 2,]\n'],
    ['an empty flow entry', 'a: [1, , 2]\n'],
    ['a flow key without a space after its colon', 'a: {b:1}\n'],
    ['a flow key without a value', 'a: { b }\n'],
    ['a collection as a flow key', 'a: { [b]: 1 }\n'],
    ['a plain flow scalar holding a colon', 'a: [http://x]\n'],
    ['something after a flow collection', 'a: [1] x\n'],
    ['a comment after a block scalar header', 'a: | # c\n  x\n'],
    ['a more-indented line in a folded scalar', 'a: >\n  x\n    y\n'],
    ['a folded scalar starting with a blank line', 'a: >\n\n  x\n'],
    ['a comment after a sequence dash', 'a:\n  - # c\n    b\n'],
    ['a document of comments only', '# nothing\n'],
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

describe('generated objects with flow collections and comments (yaml Document API)', () => {
  const comment = fc.constantFrom(' note', ' a: b', ' # x', ' é', '', ' [x]');
  const choices = fc.array(fc.boolean(), { minLength: 64, maxLength: 64 });

  /**
   * `value` as yaml writes it with some nested collections in flow style and comments on
   * some scalars. With `asPeopleWrite`, as people write them: each flow collection on one
   * line, comments after values outside flow collections; without it, yaml also writes
   * comment lines, values on the line below their key (after a comment on the key or before
   * the value) and flow collections over several lines. Comment lines as people write them
   * are in the cases above and in every committed stack file.
   */
  function withFlowAndComments(value: unknown, flags: readonly boolean[], note: string, asPeopleWrite = false): string {
    const doc = new Document(value);
    let k = 0;
    const next = () => flags[k++ % flags.length]!;
    visit(doc, {
      Collection(key, node) {
        node.flow = key !== null && next(); // a stack file is a block mapping at the top
      },
      Scalar(key, node, path) {
        if (!asPeopleWrite) {
          const where = next() ? 'comment' : next() ? 'commentBefore' : undefined;
          if (where) node[where] = note;
        } else if (
          (key === 'value' || typeof key === 'number') &&
          !path.some((p) => isCollection(p) && p.flow) &&
          next()
        ) {
          node.comment = note;
        }
      },
    });
    return doc.toString(asPeopleWrite ? { lineWidth: 0 } : {});
  }

  test("the full parser's values or declined", () => {
    fc.assert(
      fc.property(fc.dictionary(text, jsonish, { minKeys: 1, maxKeys: 6 }), choices, comment, (value, flags, note) => {
        agrees(withFlowAndComments(value, flags, note));
      }),
      { numRuns: 400, seed: 7 },
    );
  });

  test('config-like objects are read by the fast reader, not declined', () => {
    const key = fc.constantFrom('name', 'cpu', 'memory', 'max', 'cidr', 'ports', 'except');
    const value = fc.oneof(
      fc.constantFrom('500m', '8Gi', '4', 'fsn1', '10.0.0.0/8', 'on', '1.35', 'two words', 'é'),
      fc.integer({ min: 0, max: 65535 }),
      fc.boolean(),
    );
    const leaf = fc.oneof(fc.array(value, { maxLength: 3 }), fc.dictionary(key, value, { maxKeys: 3 }));
    const config = fc.dictionary(key, fc.oneof(value, leaf, fc.array(fc.dictionary(key, fc.oneof(value, leaf)))), {
      minKeys: 1,
    });
    fc.assert(
      fc.property(config, choices, fc.constantFrom(' note', ' a: b', ' é'), (value, flags, note) => {
        expect(agrees(withFlowAndComments(value, flags, note, true))).toBe(true);
      }),
      { numRuns: 300, seed: 3 },
    );
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
