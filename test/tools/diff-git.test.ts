import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, runDiff } from '../../tools/diff';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@e',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@e',
    },
  });

const deployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: cp
spec:
  template:
    spec:
      containers:
        - name: api
          image: ${image}
`;
const namespace = `apiVersion: v1
kind: Namespace
metadata:
  name: cp
  labels:
    pod-security.kubernetes.io/enforce: restricted
`;

describe('npm run diff on a git repository', () => {
  let repo: string;

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'diff-git-'));
    git(repo, 'init', '-q', '-b', 'main');
    mkdirSync(join(repo, 'dist', 'staging'), { recursive: true });
    writeFileSync(join(repo, 'dist', 'staging', 'namespaces.yaml'), namespace);
    writeFileSync(join(repo, 'dist', 'staging', 'api.yaml'), deployment('ghcr.io/acme/api:1.0.0'));
    writeFileSync(join(repo, 'dist', 'staging', 'index.json'), '{}');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'base');
    git(repo, 'checkout', '-q', '-b', 'feature');
  });

  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('reports no manifest changes for an untouched working tree (base: merge-base with main)', () => {
    const out = runDiff({ cwd: repo, dist: 'dist' });
    expect(out).toMatch(/^## Manifest diff: merge-base with `main` \([0-9a-f]{7}\) → working tree/);
    expect(out).toContain('No manifest changes.');
  });

  it('compares the committed base with the working tree object by object, across a file rename', () => {
    renameSync(join(repo, 'dist', 'staging', 'namespaces.yaml'), join(repo, 'dist', 'staging', '00-namespaces.yaml'));
    writeFileSync(join(repo, 'dist', 'staging', 'api.yaml'), deployment('ghcr.io/acme/api:1.1.0'));
    const out = runDiff({ cwd: repo, dist: 'dist', base: 'main', stack: 'staging' });
    expect(out).toContain('0 added, 0 removed, 1 changed; 1 object moved between files with no change.');
    expect(out).toContain('| changed | Deployment cp/api | `staging/api.yaml` |');
    expect(out).toContain(
      'spec.template.spec.containers[name=api].image: ghcr.io/acme/api:1.0.0 → ghcr.io/acme/api:1.1.0',
    );
    expect(out).not.toContain('Namespace cp |');
  });

  it('exits 2 with a clear message for an unknown base or stack, 0 otherwise', () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(main(['--base', 'no-such-ref'], repo)).toBe(2);
      expect(stderr).toHaveBeenCalledWith(
        'diff: --base "no-such-ref" is not a commit in this repository (try a branch, tag or SHA; in CI fetch with fetch-depth: 0)\n',
      );
      expect(main(['--stack', 'nope'], repo)).toBe(2);
      expect(String(stderr.mock.calls[1]![0])).toMatch(
        /--stack "nope": no dist\/nope\/ at the base or in the working tree \(stacks: staging\)/,
      );
      expect(main(['--stack', 'staging'], repo)).toBe(0);
      expect(String(stdout.mock.calls[0]![0])).toContain('### Stack `staging`');
    } finally {
      stderr.mockRestore();
      stdout.mockRestore();
    }
  });
});
