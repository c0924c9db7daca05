/**
 * The minor each stack runs, for the upgrade-step rules (charts-src/upgrade-step.ts): the
 * `kubernetesVersion` of dist/<stack>/index.json at a git base (what was reviewed, merged
 * and deployed), or one given explicitly. A stack without an index at the base is new.
 */
import { execFileSync } from 'node:child_process';
import { relative } from 'node:path';
import { SynthError } from './synthesize';
import type { RunningMinor } from './upgrade-step';

function git(cwd: string, args: readonly string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** The commit of `ref`, or of the merge-base of HEAD with origin/main (else main) when no ref is given. */
export function resolveBaseCommit(root: string, ref?: string): { commit: string; label: string } | undefined {
  if (ref !== undefined) {
    const commit = git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    if (!commit) throw new SynthError(`--base ${JSON.stringify(ref)} is not a commit in this repository`);
    return { commit, label: `${ref} (${commit.slice(0, 7)})` };
  }
  for (const candidate of ['origin/main', 'main']) {
    if (!git(root, ['rev-parse', '--verify', '--quiet', `${candidate}^{commit}`])) continue;
    const commit = git(root, ['merge-base', 'HEAD', candidate]);
    if (commit) return { commit, label: `the merge-base with ${candidate} (${commit.slice(0, 7)})` };
  }
  return undefined;
}

/** `kubernetesVersion` of `<outDir>/<stack>/index.json` at the base commit, per stack that has one. */
export function runningMinorsAt(
  root: string,
  outDir: string,
  stacks: readonly string[],
  base: { commit: string; label: string },
): Map<string, RunningMinor> {
  const top = git(root, ['rev-parse', '--show-toplevel']);
  const found = new Map<string, RunningMinor>();
  if (!top) return found;
  const dir = relative(top, outDir);
  if (dir.startsWith('..')) return found; // rendered outside the repository: nothing was deployed from it
  for (const stack of stacks) {
    const path = [dir, stack, 'index.json'].filter(Boolean).join('/');
    const text = git(top, ['show', `${base.commit}:${path}`]);
    const minor = text ? (JSON.parse(text) as { kubernetesVersion?: unknown }).kubernetesVersion : undefined;
    if (typeof minor === 'string') found.set(stack, { minor, source: `${path} at ${base.label}` });
  }
  return found;
}

/** `staging=1.35` → ['staging', { minor: '1.35', source: '--running staging=1.35' }]. */
export function parseRunning(values: readonly string[]): Map<string, RunningMinor> {
  return new Map(
    values.map((value) => {
      const match = /^([A-Za-z0-9_.-]+)=(\d+\.\d+)$/.exec(value);
      if (!match) throw new SynthError(`--running ${JSON.stringify(value)} must look like staging=1.35`);
      return [match[1]!, { minor: match[2]!, source: `--running ${value}` }] as const;
    }),
  );
}
