/**
 * Reading a YAML file in pieces (config/manifest/read-file.ts) gives what reading its whole
 * text gives: the same documents (or the same errors, through the full parser), and the
 * full parser's line of every field, over every committed dist/ file and stack file, over
 * generated multi-document files cut into pieces at every size, and on the texts the fast
 * reader must decline. A line is read again from the file, and only from the file that was read.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { YAML_OPTIONS } from '../../../charts-src/render';
import { readYaml, readYamlFile } from '../../../config/manifest';
import { REPO_ROOT } from '../../support/environments';
import { fieldPaths } from '../../support/field-paths';

const dir = mkdtempSync(join(tmpdir(), 'read-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let written = 0;
function fileWith(text: string): string {
  const file = join(dir, `f${written++}.yaml`);
  writeFileSync(file, text);
  return file;
}

const committed = execFileSync('git', ['ls-files'], { cwd: REPO_ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((f) => (f.startsWith('dist/') && /\.ya?ml$/.test(f)) || /(^|\/)Pulumi\.[^/]+\.yaml$/.test(f));

describe('every committed dist/ file and stack file', () => {
  test('there are files to compare', () => {
    expect(committed.length).toBeGreaterThanOrEqual(12);
  });

  test.each(committed)('%s: in pieces of 64 bytes, 4 KiB and 1 MiB, the documents of the whole text', (file) => {
    const path = join(REPO_ROOT, file);
    const whole = readYaml(readFileSync(path, 'utf8'));
    for (const blockBytes of [64, 4096, undefined]) {
      const pieces = readYamlFile(path, blockBytes ? { blockBytes } : {});
      expect(pieces.fast).toBe(whole.fast);
      expect(pieces.documents).toStrictEqual(whole.documents);
    }
  });

  test.each(committed.filter((f) => f.startsWith('dist/')))(
    "%s: in pieces of 64 bytes, every field's line is the full parser's",
    (file) => {
      const path = join(REPO_ROOT, file);
      const viaFull = readYaml(readFileSync(path, 'utf8'), { fast: false });
      const pieces = readYamlFile(path, { blockBytes: 64 });
      expect(pieces.fast).toBe(true);
      viaFull.documents.forEach((doc, index) => {
        expect(pieces.startOf(index)).toEqual(viaFull.startOf(index));
        for (const path of fieldPaths(doc.value))
          expect([path, pieces.lineOf(index, path)]).toEqual([path, viaFull.lineOf(index, path)]);
      });
    },
  );
});

describe('generated files', () => {
  const key = fc.constantFrom('a', 'name', 'é', 'key with spaces', '0', 'true', 'x: y');
  const value = fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('...', 'é😀', '', 'line\nbreak', 'x\n---\ny', 'a: b', '# c', 'Off', '1e3'),
    fc.string({ maxLength: 30 }),
    fc.string({ unit: 'grapheme', maxLength: 10 }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
  );
  const document = fc.dictionary(key, fc.oneof(value, fc.array(value, { maxLength: 3 }), fc.dictionary(key, value)), {
    minKeys: 1,
    maxKeys: 5,
  });
  const files = fc
    .array(document, { minLength: 1, maxLength: 8 })
    .map((docs) => docs.map((d) => stringify(d, YAML_OPTIONS)).join('---\n'));

  test('in pieces of any size: the documents and lines of the whole text', () => {
    let cutPlain = 0; // files the fast reader read in more than one piece
    fc.assert(
      fc.property(files, fc.integer({ min: 1, max: 300 }), (text, blockBytes) => {
        const file = fileWith(text);
        const whole = readYaml(text);
        const pieces = readYamlFile(file, { blockBytes });
        expect(pieces.fast).toBe(whole.fast);
        expect(pieces.documents).toStrictEqual(whole.documents);
        whole.documents.forEach((doc, index) => {
          expect(pieces.startOf(index)).toEqual(whole.startOf(index));
          for (const path of fieldPaths(doc.value)) expect(pieces.lineOf(index, path)).toBe(whole.lineOf(index, path));
        });
        if (whole.fast && whole.documents.length > 1 && blockBytes < text.length) cutPlain++;
      }),
      { numRuns: 150 },
    );
    expect(cutPlain).toBeGreaterThan(50);
  });
});

describe('texts the fast reader declines are read whole, as readYaml reads them', () => {
  test.each([
    ['a document marker first', '---\na: 1\n---\nb: 2\n'],
    ['a marker last (an empty document)', 'a: 1\n---\nb: 2\n---\n'],
    ['an empty document between two', 'a: 1\n---\n---\nb: 2\n'],
    ['no final line break', 'a: 1\n---\nb: 2'],
    ['a marker with something after it', 'a: 1\n--- x\nb: 2\n'],
    ['an error in a later document', 'a: 1\n---\nb: [1,\n'],
    ['an anchor in a later document', 'a: 1\n---\nb: &x 1\nc: *x\n'],
    ['an empty file', ''],
  ])('%s', (_what, text) => {
    const whole = readYaml(text);
    const pieces = readYamlFile(fileWith(text), { blockBytes: 4 });
    expect(pieces.fast).toBe(false);
    expect(whole.fast).toBe(false);
    expect(pieces.documents).toStrictEqual(whole.documents);
  });
});

describe('lines are read again from the file', () => {
  const text = 'a: "é😀 and more than thirteen characters"\n---\nb:\n  c: 1\n---\nd: x\n';

  test('after characters of several bytes, a later document has its line', () => {
    const stream = readYamlFile(fileWith(text), { blockBytes: 8 });
    expect(stream.fast).toBe(true);
    expect(stream.documents.map((d) => d.value)).toEqual([
      { a: 'é😀 and more than thirteen characters' },
      { b: { c: 1 } },
      { d: 'x' },
    ]);
    expect(stream.lineOf(1, ['b', 'c'])).toBe(4);
    expect(stream.lineOf(2, ['d'])).toBe(6);
    expect(stream.startOf(2)).toEqual({ line: 6, col: 1 });
  });

  test('a file changed since it was read gives no line, and does not throw', () => {
    const file = fileWith(text);
    const stream = readYamlFile(file);
    writeFileSync(file, text.replace('d: x', 'd: y'));
    utimesSync(file, new Date('2030-01-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z'));
    expect(stream.lineOf(2, ['d'])).toBeUndefined();
  });

  test('a file removed since it was read gives no line, and does not throw', () => {
    const file = fileWith(text);
    const stream = readYamlFile(file);
    rmSync(file);
    expect(stream.lineOf(1, ['b', 'c'])).toBeUndefined();
  });

  test('a line already found stays known', () => {
    const file = fileWith(text);
    const stream = readYamlFile(file);
    expect(stream.lineOf(1, ['b', 'c'])).toBe(4);
    rmSync(file);
    expect(stream.lineOf(1, ['b', 'c'])).toBe(4);
    expect(stream.startOf(1)).toEqual({ line: 3, col: 1 });
  });
});

test('a missing file throws the fs error (the gate words it as unreadable input)', () => {
  expect(() => readYamlFile(join(dir, 'missing.yaml'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
});
