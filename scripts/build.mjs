// Bundles the command-line entry points with esbuild (dependencies stay external),
// so `npm run synth` and friends start in milliseconds instead of compiling TS.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const entries = {
  synth: 'charts-src/main.ts',
  check: 'policy/cli.ts',
  'cdk8s-plugin': 'policy/cdk8s-plugin.ts',
  'cdk8s-app': 'charts-src/cdk8s-app.ts',
  diff: 'tools/diff.ts',
  plan: 'tools/plan.ts',
  bench: 'tools/bench.ts',
};

await build({
  entryPoints: Object.fromEntries(Object.entries(entries).filter(([, file]) => existsSync(file))),
  outdir: 'build',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
