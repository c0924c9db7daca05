/**
 * `npm run simulate -- --stack <name> [--profile <name|file.csv>] [--seed N] [--check]`:
 * a deterministic discrete-event simulation of an environment's agent sessions (tools/simulate/).
 * Prints latency percentiles per tier, the limit that bound first, nodes, quota headroom and
 * cost as markdown, and writes SVG charts to `--out` (default build/simulate/<stack>-<profile>/).
 *
 * `--check` runs the profiles the environment's `simulation.objectives` name (every stack in
 * `--root` that declares objectives when no --stack is given) and fails when one is missed.
 * Exit 0: done (objectives met); 1: an objective missed; 2: unusable input (nothing written).
 */
import { Command, Option } from 'commander';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { ConfigError, findStackFiles, loadStackFile, type EnvironmentSpec } from '../config';
import { renderCharts } from './simulate/charts';
import { simulate } from './simulate/engine';
import { buildModel, SimulationInputError, type SimulationModel } from './simulate/model';
import { describeFailure, describeMiss, judge, type ObjectiveResult } from './simulate/objectives';
import { parseCsvProfile } from './simulate/csv-profile';
import { profileNames, profileSpec, sessionMinutes, workloadOf, type Workload } from './simulate/profiles';
import { formatSummary } from './simulate/report';
import { summarize, type Summary } from './simulate/results';
import { parseQuietly } from './cli-parse';

interface Options {
  stack?: string;
  profile?: string;
  seed: string;
  root: string;
  out: string;
  check?: boolean;
  format: 'markdown' | 'json';
}

export interface SimulateRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  /** Files written (absolute paths). */
  readonly written: readonly string[];
  readonly summaries: readonly Summary[];
}

export const DEFAULT_PROFILE = 'burst';
const MAX_SEED = 2 ** 32 - 1;

function seedOf(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > MAX_SEED) {
    throw new SimulationInputError(`--seed must be an integer from 0 to ${MAX_SEED}, got "${text}"`);
  }
  return Number(text);
}

const isCsvPath = (profile: string) => extname(profile).toLowerCase() === '.csv' || profile.includes('/');

function workload(spec: EnvironmentSpec, profile: string, seed: number, cwd: string): Workload {
  if (!isCsvPath(profile)) return workloadOf(spec, profile, seed);
  const file = resolve(cwd, profile);
  if (!existsSync(file)) {
    throw new SimulationInputError(
      `profile file ${profile} does not exist (built-in and declared profiles: ${profileNames(spec).join(', ')})`,
    );
  }
  return parseCsvProfile(readFileSync(file, 'utf8'), {
    file: profile,
    tiers: Object.keys(spec.agents?.tiers ?? {}),
    seed,
    sessionMinutes: sessionMinutes(spec),
  });
}

interface Job {
  readonly spec: EnvironmentSpec;
  readonly model: SimulationModel;
  readonly workload: Workload;
  readonly objectives: NonNullable<EnvironmentSpec['simulation']>['objectives'];
}

/** Every problem with a stack's objectives, before anything runs. */
function checkObjectives(spec: EnvironmentSpec): void {
  const tiers = Object.keys(spec.agents?.tiers ?? {});
  const problems: string[] = [];
  (spec.simulation?.objectives ?? []).forEach((o, i) => {
    if (!profileNames(spec).includes(o.profile)) {
      problems.push(
        `simulation.objectives[${i}].profile ("${o.profile}") is not a profile (allowed: ${profileNames(spec).join(', ')})`,
      );
    }
    if (o.tier !== undefined && !tiers.includes(o.tier)) {
      problems.push(`simulation.objectives[${i}].tier ("${o.tier}") is not a tier (allowed: ${tiers.join(', ')})`);
    }
  });
  if (problems.length > 0) throw new SimulationInputError(`${spec.stack}: ${problems.join('; ')}`);
}

function stacksToRun(opts: Options, root: string): { stack: string; file: string }[] {
  const files = findStackFiles(root);
  if (opts.stack !== undefined) {
    const found = files.find((f) => f.stack === opts.stack);
    if (!found) {
      throw new SimulationInputError(
        `unknown stack "${opts.stack}": no Pulumi.${opts.stack}.yaml in ${root} (stacks: ${files.map((f) => f.stack).join(', ') || 'none'})`,
      );
    }
    return [found];
  }
  if (!opts.check) {
    throw new SimulationInputError(
      `--stack is required (stacks in ${root}: ${files.map((f) => f.stack).join(', ') || 'none'})`,
    );
  }
  return files;
}

function plan(opts: Options, cwd: string, seed: number): { jobs: Job[]; notes: string[] } {
  const root = resolve(cwd, opts.root);
  const jobs: Job[] = [];
  const notes: string[] = [];
  for (const { stack, file } of stacksToRun(opts, root)) {
    const { spec } = loadStackFile(file, stack);
    const objectives = spec.simulation?.objectives ?? [];
    if (opts.check && objectives.length === 0) {
      if (opts.stack !== undefined) notes.push(`${stack} declares no simulation.objectives: nothing to check`);
      continue;
    }
    checkObjectives(spec);
    const model = buildModel(spec);
    if (!opts.check) {
      const profile = opts.profile ?? DEFAULT_PROFILE;
      if (!isCsvPath(profile)) profileSpec(spec, profile);
      const mine = objectives.filter((o) => o.profile === profile);
      jobs.push({ spec, model, workload: workload(spec, profile, seed, cwd), objectives: mine });
      continue;
    }
    const profiles = [...new Set(objectives.map((o) => o.profile))].filter(
      (p) => opts.profile === undefined || p === opts.profile,
    );
    if (profiles.length === 0)
      notes.push(`${stack} declares no objective for profile ${opts.profile}: nothing to check`);
    for (const profile of profiles) {
      jobs.push({
        spec,
        model,
        workload: workload(spec, profile, seed, cwd),
        objectives: objectives.filter((o) => o.profile === profile),
      });
    }
  }
  if (opts.check && opts.stack === undefined && jobs.length === 0) {
    notes.push(`no stack in ${root} declares simulation.objectives: nothing to check`);
  }
  return { jobs, notes };
}

const slug = (profile: string) => (isCsvPath(profile) ? basename(profile, extname(profile)) : profile);

export function runSimulate(argv: string[], cwd: string): SimulateRun {
  const none = { written: [], summaries: [] };
  const cli = new Command()
    .name('simulate')
    .description('Capacity simulation of an environment: session-start latency, binding limits, nodes, cost.')
    .option(
      '--stack <name>',
      'stack to simulate (Pulumi.<name>.yaml); with --check and without it: every stack with objectives',
    )
    .option(
      '--profile <name|file>',
      `built-in or declared profile, or a CSV file of time,tier[,durationMinutes] (default: ${DEFAULT_PROFILE})`,
    )
    .option('--seed <n>', 'seed of the pseudo-random arrivals, tiers and session lengths', '1')
    .option('--root <dir>', 'folder holding the Pulumi.<stack>.yaml files', '.')
    .option('--out <dir>', 'folder the SVG charts are written to', 'build/simulate')
    .option('--check', "run the profiles of the environment's objectives; exit 1 when one is missed")
    .addOption(new Option('--format <format>', 'output format').choices(['markdown', 'json']).default('markdown'));
  const refused = parseQuietly(cli, argv, 'simulate');
  if (refused) return { ...refused, ...none };
  const opts = cli.opts<Options>();
  let jobs: Job[];
  let notes: string[];
  let seed: number;
  try {
    seed = seedOf(opts.seed);
    ({ jobs, notes } = plan(opts, cwd, seed));
  } catch (error) {
    if (error instanceof SimulationInputError || error instanceof ConfigError) {
      return { code: 2, out: '', err: `simulate: ${error.message}\n`, ...none };
    }
    throw error;
  }

  const sections: string[] = [];
  const json: unknown[] = [];
  const files = new Map<string, string>();
  const summaries: Summary[] = [];
  const failures: string[] = [];
  const accepted: string[] = [];
  for (const job of jobs) {
    const { model, workload: w } = job;
    const run = simulate(model, w.arrivals, { horizon: w.horizon, sampleSeconds: Math.max(10, w.horizon / 720) });
    const summary = summarize(model, w, run, seed);
    const results: ObjectiveResult[] = job.objectives.map((o) => judge(o, summary));
    // Without --check the objectives of the profile are shown in the table only.
    for (const r of opts.check ? results : []) {
      if (r.fails) failures.push(describeFailure(r, summary));
      else if (!r.met) accepted.push(`${describeMiss(r, summary)} (accepted: ${r.objective.acceptedMiss})`);
    }
    summaries.push(summary);
    const dir = resolve(cwd, opts.out, `${model.stack}-${slug(w.profile)}`);
    const charts = renderCharts(model, run, `${model.stack}, ${slug(w.profile)}, seed ${seed}`, job.objectives);
    for (const [name, svg] of Object.entries(charts)) files.set(join(dir, name), svg);
    sections.push(
      `${formatSummary(summary, model, results)}\n\nCharts: ${Object.keys(charts)
        .map((n) => join(opts.out, `${model.stack}-${slug(w.profile)}`, n))
        .join(', ')}`,
    );
    json.push({
      ...summary,
      objectives: results.map((r) => ({ ...r.objective, measured: r.measured, met: r.met, fails: r.fails })),
    });
  }
  for (const [file, text] of files) {
    mkdirSync(resolve(file, '..'), { recursive: true });
    writeFileSync(file, text);
  }
  const out =
    opts.format === 'json'
      ? `${JSON.stringify(json, (_k, v: unknown) => (v === Infinity ? 'Infinity' : v), 2)}\n`
      : `${[...notes, ...sections].join('\n\n')}\n`;
  const err = [...accepted, ...failures].map((m) => `simulate: ${m}\n`).join('');
  return { code: failures.length > 0 ? 1 : 0, out, err, written: [...files.keys()], summaries };
}

if (require.main === module) {
  const { code, out, err } = runSimulate(process.argv.slice(2), process.cwd());
  process.stdout.write(out);
  process.stderr.write(err);
  process.exitCode = code;
}
