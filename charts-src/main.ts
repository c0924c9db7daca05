/**
 * `npm run synth`: renders every Pulumi.<stack>.yaml into dist/<stack>/.
 *   --stack <name>  only this stack (repeatable)
 *   --check         write nothing; exit 1 if dist/ differs from a fresh synth
 *   --today <date>  the date end-of-life checks use (default: AGENT_PLATFORM_TODAY, else the clock)
 */
import { Command } from 'commander';
import { mkdirSync } from 'node:fs';
import { relative } from 'node:path';
import { ConfigError, todayFromEnvironment } from '../config';
import { synthesize, SynthError } from './synthesize';

function main(argv: string[]): number {
  const program = new Command()
    .name('synth')
    .description('Render every environment into dist/<stack>/')
    .option('--stack <name>', 'only this stack (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--root <dir>', 'folder with the Pulumi.<stack>.yaml files', process.cwd())
    .option('--out <dir>', 'output folder (default: <root>/dist)')
    .option('--check', 'compare with dist/ instead of writing; exit 1 when stale')
    .option('--today <yyyy-mm-dd>', 'date for the end-of-life checks (default: AGENT_PLATFORM_TODAY, else the clock)')
    .exitOverride();
  try {
    program.parse(argv);
  } catch (error) {
    return (error as { exitCode?: number }).exitCode ?? 2;
  }
  const opts = program.opts<{ stack: string[]; root: string; out?: string; check?: boolean; today?: string }>();
  const started = process.hrtime.bigint();
  try {
    // The one place synth reads the clock: everything below takes "today" as a parameter.
    const today = todayFromEnvironment(opts.today ? { AGENT_PLATFORM_TODAY: opts.today } : process.env);
    const result = synthesize({
      today,
      root: opts.root,
      ...(opts.out ? { outDir: opts.out } : {}),
      stacks: opts.stack,
      check: opts.check ?? false,
    });
    for (const warning of result.warnings) console.error(`warning: ${warning}`);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (opts.check) {
      if (result.stale.length > 0) {
        console.error(
          `dist/ is stale; run npm run synth and commit the result:\n${result.stale.map((p) => `  ${relative(process.cwd(), p)}`).join('\n')}`,
        );
        return 1;
      }
      console.log(`dist/ is up to date (${result.stacks.length} stacks, ${ms.toFixed(0)} ms)`);
      return 0;
    }
    // Run by `npx cdk8s synth`: the CLI empties its `output:` folder (cdk8s.out) before running
    // us and expects it to exist afterwards. dist/ is written above, atomically; cdk8s.out stays
    // empty and the validation plugin judges dist/ (see policy/cdk8s-plugin.ts).
    const cdk8sOut = process.env['CDK8S_OUTDIR'];
    if (cdk8sOut) mkdirSync(cdk8sOut, { recursive: true });
    for (const stack of result.stacks) {
      const objects = stack.files.reduce((n, f) => n + f.objects.length, 0);
      console.log(`${stack.stack}: ${stack.files.length} files, ${objects} objects`);
    }
    console.log(`synthesized ${result.stacks.length} stacks in ${ms.toFixed(0)} ms`);
    return 0;
  } catch (error) {
    if (error instanceof SynthError || error instanceof ConfigError) {
      console.error(error.message);
      console.error('\nnothing was written.');
      return 1;
    }
    throw error;
  }
}

process.exitCode = main(process.argv);
