/**
 * scripts/build.mjs skips the bundle when nothing it read changed since the last build,
 * and rebuilds when an input (a source file, the lockfile, the script) changes. Run on
 * a tiny project in a temporary folder, with the repository's esbuild.
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/environments';

function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'agent-platform-build-'));
  mkdirSync(join(root, 'scripts'));
  mkdirSync(join(root, 'charts-src'));
  copyFileSync(join(REPO_ROOT, 'scripts', 'build.mjs'), join(root, 'scripts', 'build.mjs'));
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'));
  writeFileSync(join(root, 'package-lock.json'), '{}\n');
  writeFileSync(join(root, 'tsconfig.json'), '{}\n');
  writeFileSync(join(root, 'charts-src', 'main.ts'), "import { answer } from './answer';\nconsole.log(answer);\n");
  writeFileSync(join(root, 'charts-src', 'answer.ts'), 'export const answer: number = 41;\n');
  return root;
}

const build = (root: string, ...args: string[]) =>
  execFileSync(process.execPath, ['scripts/build.mjs', ...args], { cwd: root, encoding: 'utf8' });
const run = (root: string) => execFileSync(process.execPath, ['build/synth.js'], { cwd: root, encoding: 'utf8' });
const builtAt = (root: string) => statSync(join(root, 'build', 'synth.js')).mtimeMs;

/** Moves a file's modification time into the past, so a rewrite is seen even within one clock tick. */
function age(file: string): void {
  const past = new Date(Date.now() - 60_000);
  utimesSync(file, past, past);
}

describe('scripts/build.mjs', () => {
  it('skips the bundle when no input changed, and rebuilds when an imported file changes', () => {
    const root = project();
    build(root);
    expect(run(root).trim()).toBe('41');
    age(join(root, 'build', 'synth.js'));
    const first = builtAt(root);
    build(root);
    expect(builtAt(root)).toBe(first);

    writeFileSync(join(root, 'charts-src', 'answer.ts'), 'export const answer: number = 42;\n');
    build(root);
    expect(builtAt(root)).not.toBe(first);
    expect(run(root).trim()).toBe('42');
  });

  it('rebuilds when the lockfile changes or when forced', () => {
    const root = project();
    build(root);
    age(join(root, 'build', 'synth.js'));
    const first = builtAt(root);
    writeFileSync(join(root, 'package-lock.json'), '{ "changed": true }\n');
    build(root);
    const second = builtAt(root);
    expect(second).not.toBe(first);
    age(join(root, 'build', 'synth.js'));
    const aged = builtAt(root);
    build(root, '--force');
    expect(builtAt(root)).not.toBe(aged);
    expect(readFileSync(join(root, 'build', '.inputs.json'), 'utf8')).toContain('charts-src/answer.ts');
  });
});
