/**
 * The program as it was at the base ref, recorded under mocks, so the plan can say
 * what the change does to the cloud (changes.ts). The base's own code runs, with
 * its own stack file and dist/: a change in infra/ (an image, a pinned version) shows
 * as well as a change in Pulumi.<stack>.yaml.
 *
 * How: `git archive` of the base commit into a temp folder (with `../shared` and
 * `node_modules` linked, so it sees what the working tree sees), a small entry that
 * runs the base's own offline program (`tools/plan/program.ts`, which supplies the
 * placeholder credentials that version needs) through this recorder, bundled by esbuild, run in
 * a child process (a mocked engine per process). Nothing is checked out in the repository.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { PlannedResource } from './record';

/** The base could not be recorded; the plan shows the reason instead of the changes. */
export class BaseRecordingError extends Error {
  override readonly name = 'BaseRecordingError';
}

const RESULT_FILE = 'recording.json';

function entrySource(root: string, stack: string): string {
  const tools = join(root, 'tools', 'plan').split('\\').join('/');
  return `
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadStackFile } from './config';
// The base's own offline program: it knows which placeholder credentials its platform needs.
import { platformProgram } from './tools/plan/program';
import { recordProgram } from '${tools}/record';
import { OFFLINE_OUTPUTS, offlineCalls } from '${tools}/offline';

const stack = ${JSON.stringify(stack)};
const { spec } = loadStackFile(join(__dirname, '..', 'Pulumi.' + stack + '.yaml'), stack);
recordProgram(
  () => platformProgram(join(__dirname, '..'))(spec),
  { stack, calls: offlineCalls(spec), outputs: OFFLINE_OUTPUTS, secretConfig: ['agent-platform:hcloudToken'] },
).then(
  (resources) => {
    writeFileSync(join(__dirname, ${JSON.stringify(RESULT_FILE)}), JSON.stringify(resources));
    process.exit(0);
  },
  (error) => {
    process.stderr.write(String(error instanceof Error ? error.message : error));
    process.exit(1);
  },
);
`;
}

/** Records the program of `commit` for `stack`. Throws BaseRecordingError with the reason when it cannot. */
export async function recordAtBase(root: string, commit: string, stack: string): Promise<PlannedResource[]> {
  const short = commit.slice(0, 7);
  const listing = execFileSync('git', ['ls-tree', '--name-only', commit, '--', `Pulumi.${stack}.yaml`, 'infra'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (!listing.includes(`Pulumi.${stack}.yaml`)) {
    throw new BaseRecordingError(`Pulumi.${stack}.yaml does not exist at the base (${short}): every resource is new`);
  }
  if (!listing.includes('infra')) throw new BaseRecordingError(`there is no infra/ at the base (${short})`);
  const planProgram = execFileSync('git', ['ls-tree', '--name-only', commit, '--', 'tools/plan/program.ts'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (!planProgram.trim()) throw new BaseRecordingError(`there is no tools/plan/program.ts at the base (${short})`);
  const temp = mkdtempSync(join(tmpdir(), 'plan-base-'));
  try {
    const tree = join(temp, 'repo');
    mkdirSync(tree);
    const archive = execFileSync('git', ['archive', '--format=tar', commit], { cwd: root, maxBuffer: 1 << 30 });
    execFileSync('tar', ['-x', '-C', tree], { input: archive });
    symlinkSync(join(root, 'node_modules'), join(tree, 'node_modules'), 'dir');
    const shared = resolve(root, '..', 'shared');
    if (existsSync(shared)) symlinkSync(shared, join(temp, 'shared'), 'dir');
    const build = join(tree, 'build');
    mkdirSync(build);
    const entry = join(tree, 'plan-base-entry.ts');
    writeFileSync(entry, entrySource(root, stack));
    const { build: bundle } = await import('esbuild');
    const outfile = join(build, 'plan-base.js');
    try {
      await bundle({
        entryPoints: [entry],
        outfile,
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        packages: 'external',
        logLevel: 'silent',
      });
    } catch (error) {
      throw new BaseRecordingError(
        `the base's program does not build with this plan tool (${short}): ${(error as Error).message.split('\n')[0]}`,
      );
    }
    const run = spawnSync(process.execPath, [outfile], { cwd: tree, encoding: 'utf8', maxBuffer: 1 << 28 });
    if (run.status !== 0) {
      throw new BaseRecordingError(
        `the base's program failed under the mocked engine (${short}): ${(run.stderr || run.stdout || `exit ${run.status}`).trim().split('\n')[0]}`,
      );
    }
    return JSON.parse(readFileSync(join(build, RESULT_FILE), 'utf8')) as PlannedResource[];
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
