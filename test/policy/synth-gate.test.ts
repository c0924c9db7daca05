import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gateStacks, synthesize, SynthError } from '../../charts-src/synthesize';
import type { Manifest, RenderedStack } from '../../charts-src/render';
import { find, platform, TEST_SCHEMAS } from './fixtures';
import { REPO_ROOT, SHARED_ROOT, stackSpec } from '../support/environments';

describe('the gate in the synth pipeline', () => {
  const spec = stackSpec('staging');
  const stack = (objects: unknown[]): RenderedStack => ({
    stack: 'staging',
    files: [{ name: 'platform.yaml', objects: objects as Manifest[], content: '' }],
    index: '',
  });

  it('returns the report when nothing is at error level', () => {
    const [report] = gateStacks([stack(platform(spec))], [spec], TEST_SCHEMAS);
    expect(report).toMatchObject({ stack: 'staging', passed: true, errors: 0 });
  });

  it('throws a SynthError carrying the report of the failing stack', () => {
    const objects = platform(spec);
    find(objects, 'Deployment', 'api').spec.template.spec.containers[0].image = 'ghcr.io/example/api';
    let error: unknown;
    try {
      gateStacks([stack(objects)], [spec], TEST_SCHEMAS);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SynthError);
    const message = (error as Error).message;
    expect(message).toContain('the policy gate found errors in staging:');
    expect(message).toContain('ERROR [hygiene.image-pinned] Deployment lobstack-control-plane/api');
    expect(message).toContain('  at   dist/staging/platform.yaml  spec.template.spec.containers[0].image');
  });

  it('synthesize() runs the gate on every stack and writes nothing when it finds an error', () => {
    const root = mkdtempSync(join(tmpdir(), 'synth-gate-'));
    copyFileSync(join(REPO_ROOT, 'Pulumi.staging.yaml'), join(root, 'Pulumi.staging.yaml'));
    // A Kubernetes 1.35 schema without the Namespace kind: every rendered Namespace is an unknown kind.
    const defs = JSON.parse(readFileSync(join(SHARED_ROOT, 'k8s-schemas', 'v1.35.0', '_definitions.json'), 'utf8'));
    delete defs.definitions['io.k8s.api.core.v1.Namespace'];
    mkdirSync(join(root, 'schemas', 'v1.35.0'), { recursive: true });
    writeFileSync(join(root, 'schemas', 'v1.35.0', '_definitions.json'), JSON.stringify(defs));
    const outDir = join(root, 'dist');
    let error: unknown;
    try {
      synthesize({ root, outDir, schemas: { ...TEST_SCHEMAS, schemaLocations: [join(root, 'schemas')] } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SynthError);
    expect((error as Error).message).toContain('the policy gate found errors in staging:');
    expect((error as Error).message).toContain('ERROR [schema.unknown-kind] Namespace lobstack-control-plane');
    expect(existsSync(outDir)).toBe(false);
  });
});
