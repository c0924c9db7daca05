import { gateStacks, SynthError } from '../../charts-src/synthesize';
import type { Manifest, RenderedStack } from '../../charts-src/render';
import { find, platform, TEST_SCHEMAS } from './fixtures';
import { stackSpec } from '../support/environments';

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
});
