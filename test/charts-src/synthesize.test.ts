import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesize, SynthError } from '../../charts-src/synthesize';
import { REPO_ROOT } from '../support/environments';

function workspace(): { root: string; out: string } {
  const root = mkdtempSync(join(tmpdir(), 'synth-'));
  for (const stack of ['staging', 'prod'])
    copyFileSync(join(REPO_ROOT, `Pulumi.${stack}.yaml`), join(root, `Pulumi.${stack}.yaml`));
  return { root, out: join(root, 'dist') };
}

/** Replaces text in one of the workspace's stack files. */
function editStack(root: string, stack: string, from: string, to: string): void {
  const file = join(root, `Pulumi.${stack}.yaml`);
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`Pulumi.${stack}.yaml has no "${from}"`);
  writeFileSync(file, text.replace(from, to));
}

/** The SynthError message of a synth that must fail; fails the test if it succeeds or throws anything else. */
function synthErrorOf(root: string, out: string): string {
  try {
    synthesize({ root, outDir: out });
  } catch (error) {
    expect(error).toBeInstanceOf(SynthError);
    return (error as Error).message;
  }
  throw new Error('expected synth to fail, but it succeeded');
}

function snapshotDir(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const stack of readdirSync(dir)) {
    for (const file of readdirSync(join(dir, stack)))
      out[`${stack}/${file}`] = readFileSync(join(dir, stack, file), 'utf8');
  }
  return out;
}

describe('synth pipeline', () => {
  it('renders every stack file into dist/<stack>/ with an index of digests', () => {
    const { root, out } = workspace();
    const result = synthesize({ root, outDir: out });
    expect(result.stacks.map((s) => s.stack)).toEqual(['prod', 'staging']);
    const index = JSON.parse(readFileSync(join(out, 'staging', 'index.json'), 'utf8'));
    expect(index).toMatchObject({ stack: 'staging', platform: 'lobstack', kubernetesVersion: '1.35' });
    expect(index.platformVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(index.environmentDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(index.files[0]).toMatchObject({ file: 'namespaces.yaml' });
    expect(index.files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is byte-identical across runs', () => {
    const { root, out } = workspace();
    synthesize({ root, outDir: out });
    const first = snapshotDir(out);
    synthesize({ root, outDir: out });
    expect(snapshotDir(out)).toEqual(first);
  });

  it('writes nothing when any stack file is invalid, and reports every problem', () => {
    const { root, out } = workspace();
    synthesize({ root, outDir: out });
    const before = snapshotDir(out);
    editStack(root, 'prod', 'min: 8\n', 'min: 80\n');
    editStack(root, 'prod', "version: '1.35'", "version: '1.99'");
    editStack(root, 'prod', 'provider: hcloud', 'provider: gcp');
    // The staging file is fine; the change to it must not land either.
    editStack(root, 'staging', 'name: team-support', 'name: team-helpdesk');
    const message = synthErrorOf(root, out);
    expect(message).toContain('Pulumi.prod.yaml (agent-platform:platform): 3 problems:');
    expect(message).toContain('nodePools[2].max (40) must be >= min (80)');
    expect(message).toContain('kubernetes.version ("1.99") must be one of: 1.35, 1.36');
    expect(message).toContain('cloud.provider ("gcp") must be one of: hcloud, aws');
    expect(snapshotDir(out)).toEqual(before);
    expect(readdirSync(out).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('check mode reports stale files without writing', () => {
    const { root, out } = workspace();
    synthesize({ root, outDir: out });
    writeFileSync(join(out, 'staging', 'namespaces.yaml'), 'edited by hand\n');
    const result = synthesize({ root, outDir: out, check: true });
    expect(result.stale).toEqual([join(out, 'staging', 'namespaces.yaml')]);
    expect(readFileSync(join(out, 'staging', 'namespaces.yaml'), 'utf8')).toBe('edited by hand\n');
  });

  it('prunes the dist/ of a stack whose file was removed', () => {
    const { root, out } = workspace();
    synthesize({ root, outDir: out });
    writeFileSync(join(root, 'Pulumi.prod.yaml.bak'), '');
    rmSync(join(root, 'Pulumi.prod.yaml'));
    synthesize({ root, outDir: out });
    expect(existsSync(join(out, 'prod'))).toBe(false);
    expect(existsSync(join(out, 'staging', 'index.json'))).toBe(true);
  });

  it('the committed dist/ equals a fresh synth', () => {
    const result = synthesize({ root: REPO_ROOT, check: true });
    expect(result.stale).toEqual([]);
  });
});

describe('construct validation errors at synth', () => {
  it('are reported per stack without a stack trace, and nothing is written', () => {
    const { root, out } = workspace();
    synthesize({ root, outDir: out });
    const before = snapshotDir(out);
    // A quota too small for the warm pool at its KEDA maximum: a cross-object invariant checked at synth.
    editStack(root, 'staging', "requestsCpu: '80'", "requestsCpu: '8'");
    const message = synthErrorOf(root, out);
    expect(message).toMatch(/^staging: agent-runtime\//);
    expect(message).toContain('requests.cpu');
    expect(message).not.toMatch(/\n\s+at /);
    expect(snapshotDir(out)).toEqual(before);
  });
});
