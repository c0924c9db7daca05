/**
 * `npm run plan -- --stack <name> [--format markdown|json] [--base <git-ref> | --no-base]`:
 * runs the Pulumi program offline (mocked engine: no CLI, no credentials, nothing
 * created) and prints the cloud resources the stack declares, grouped by node pool
 * and add-on, with the estimated monthly cost and its change against the base.
 * Exit 0; 1 when the program fails; 2 on unusable input.
 */
import { Command, Option } from 'commander';
import { ConfigError, type EnvironmentSpec } from '../config';
import { ManifestReadError } from './diff/objects';
import { repoRoot, resolveBase } from './diff/source';
import { planJson, renderPlanMarkdown, type PlanDocument } from './plan/markdown';
import { recordAtBase } from './plan/base-program';
import { platformProgram } from './plan/program';
import { ProgramError } from './plan/record';
import { planStack, PlanInputError, type PlatformProgram } from './plan/run';
import { parseQuietly } from './cli-parse';

interface Options {
  stack: string;
  format: 'markdown' | 'json';
  base?: string | false;
}

export interface PlanRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  /** The plan behind `out`, for callers that render it again (tests, scripts). */
  readonly result?: { readonly spec: EnvironmentSpec; readonly doc: PlanDocument };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.message.startsWith(error.name) ? error.message : `${error.name}: ${error.message}`;
}

export async function runPlan(argv: string[], cwd: string, program?: PlatformProgram): Promise<PlanRun> {
  const cli = new Command()
    .name('plan')
    .description('Offline plan of a stack: cloud resources by pool and add-on, and the estimated monthly cost.')
    .requiredOption('--stack <name>', 'stack to plan (Pulumi.<name>.yaml)')
    .addOption(new Option('--format <format>', 'output format').choices(['markdown', 'json']).default('markdown'))
    .option(
      '--base <git-ref>',
      'compare the cost with the stack file at this ref (default: merge-base with origin/main or main)',
    )
    .option('--no-base', 'do not compare the cost with a base');
  const refused = parseQuietly(cli, argv, 'plan');
  if (refused) return refused;
  const opts = cli.opts<Options>();
  try {
    const root = repoRoot(cwd);
    let baseCommit: string | undefined;
    let baseNote = '';
    if (opts.base !== false) {
      try {
        baseCommit = resolveBase(root, typeof opts.base === 'string' ? opts.base : undefined).commit;
      } catch (error) {
        if (typeof opts.base === 'string') throw error;
        baseNote = `no base to compare the cost with (${(error as Error).message})`;
      }
    }
    const { spec, doc } = await planStack({
      stack: opts.stack,
      root,
      program: program ?? platformProgram(root),
      ...(baseCommit ? { baseCommit } : {}),
      // The base's own program runs only for the real platform (tests inject fakes).
      ...(program ? {} : { recordBase: (commit: string) => recordAtBase(root, commit, opts.stack) }),
    });
    const withNote = baseNote && !doc.costDiff ? { ...doc, costDiff: { unavailable: baseNote } } : doc;
    const out =
      opts.format === 'json'
        ? `${JSON.stringify(planJson(spec, withNote), null, 2)}\n`
        : `${renderPlanMarkdown(spec, withNote)}\n`;
    return { code: 0, out, err: '', result: { spec, doc: withNote } };
  } catch (error) {
    if (error instanceof PlanInputError || error instanceof ManifestReadError || error instanceof ConfigError) {
      return { code: 2, out: '', err: `plan: ${error.message}\n` };
    }
    if (error instanceof ProgramError) return { code: 1, out: '', err: `plan: ${error.message}\n` };
    return {
      code: 1,
      out: '',
      // The message of the program's own errors (DistError, InputPropertyError) says what and how to fix;
      // the stack trace only with PLAN_DEBUG=1.
      err: `plan: the program failed under the mocked engine: ${
        process.env.PLAN_DEBUG ? ((error as Error).stack ?? String(error)) : describe(error)
      }\n`,
    };
  }
}

if (require.main === module) {
  void runPlan(process.argv.slice(2), process.cwd()).then(({ code, out, err }) => {
    process.stdout.write(out);
    process.stderr.write(err);
    // The mocked engine keeps handles open; exit explicitly once the report is out.
    process.exit(code);
  });
}
