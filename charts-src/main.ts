/**
 * `npm run synth`: renders every Pulumi.<stack>.yaml into dist/<stack>/.
 *   --stack <name>  only this stack (repeatable)
 *   --check         write nothing; exit 1 if dist/ differs from a fresh synth
 *   --today <date>  the date end-of-life checks use (default: AGENT_PLATFORM_TODAY, else the clock)
 *   --base <ref>    the git ref whose dist/<stack>/index.json holds the running minor
 *                   (default: merge-base with origin/main or main); --no-base skips the step rules
 *   --running <stack>=<minor>  the running minor of a stack, given explicitly (repeatable)
 *   --threads <n>   stacks run in up to n threads (default: one per core when the stack files
 *                   hold 32 KiB or more, else 1; 1: no worker threads)
 */
import { Command, InvalidArgumentError } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ConfigError, findStackFiles, INDEX_FILE, todayFromEnvironment } from '../config';
import { GATE_VERDICT_FILE, gateVerdict } from '../policy/gate-verdict';
import { parseRunning, resolveBaseCommit, runningMinorsAt } from './running-minor';
import { SynthError } from './synthesize';
import { isSynthWorker, runStackWorker, synthesizeInThreads, type SynthSummary } from './threads';

function threadCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`must be a positive integer, got "${value}"`);
  return n;
}

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name('synth')
    .description('Render every environment into dist/<stack>/')
    .option('--stack <name>', 'only this stack (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--root <dir>', 'folder with the Pulumi.<stack>.yaml files', process.cwd())
    .option('--out <dir>', 'output folder (default: <root>/dist)')
    .option('--check', 'compare with dist/ instead of writing; exit 1 when stale')
    .option('--today <yyyy-mm-dd>', 'date for the end-of-life checks (default: AGENT_PLATFORM_TODAY, else the clock)')
    .option('--base <ref>', 'git ref whose dist/ holds the running minors (default: merge-base with main)')
    .option('--no-base', 'do not check upgrade steps against a git base')
    .option(
      '--running <stack=minor>',
      'running minor of a stack (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option(
      '--threads <n>',
      'stacks run in up to n threads (default: one per core for stack files of 32 KiB or more)',
      threadCount,
    )
    .exitOverride();
  try {
    program.parse(argv);
  } catch (error) {
    return (error as { exitCode?: number }).exitCode ?? 2;
  }
  const opts = program.opts<{
    stack: string[];
    root: string;
    out?: string;
    check?: boolean;
    today?: string;
    base: string | boolean;
    running: string[];
    threads?: number;
  }>();
  const started = process.hrtime.bigint();
  try {
    // The one place synth reads the clock: everything below takes "today" as a parameter.
    const today = todayFromEnvironment(opts.today ? { AGENT_PLATFORM_TODAY: opts.today } : process.env);
    const running = runningMinors(opts);
    const result = await synthesizeInThreads(
      {
        today,
        running,
        root: opts.root,
        ...(opts.out ? { outDir: opts.out } : {}),
        stacks: opts.stack,
        check: opts.check ?? false,
        // Progress on a terminal, where a long run over many stacks would otherwise look stuck.
        ...(process.stderr.isTTY ? { progress: (line: string) => process.stderr.write(`${line}\n`) } : {}),
      },
      opts.threads,
      // The bundle (build/synth.js) is also the worker's script: see the end of this file.
      __filename,
    );
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
    // us. dist/ is written above, atomically; cdk8s.out gets a copy and the gate's verdict.
    const cdk8sOut = process.env['CDK8S_OUTDIR'];
    if (cdk8sOut) handOverToCdk8s(cdk8sOut, result);
    for (const stack of result.stacks) {
      const objects = stack.files.reduce((n, f) => n + f.objects, 0);
      const report = result.gate.find((r) => r.stack === stack.stack);
      const waived =
        report && report.waived.length > 0 ? `, ${report.waived.length} waived (listed by npm run check)` : '';
      console.log(`${stack.stack}: ${stack.files.length} files, ${objects} objects; gate passed${waived}`);
    }
    console.log(`synthesized ${result.stacks.length} stacks in ${ms.toFixed(0)} ms`);
    return 0;
  } catch (error) {
    if (error instanceof SynthError || error instanceof ConfigError) {
      console.error(error.message);
      console.error('\nnothing was written.');
      return 1;
    }
    // Never a stack trace for the user: the message, and a way to get the trace when debugging.
    console.error(`synth failed: ${(error as Error).message}`);
    if (process.env['AGENT_PLATFORM_DEBUG']) console.error((error as Error).stack);
    else console.error('(set AGENT_PLATFORM_DEBUG=1 to see where)');
    console.error('\nnothing was written.');
    return 2;
  }
}

/**
 * Under `npx cdk8s synth`: a copy of what was written, with the gate's verdict, in
 * cdk8s's output folder, so the CLI sees the manifests and its validation plugin
 * (policy/cdk8s-plugin.ts) reuses the verdict instead of judging them a second time.
 */
function handOverToCdk8s(outDir: string, result: SynthSummary): void {
  for (const stack of result.stacks) {
    const dir = join(outDir, stack.stack);
    mkdirSync(dir, { recursive: true });
    for (const file of stack.files) writeFileSync(join(dir, file.name), file.content);
    writeFileSync(join(dir, INDEX_FILE), stack.index);
    const report = result.gate.find((r) => r.stack === stack.stack);
    if (report) writeFileSync(join(dir, GATE_VERDICT_FILE), gateVerdict(stack.files, report));
  }
}

/** The running minor per stack: explicit --running wins over dist/<stack>/index.json at the base. */
function runningMinors(opts: { root: string; out?: string; base: string | boolean; running: string[] }) {
  const explicit = parseRunning(opts.running);
  if (opts.base === false) return explicit;
  const base = resolveBaseCommit(opts.root, typeof opts.base === 'string' ? opts.base : undefined);
  if (!base) return explicit;
  const stacks = findStackFiles(opts.root).map((f) => f.stack);
  const atBase = runningMinorsAt(opts.root, resolve(opts.out ?? join(opts.root, 'dist')), stacks, base);
  return new Map([...atBase, ...explicit]);
}

if (isSynthWorker()) runStackWorker();
else
  void main(process.argv).then((code) => {
    process.exitCode = code;
  });
