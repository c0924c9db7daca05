import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRunning, resolveBaseCommit, runningMinorsAt } from '../../charts-src/running-minor';
import { synthesize, SynthError } from '../../charts-src/synthesize';
import { upgradeStepProblems } from '../../charts-src/upgrade-step';
import type { EnvironmentSpec } from '../../config';
import { parseRaw, rawStack, REPO_ROOT } from '../support/environments';
import { objectsOf } from '../support/render';

/** Staging as if its cluster ran (kubernetes.deployed: true). */
function deployedStaging(mutate: (raw: ReturnType<typeof rawStack>) => void = () => undefined): EnvironmentSpec {
  const raw = rawStack('staging');
  raw.kubernetes.deployed = true;
  mutate(raw);
  return parseRaw(raw, 'staging');
}

const at = (minor: string) => ({ minor, source: 'dist/staging/index.json at main (abc1234)' });

describe('upgrade-step rules', () => {
  const spec = deployedStaging();
  const objects = objectsOf(spec);

  it('accepts staying on the running minor and one step up', () => {
    expect(upgradeStepProblems(spec, at('1.35'), objects)).toEqual([]);
    expect(upgradeStepProblems(spec, at('1.34'), objects)).toEqual([]);
  });

  it('refuses a minor below the running one', () => {
    expect(upgradeStepProblems(spec, at('1.36'), objects)).toEqual([
      'kubernetes.version (1.35) is below the running minor 1.36 (dist/staging/index.json at main (abc1234)): Kubernetes cannot downgrade; keep 1.36',
    ]);
  });

  it('refuses a skipped minor and names the one to deploy first', () => {
    expect(upgradeStepProblems(spec, at('1.33'), objects)).toEqual([
      'kubernetes.version (1.35) skips minors: the cluster runs 1.33 (dist/staging/index.json at main (abc1234)) and moves one minor at a time; ' +
        'deploy 1.34 first (not in config/kubernetes-support.ts any more: upgrade with a platform version that supports it)',
    ]);
    const on136: EnvironmentSpec = { ...spec, kubernetes: { ...spec.kubernetes, version: '1.36' } };
    expect(upgradeStepProblems(on136, at('1.34'), objects)).toEqual([
      'kubernetes.version (1.36) skips minors: the cluster runs 1.34 (dist/staging/index.json at main (abc1234)) and moves one minor at a time; deploy 1.35 first',
    ]);
  });

  it('refuses a step when an installed chart does not support both minors', () => {
    const on136: EnvironmentSpec = { ...spec, kubernetes: { ...spec.kubernetes, version: '1.36' } };
    expect(upgradeStepProblems(on136, at('1.35'), objects)).toEqual([
      'kubernetes.version (1.36): the keda chart 2.20.2 runs on 1.35 and 1.36 during the upgrade but supports 1.33 to 1.35; ' +
        'first move it to a version that supports both (config/kubernetes-support.ts)',
    ]);
  });

  it('refuses a step whose drains cannot progress: a PDB on a pool that never has a second node', () => {
    const small = deployedStaging((raw) => {
      raw.nodePools[1] = { ...raw.nodePools[1], min: 1, max: 1 };
    });
    expect(upgradeStepProblems(small, at('1.34'), objectsOf(small))).toEqual([
      'kubernetes.version (1.35): PodDisruptionBudget lobstack-control-plane/api protects Deployment api on pool "api" (min 1, max 1): ' +
        'the upgrade drains its only node and the evicted pods have nowhere to go; give the pool max >= 2',
    ]);
  });

  it('checks nothing for an environment no cluster runs yet, or without a running minor', () => {
    const fresh = parseRaw(rawStack('staging'), 'staging');
    expect(fresh.kubernetes.deployed).toBe(false);
    expect(upgradeStepProblems(fresh, at('1.31'), objects)).toEqual([]);
    expect(upgradeStepProblems(spec, undefined, objects)).toEqual([]);
  });
});

describe('synth with running minors', () => {
  it('refuses the whole synth, writing nothing, when a stack takes an unsafe step', () => {
    const root = mkdtempSync(join(tmpdir(), 'upgrade-step-'));
    cpSync(join(REPO_ROOT, 'Pulumi.staging.yaml'), join(root, 'Pulumi.staging.yaml'));
    const file = join(root, 'Pulumi.staging.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('deployed: false', 'deployed: true'));
    const run = () => synthesize({ root, running: parseRunning(['staging=1.33']) });
    expect(run).toThrow(SynthError);
    expect(run).toThrow('refused upgrade step:\n  - staging: kubernetes.version (1.35) skips minors');
    expect(existsSync(join(root, 'dist'))).toBe(false);
  });

  it('reads the running minor from dist/<stack>/index.json at a git base', () => {
    const base = resolveBaseCommit(REPO_ROOT, 'HEAD')!;
    const running = runningMinorsAt(REPO_ROOT, join(REPO_ROOT, 'dist'), ['staging', 'prod', 'nope'], base);
    expect(running.get('staging')).toEqual({ minor: '1.35', source: `dist/staging/index.json at ${base.label}` });
    expect(running.has('nope')).toBe(false);
    // Rendered outside the repository (an example into /tmp): nothing was deployed from there.
    expect(runningMinorsAt(REPO_ROOT, tmpdir(), ['staging'], base).size).toBe(0);
  });

  it('takes --running stack=minor, and refuses anything else', () => {
    expect(parseRunning(['prod=1.34']).get('prod')).toEqual({ minor: '1.34', source: '--running prod=1.34' });
    expect(() => parseRunning(['prod'])).toThrow('--running "prod" must look like staging=1.35');
  });
});
