/**
 * Synth refuses whatever deploy refuses, with the same message: an environment is
 * rendered without synth's checks (as a hand-made dist/ would be), deployed under
 * mocks, and synthesized; both must fail, synth writing nothing, and synth's message
 * must be the deploy error's.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { installMocks } from '../support/pulumi-mocks';

installMocks();

import { renderStack } from '../../charts-src/render';
import { synthesize, SynthError } from '../../charts-src/synthesize';
import { writeStack } from '../../charts-src/write';
import { loadStackFile } from '../../config';
import { addonCapacityProblems } from '../../infra/addons/capacity';
import { PreflightError } from '../../infra/preflight';
import { definePlatform } from '../../infra/program';
import { environmentFiles, specOf } from '../support/all-environments';
import { rawStack } from '../support/environments';
import { fakeCluster } from './support';

/** A stack file `Pulumi.<stack>.yaml` in a fresh folder, from staging's settings changed by `edit`. */
function stackFolder(stack: string, edit: (raw: ReturnType<typeof rawStack>) => void): string {
  const root = mkdtempSync(join(tmpdir(), `preflight-${stack}-`));
  const raw = rawStack('staging');
  edit(raw);
  writeFileSync(join(root, `Pulumi.${stack}.yaml`), stringify({ config: { 'agent-platform:platform': raw } }));
  return root;
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

/** Deploys the rendering of the stack (written without synth's checks): the error deploy throws. */
function deployError(root: string, stack: string): Error {
  const { spec } = loadStackFile(join(root, `Pulumi.${stack}.yaml`), stack);
  const distDir = join(root, 'rendered');
  writeStack(distDir, renderStack(spec, '0.1.0'));
  return thrown(() => definePlatform(spec, { distDir, cluster: fakeCluster(spec) }));
}

function synthError(root: string): Error {
  return thrown(() => synthesize({ root }));
}

describe('synth refuses what deploy refuses, with the same message', () => {
  it('a pool of 100,000 servers on Hetzner: the network limit, and what fits', () => {
    const root = stackFolder('huge', (raw) => {
      raw.nodePools[1].max = 100000;
    });
    const deploy = deployError(root, 'huge');
    expect(deploy).toBeInstanceOf(PreflightError);
    expect(deploy.message).toBe(
      'environment "lobstack" (stack huge) cannot be built on Hetzner Cloud:\n' +
        "  nodePools: can grow to 100015 servers (control-plane: 3, api: 100000, agents: 12); a Hetzner network holds at most 100: lower the pools' max (with the other pools as they are, api fits at most 85)",
    );
    const synth = synthError(root);
    expect(synth).toBeInstanceOf(SynthError);
    expect(synth.message).toBe(`huge: ${deploy.message}`);
    expect(existsSync(join(root, 'dist'))).toBe(false);
  });

  it('a one-node 4 GB system pool: the add-ons do not fit, with the arithmetic', () => {
    const root = stackFolder('small', (raw) => {
      Object.assign(raw.nodePools[0], { instanceType: 'cpx22', min: 1, max: 1 });
    });
    const deploy = deployError(root, 'small');
    expect(deploy).toBeInstanceOf(PreflightError);
    expect(deploy.message).toContain('the add-ons of stack small do not fit their node pools');
    expect(deploy.message).toContain(
      'cannot place one kube-prometheus-stack/prometheus pod (500m CPU / 2 GiB); use a larger instance type',
    );
    // The memory line: every term, their sum, and how many nodes would hold it.
    const memory =
      /at its max of 1 offers 1 × ([\d.]+) GiB = [\d.]+ GiB, but the add-ons' pods request (.*) = ([\d.]+) GiB; raise nodePools\[0\]\.max \(and min\) to at least (\d+), or use a larger instance type/.exec(
        deploy.message,
      );
    expect(memory).not.toBeNull();
    const [, perNode, terms, total, nodes] = memory!;
    expect(terms).toContain(
      'kube-prometheus-stack/prometheus 1 × 2 GiB + kube-prometheus-stack/alertmanager 2 × 128 MiB',
    );
    expect(terms).toContain('vault/server 3 × 256 MiB');
    const sum = terms!.split(' + ').reduce((gib, term) => {
      const [, n, size, unit] = /^.* (\d+) × ([\d.]+) (MiB|GiB)$/.exec(term) ?? [];
      return gib + Number(n) * Number(size) * (unit === 'MiB' ? 1 / 1024 : 1);
    }, 0);
    expect(Number(total)).toBeCloseTo(sum, 1);
    expect(Number(nodes)).toBe(Math.ceil(sum / Number(perNode)));
    expect(synthError(root).message).toBe(`small: ${deploy.message}`);
    expect(existsSync(join(root, 'dist'))).toBe(false);
  });
});

describe('every environment of the repository passes the preflight', () => {
  it.each(environmentFiles().map((e) => [e.shown, e] as const))('%s: the add-ons fit', (_shown, env) => {
    expect(addonCapacityProblems(specOf(env))).toEqual([]);
  });
});
