/**
 * Synth runs the deploy checks of infra/ (infra/preflight.ts), which must not load
 * Pulumi: requiring @pulumi/pulumi and @pulumi/kubernetes costs about 0.75 s, more
 * than synthesizing both stacks. The synth bundle is built the way scripts/build.mjs
 * builds it and its inputs are listed.
 */
import { build } from 'esbuild';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/environments';

describe('the synth bundle', () => {
  it('contains no Pulumi SDK or provider code, though it runs the deploy preflight', async () => {
    const result = await build({
      entryPoints: [join(REPO_ROOT, 'charts-src', 'main.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      write: false,
      metafile: true,
      logLevel: 'silent',
      mainFields: ['main', 'module'],
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((i) => i.includes('node_modules/@pulumi/'))).toEqual([]);
    expect(inputs).toEqual(expect.arrayContaining(['infra/preflight.ts', 'infra/addons/catalogue.ts']));
  });
});
