/**
 * What the readers keep in memory: the values of a file, not its text. V8 keeps a cut of
 * a string as a view of the whole, so a reader that hands out cuts keeps every file it
 * read alive as long as one value lives (at 10,000 tenants, 112 MB for guardrails.yaml).
 *
 * Measured in a fresh Node process with `--expose-gc` (jest's own heap is not
 * measurable), on a text that is mostly comments: 20 MB of text whose values take well
 * under 1 MB. A reader that keeps the text keeps 20 MB or more; one that does not keeps
 * the values. Memory, not time: the bounds are an order of magnitude apart.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from '../../support/environments';

jest.setTimeout(120_000);

const dir = mkdtempSync(join(tmpdir(), 'read-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DOCUMENTS = 5_000;
const MIB = 1024 * 1024;

/** 5,000 documents, each a 4 KB comment and two values of more than 13 characters. */
function commentHeavyText(): string {
  const comment = `# ${'x'.repeat(4000)}\n`;
  return Array.from(
    { length: DOCUMENTS },
    (_, i) => `${comment}name: a-value-longer-than-thirteen-${i}\nnote: "quoted, and also long ${i}"\n`,
  ).join('---\n');
}

/** Bytes of heap still used after reading with `how`, the text dropped and a full GC, in a fresh process. */
async function retainedBytes(how: 'readPlainYaml' | 'readYamlFile', file: string): Promise<number> {
  const entry = join(dir, `${how}.ts`);
  writeFileSync(
    entry,
    `import { readFileSync } from 'node:fs';
import { readPlainYaml, readYamlFile } from ${JSON.stringify(join(REPO_ROOT, 'config', 'manifest'))};
const gc = (globalThis as unknown as { gc: () => void }).gc;
const read = (): unknown[] =>
  ${how === 'readPlainYaml' ? `readPlainYaml(readFileSync(process.argv[2]!, 'utf8'))!` : `readYamlFile(process.argv[2]!).documents`};
gc();
const before = process.memoryUsage().heapUsed;
const values = read();
gc();
console.log(JSON.stringify({ retained: process.memoryUsage().heapUsed - before, documents: values.length }));
`,
  );
  const bundle = join(dir, `${how}.js`);
  await build({
    entryPoints: [entry],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'silent',
  });
  const run = spawnSync(process.execPath, ['--expose-gc', bundle, file], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  const result = JSON.parse(run.stdout) as { retained: number; documents: number };
  expect(result.documents).toBe(DOCUMENTS);
  return result.retained;
}

test.each(['readPlainYaml', 'readYamlFile'] as const)(
  '%s keeps the values of 20 MB of text, not the text',
  async (how) => {
    const text = commentHeavyText();
    expect(text.length).toBeGreaterThan(20 * MIB - MIB);
    const file = join(dir, 'comments.yaml');
    writeFileSync(file, text);
    expect(await retainedBytes(how, file)).toBeLessThan(4 * MIB);
  },
);
