/**
 * Synth in worker threads (charts-src/threads.ts) gives what synth in one thread gives:
 * the same files, warnings and gate reports, and on failure the same error, whichever
 * phase of whichever stacks fails. The per-stack pipeline and the merge are checked
 * in-process against synthesize(); the built synth is run with --threads 2 and
 * --threads 1 and its output and messages compared.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { selectStackFiles, synthesize, type SynthOptions } from '../../charts-src/synthesize';
import { mergeOutcomes, stackFiles, synthStack } from '../../charts-src/stack-pipeline';
import { defaultThreads, THREADS_MIN_BYTES } from '../../charts-src/threads';
import { availableParallelism } from 'node:os';
import { parseRunning } from '../../charts-src/running-minor';
import { REPO_ROOT, SHARED_ROOT } from '../support/environments';
import { TEST_SCHEMAS } from '../policy/fixtures';

function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'synth-threads-'));
  for (const stack of ['staging', 'prod'])
    copyFileSync(join(REPO_ROOT, `Pulumi.${stack}.yaml`), join(root, `Pulumi.${stack}.yaml`));
  return root;
}

function editStack(root: string, stack: string, from: string, to: string): void {
  const file = join(root, `Pulumi.${stack}.yaml`);
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`Pulumi.${stack}.yaml has no "${from}"`);
  writeFileSync(file, text.replace(from, to));
}

/** Kubernetes schemas without the Namespace kind: every stack fails the gate. */
function schemasWithoutNamespace(root: string): SynthOptions['schemas'] {
  const defs = JSON.parse(readFileSync(join(SHARED_ROOT, 'k8s-schemas', 'v1.35.0', '_definitions.json'), 'utf8'));
  delete defs.definitions['io.k8s.api.core.v1.Namespace'];
  mkdirSync(join(root, 'schemas', 'v1.35.0'), { recursive: true });
  writeFileSync(join(root, 'schemas', 'v1.35.0', '_definitions.json'), JSON.stringify(defs));
  return { ...TEST_SCHEMAS, schemaLocations: [join(root, 'schemas')] };
}

type Outcome = { ok: unknown } | { error: string; message: string };

/** synthesize() in check mode: its result, or its error's class and message. */
function sequential(options: SynthOptions): Outcome {
  try {
    const r = synthesize({ ...options, check: true });
    return { ok: { stacks: r.stacks.map(stackFiles), warnings: r.warnings, gate: r.gate } };
  } catch (error) {
    return { error: (error as Error).constructor.name, message: (error as Error).message };
  }
}

/** The per-stack pipeline, one stack after the other, merged: what the threads compute. */
function perStack(options: SynthOptions): Outcome {
  try {
    const outcomes = selectStackFiles(options.root!, options.stacks).map((s) =>
      synthStack(s, {
        ...(options.today ? { today: options.today } : {}),
        ...(options.running ? { running: options.running } : {}),
        ...(options.schemas ? { schemas: options.schemas } : {}),
      }),
    );
    const merged = mergeOutcomes(outcomes);
    return { ok: { stacks: merged.stacks, warnings: merged.warnings, gate: merged.gate } };
  } catch (error) {
    return { error: (error as Error).constructor.name, message: (error as Error).message };
  }
}

describe('the per-stack pipeline, merged, is synthesize()', () => {
  const today = '2026-12-02';

  it('on the committed stacks: the same files, warnings and reports', () => {
    const options = { root: REPO_ROOT, today, schemas: TEST_SCHEMAS };
    const expected = sequential(options);
    expect(expected).toHaveProperty('ok');
    expect(perStack(options)).toEqual(expected);
  });

  it.each([
    [
      'invalid stack files in one stack, a construct error in the other: the load errors',
      (root: string) => {
        editStack(root, 'prod', 'provider: hcloud', 'provider: gcp');
        editStack(root, 'staging', "requestsCpu: '80'", "requestsCpu: '8'");
      },
      /Pulumi\.prod\.yaml \(agent-platform:platform\)/,
    ],
    [
      'a construct error in one stack: the render error, per stack',
      (root: string) => editStack(root, 'staging', "requestsCpu: '80'", "requestsCpu: '8'"),
      /^staging: agent-runtime\//,
    ],
  ])('%s', (_name, edit, pattern) => {
    const root = workspace();
    edit(root);
    const options = { root, today, schemas: TEST_SCHEMAS };
    const expected = sequential(options);
    expect(expected).toMatchObject({ error: 'SynthError', message: expect.stringMatching(pattern) });
    expect(perStack(options)).toEqual(expected);
  });

  it('a gate failure in both stacks: both reports and every summary line', () => {
    const root = workspace();
    const options = { root, today, schemas: schemasWithoutNamespace(root) };
    const expected = sequential(options);
    expect(expected).toMatchObject({
      error: 'SynthError',
      message: expect.stringContaining('errors in prod, staging'),
    });
    expect(perStack(options)).toEqual(expected);
  });

  it('a refused upgrade step', () => {
    const root = workspace();
    editStack(root, 'staging', 'deployed: false', 'deployed: true');
    const options = { root, today, schemas: TEST_SCHEMAS, running: parseRunning(['staging=1.33']) };
    const expected = sequential(options);
    expect(expected).toMatchObject({
      error: 'SynthError',
      message: expect.stringMatching(/^refused upgrade step:\n {2}- staging: /),
    });
    expect(perStack(options)).toEqual(expected);
  });
});

describe('threads when none are asked for', () => {
  it('one for small stack files (a worker would cost what it saves), one per core for large ones', () => {
    const root = workspace();
    const files = selectStackFiles(root);
    expect(defaultThreads(files)).toBe(1);
    writeFileSync(
      join(root, 'Pulumi.staging.yaml'),
      `${readFileSync(join(root, 'Pulumi.staging.yaml'), 'utf8')}${'#\n'.repeat(THREADS_MIN_BYTES / 2)}`,
    );
    expect(defaultThreads(files)).toBe(availableParallelism());
  });
});

describe('the synth CLI with worker threads', () => {
  const run = promisify(execFile);
  let bundle: string;

  beforeAll(async () => {
    // Built as scripts/build.mjs builds it: the bundle is also the workers' script.
    const dir = mkdtempSync(join(tmpdir(), 'synth-bundle-'));
    bundle = join(dir, 'synth.js');
    await build({
      entryPoints: [join(REPO_ROOT, 'charts-src', 'main.ts')],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      logLevel: 'silent',
      mainFields: ['main', 'module'],
    });
  }, 120_000);

  /** One synth process: exit code, output without the timing, and what it wrote. */
  async function synth(root: string, out: string, threads: number) {
    const args = [bundle, '--root', root, '--out', out, '--no-base', '--threads', String(threads)];
    const result = await run(process.execPath, args, { cwd: REPO_ROOT }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    const files: Record<string, string> = {};
    try {
      for (const f of readdirSync(out, { recursive: true, encoding: 'utf8' }).sort()) {
        if (f.includes('.')) files[f] = readFileSync(join(out, f), 'utf8');
      }
    } catch {
      // nothing written
    }
    return {
      code: result.code,
      stdout: result.stdout.replace(/ in \d+ ms/, ' in … ms'),
      stderr: result.stderr,
      files,
    };
  }

  it('writes the same dist/ and prints the same lines as one thread', async () => {
    const root = workspace();
    const threaded = await synth(root, join(root, 'dist-2'), 2);
    const single = await synth(root, join(root, 'dist-1'), 1);
    expect(threaded.code).toBe(0);
    expect(threaded).toEqual(single);
    expect(Object.keys(threaded.files)).toEqual(expect.arrayContaining(['prod/namespaces.yaml', 'staging/index.json']));
    for (const [file, content] of Object.entries(threaded.files)) {
      expect({ file, content }).toEqual({ file, content: readFileSync(join(REPO_ROOT, 'dist', file), 'utf8') });
    }
  }, 120_000);

  it('reports a failing stack as one thread does, and writes nothing', async () => {
    const root = workspace();
    editStack(root, 'staging', "requestsCpu: '80'", "requestsCpu: '8'");
    const threaded = await synth(root, join(root, 'dist-2'), 2);
    const single = await synth(root, join(root, 'dist-1'), 1);
    expect(threaded.code).toBe(1);
    expect(threaded.stderr).toMatch(/^staging: agent-runtime\//);
    expect(threaded.stderr).toContain('nothing was written.');
    expect(threaded).toEqual(single);
    expect(threaded.files).toEqual({});
  }, 120_000);

  it('refuses a thread count that is not a positive integer', async () => {
    const root = workspace();
    const result = await synth(root, join(root, 'dist'), 0);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('must be a positive integer, got "0"');
    expect(result.files).toEqual({});
  }, 60_000);
});
