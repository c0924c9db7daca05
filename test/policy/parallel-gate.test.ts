/**
 * The standalone gate judges stacks in worker threads (policy/parallel-gate.ts) and prints
 * exactly what one thread prints: the same report, the same exit code, the same refusal.
 * Workers load the bundled entry point, so the gate is bundled the way scripts/build.mjs
 * bundles it and run as `npm run check` runs it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from '../support/environments';
import { TEST_SCHEMAS } from './fixtures';

jest.setTimeout(180_000);

let bundle: string;

beforeAll(async () => {
  bundle = join(mkdtempSync(join(tmpdir(), 'parallel-gate-')), 'check.js');
  await build({
    entryPoints: [join(REPO_ROOT, 'policy', 'cli.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'silent',
  });
}, 180_000);

const OFFLINE = ['--schemas', TEST_SCHEMAS.schemaLocations[0]!, '--crds', TEST_SCHEMAS.crdLocations[0]!];

function check(cwd: string, args: string[]) {
  const run = spawnSync(process.execPath, [bundle, ...args, ...OFFLINE], { cwd, encoding: 'utf8' });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

/** A copy of the repository's stack files and dist/, changed by `edit`. */
function copyOfRepository(edit: (root: string) => void): string {
  const root = mkdtempSync(join(tmpdir(), 'parallel-gate-root-'));
  for (const stack of ['staging', 'prod'])
    cpSync(join(REPO_ROOT, `Pulumi.${stack}.yaml`), join(root, `Pulumi.${stack}.yaml`));
  cpSync(join(REPO_ROOT, 'dist'), join(root, 'dist'), { recursive: true });
  edit(root);
  return root;
}

function edited(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
}

describe('npm run check over several stacks', () => {
  test.each([[[]], [['--format', 'json']]])('this repository, %p: threads print what one thread prints', (format) => {
    const threaded = check(REPO_ROOT, ['dist', ...format]);
    const single = check(REPO_ROOT, ['dist', ...format, '--no-threads']);
    expect(threaded).toEqual(single);
    expect(threaded.code).toBe(0);
    expect(threaded.out).toContain('staging');
    expect(threaded.out).toContain('prod');
  });

  test('findings in the stack a worker judges: the same report and exit code', () => {
    const root = copyOfRepository((r) =>
      edited(join(r, 'dist', 'staging', 'control-plane.yaml'), 'api:1.42.0', 'api:latest'),
    );
    const threaded = check(root, ['dist']);
    expect(threaded).toEqual(check(root, ['dist', '--no-threads']));
    expect(threaded.code).toBe(1);
    expect(threaded.out).toMatch(/hygiene\.image-pinned.*\n?.*dist\/staging\/control-plane\.yaml:59/);
  });

  test('a stack file a worker cannot load: the same refusal and exit code 2', () => {
    const root = copyOfRepository((r) => writeFileSync(join(r, 'Pulumi.staging.yaml'), 'config: [\n'));
    const threaded = check(root, ['dist']);
    expect(threaded).toEqual(check(root, ['dist', '--no-threads']));
    expect(threaded.code).toBe(2);
    expect(threaded.err).toMatch(/^check: .*Pulumi\.staging\.yaml/);
  });
});
