/**
 * Reading manifest sets: from the working tree (`dist/<stack>/**.yaml`) and from a
 * git commit (`git ls-tree` + `git show`), without checking anything out.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { addManifests, isManifestFile, ManifestReadError, type ObjectSet } from './objects';

export type StackSets = Map<string, ObjectSet>;

function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function tryGit(cwd: string, args: string[]): string | undefined {
  try {
    return git(cwd, args).trim();
  } catch {
    return undefined;
  }
}

export function repoRoot(cwd: string): string {
  const root = tryGit(cwd, ['rev-parse', '--show-toplevel']);
  if (!root)
    throw new ManifestReadError(`${cwd} is not inside a git repository: the diff needs git history for its base`);
  return root;
}

export interface ResolvedBase {
  /** What the user asked for or what was chosen (`origin/main`, `HEAD`). */
  readonly ref: string;
  readonly commit: string;
  /** `merge-base of HEAD and origin/main (3f2a1bc)`. */
  readonly label: string;
}

/**
 * The commit to compare against: `explicit` when given (must exist), else the
 * merge-base of HEAD with origin/main, then with main, else HEAD itself.
 */
export function resolveBase(root: string, explicit?: string): ResolvedBase {
  if (explicit !== undefined) {
    const commit = tryGit(root, ['rev-parse', '--verify', '--quiet', `${explicit}^{commit}`]);
    if (!commit) {
      throw new ManifestReadError(
        `--base ${JSON.stringify(explicit)} is not a commit in this repository (try a branch, tag or SHA; in CI fetch with fetch-depth: 0)`,
      );
    }
    return { ref: explicit, commit, label: `${code(explicit)} (${commit.slice(0, 7)})` };
  }
  for (const candidate of ['origin/main', 'main']) {
    if (!tryGit(root, ['rev-parse', '--verify', '--quiet', `${candidate}^{commit}`])) continue;
    const commit = tryGit(root, ['merge-base', 'HEAD', candidate]);
    if (commit) return { ref: candidate, commit, label: `merge-base with ${code(candidate)} (${commit.slice(0, 7)})` };
  }
  const head = tryGit(root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  if (!head) throw new ManifestReadError('the repository has no commits yet: nothing to compare dist/ against');
  return { ref: 'HEAD', commit: head, label: `${code('HEAD')} (${head.slice(0, 7)})` };
}

const code = (s: string) => `\`${s}\``;

function stackOf(pathInDist: string): { stack: string; file: string } | undefined {
  const slash = pathInDist.indexOf('/');
  if (slash < 0) return undefined;
  return { stack: pathInDist.slice(0, slash), file: pathInDist.slice(slash + 1) };
}

function add(sets: StackSets, stack: string, file: string, text: string): void {
  let set = sets.get(stack);
  if (!set) {
    set = new Map();
    sets.set(stack, set);
  }
  addManifests(set, `${stack}/${file}`, text);
}

/** `dist/<stack>/...yaml` in the working tree. A missing dist/ is an empty set. */
export function readWorkingTree(distDir: string): StackSets {
  const sets: StackSets = new Map();
  if (!existsSync(distDir)) return sets;
  const walk = (dir: string): string[] =>
    readdirSync(dir)
      .sort()
      .flatMap((name) => {
        const full = join(dir, name);
        return statSync(full).isDirectory() ? walk(full) : [full];
      });
  for (const full of walk(distDir)) {
    const rel = relative(distDir, full).split(sep).join('/');
    const located = stackOf(rel);
    if (!located || !isManifestFile(rel)) continue;
    add(sets, located.stack, located.file, readFileSync(full, 'utf8'));
  }
  return sets;
}

/** `dist/<stack>/...yaml` as committed in `commit`. `distPath` is relative to the repository root. */
export function readGitTree(root: string, commit: string, distPath = 'dist'): StackSets {
  const sets: StackSets = new Map();
  const prefix = `${distPath.replace(/\/+$/, '')}/`;
  const listing = git(root, ['ls-tree', '-r', '-z', '--name-only', commit, '--', prefix]);
  for (const path of listing.split('\0').filter(Boolean)) {
    if (!path.startsWith(prefix) || !isManifestFile(path)) continue;
    const located = stackOf(path.slice(prefix.length));
    if (!located) continue;
    add(sets, located.stack, located.file, git(root, ['show', `${commit}:${path}`]));
  }
  return sets;
}

/** Reads one file at a commit, or undefined when it does not exist there. */
export function readFileAt(root: string, commit: string, path: string): string | undefined {
  try {
    return git(root, ['show', `${commit}:${path}`]);
  } catch {
    return undefined;
  }
}
