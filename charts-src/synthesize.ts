/**
 * The synth pipeline: load every stack file, render each environment, judge the
 * result, and only then write dist/. Any error leaves dist/ exactly as it was.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, findStackFiles, loadStackFile, type EnvironmentSpec } from '../config';
import { ConstructInputError } from './constructs/construct-input';
import { DIAGRAM_FILE } from './diagram';
import { INDEX_FILE, renderStack, type RenderedStack } from './render';
import { pruneStacks, writeStack, type StackText } from './write';
import { upgradeStepProblems, type RunningMinor } from './upgrade-step';
import {
  formatText,
  gateRendered,
  SchemaUnavailableError,
  summaryLine,
  type GateReport,
  type SchemaStoreOptions,
} from '../policy';
import packageJson from '../package.json';
// The one import of infra/ here, on purpose: the checks `pulumi up` makes before it
// registers anything, which load no Pulumi (guarded by test/charts-src/synth-bundle.test.ts).
import { preflightErrors } from '../infra/preflight';

export const PLATFORM_VERSION: string = packageJson.version;

export interface SynthOptions {
  /** Folder holding the Pulumi.<stack>.yaml files. @default process.cwd() */
  readonly root?: string;
  /** Output folder. @default <root>/dist */
  readonly outDir?: string;
  /** Only these stacks. @default - every stack file found */
  readonly stacks?: readonly string[];
  /** Compare with what is on disk instead of writing. */
  readonly check?: boolean;
  /** Where the policy gate finds Kubernetes and CRD schemas. @default - ../shared when present, else upstream */
  readonly schemas?: SchemaStoreOptions;
  /** Told each stack as it is rendered and judged (long runs over many stacks). @default - silent */
  readonly progress?: (line: string) => void;
  /** Today (yyyy-mm-dd) for the end-of-life checks; the CLI passes it. @default - no date checks */
  readonly today?: string;
  /**
   * The minor each stack runs, for the upgrade-step rules (charts-src/upgrade-step.ts); the CLI
   * reads it from dist/ at the git base. @default - no stack runs: no step is checked
   */
  readonly running?: ReadonlyMap<string, RunningMinor>;
}

export interface SynthResult {
  readonly stacks: readonly RenderedStack[];
  readonly specs: readonly EnvironmentSpec[];
  readonly warnings: readonly string[];
  /** In check mode: files that differ from a fresh synth. */
  readonly stale: readonly string[];
  /** The policy gate's report per stack (every one passed: an error stops synth). */
  readonly gate: readonly GateReport[];
}

/** Thrown for problems that are the user's to fix; the CLI prints the message alone. */
export class SynthError extends Error {
  override name = 'SynthError';
}

/** The stack files to synthesize (every one found, or those named); a SynthError when there are none or a name is unknown. */
export function selectStackFiles(root: string, only?: readonly string[]): { stack: string; file: string }[] {
  let found: { stack: string; file: string }[];
  try {
    found = findStackFiles(root);
  } catch (error) {
    if (error instanceof ConfigError) throw new SynthError(error.message);
    throw error;
  }
  if (found.length === 0) throw new SynthError(`no Pulumi.<stack>.yaml files in ${root}`);
  const unknown = (only ?? []).filter((s) => !found.some((f) => f.stack === s));
  if (unknown.length > 0) {
    throw new SynthError(`no stack file for ${unknown.join(', ')} (found: ${found.map((f) => f.stack).join(', ')})`);
  }
  return only && only.length > 0 ? found.filter((f) => only.includes(f.stack)) : found;
}

export function loadStacks(
  root: string,
  only?: readonly string[],
  options: { readonly today?: string } = {},
): { specs: EnvironmentSpec[]; warnings: string[] } {
  const selected = selectStackFiles(root, only);
  const errors: ConfigError[] = [];
  const specs: EnvironmentSpec[] = [];
  const warnings: string[] = [];
  for (const { stack, file } of selected) {
    try {
      const loaded = loadStackFile(file, stack, options);
      specs.push(loaded.spec);
      warnings.push(...loaded.warnings.map((w) => `${stack}: ${w}`));
    } catch (error) {
      if (error instanceof ConfigError) errors.push(error);
      else throw error;
    }
  }
  if (errors.length > 0) throw new SynthError(errors.map((e) => e.message).join('\n\n'));
  return { specs, warnings };
}

export function synthesize(options: SynthOptions = {}): SynthResult {
  const root = options.root ?? process.cwd();
  const outDir = options.outDir ?? join(root, 'dist');
  const { specs, warnings } = loadStacks(root, options.stacks, options.today ? { today: options.today } : {});
  const stacks = renderAll(specs, options.progress);
  preflightStacks(stacks, specs);
  checkUpgradeSteps(stacks, specs, options.running);
  const gate = gateStacks(stacks, specs, options.schemas, options.progress);
  // Warnings only: waivers are in the report (npm run check lists them), not warnings of a clean run.
  for (const report of gate) {
    if (report.warnings > 0) warnings.push(formatText(report));
  }

  if (options.check) return { stacks, specs, warnings, stale: staleFiles(outDir, stacks), gate };
  for (const stack of stacks) writeStack(outDir, stack);
  if (!options.stacks || options.stacks.length === 0)
    pruneStacks(
      outDir,
      stacks.map((s) => s.stack),
    );
  return { stacks, specs, warnings, stale: [], gate };
}

/** The upgrade-step rules of every stack against the minor it runs; one SynthError for all problems. */
export function checkUpgradeSteps(
  stacks: readonly RenderedStack[],
  specs: readonly EnvironmentSpec[],
  running: ReadonlyMap<string, RunningMinor> = new Map(),
): void {
  const problems = upgradeStepProblemList(stacks, specs, running);
  if (problems.length > 0) throw upgradeStepError(problems);
}

/** The upgrade-step problems of every stack, each starting with its stack name. */
export function upgradeStepProblemList(
  stacks: readonly RenderedStack[],
  specs: readonly EnvironmentSpec[],
  running: ReadonlyMap<string, RunningMinor> = new Map(),
): string[] {
  return specs.flatMap((spec) => {
    const objects = stacks.find((s) => s.stack === spec.stack)?.files.flatMap((f) => f.objects) ?? [];
    return upgradeStepProblems(spec, running.get(spec.stack), objects).map((p) => `${spec.stack}: ${p}`);
  });
}

export function upgradeStepError(problems: readonly string[]): SynthError {
  return new SynthError(`refused upgrade step:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}

/**
 * What `pulumi up` would refuse before registering a resource (infra/preflight.ts), run
 * on the rendered files as dist/ will hold them: same code, same message, so whatever
 * synth writes, deploy accepts.
 */
export function preflightStacks(stacks: readonly RenderedStack[], specs: readonly EnvironmentSpec[]): void {
  const problems = preflightProblems(stacks, specs);
  if (problems.length > 0) throw new SynthError(problems.join('\n\n'));
}

/** What preflightStacks refuses, one message per problem, each starting with its stack name. */
export function preflightProblems(stacks: readonly RenderedStack[], specs: readonly EnvironmentSpec[]): string[] {
  const problems: string[] = [];
  for (const stack of stacks) {
    const spec = specs.find((s) => s.stack === stack.stack)!;
    const dist = { stack: stack.stack, files: stack.files.map((f) => ({ file: f.name, objects: f.objects })) };
    for (const error of preflightErrors(spec, dist)) problems.push(`${stack.stack}: ${error.message}`);
  }
  return problems;
}

/**
 * The policy gate over every rendered stack, with its environment (so the
 * cross-layer rules run). Any error-level finding stops synth before a byte is
 * written; the message is the full report of the failing stacks.
 */
export function gateStacks(
  stacks: readonly RenderedStack[],
  specs: readonly EnvironmentSpec[],
  schemas?: SchemaStoreOptions,
  progress?: (line: string) => void,
): GateReport[] {
  const reports = stacks.map((stack, i) => {
    const report = judgeStack(
      stack,
      specs.find((s) => s.stack === stack.stack),
      schemas,
    );
    progress?.(`judged ${stack.stack} (${i + 1}/${stacks.length})`);
    return report;
  });
  const failure = gateFailure(reports);
  if (failure) throw failure;
  return reports;
}

/** The gate's report on one rendered stack; a SynthError when the gate cannot load its schemas. */
export function judgeStack(
  stack: Pick<RenderedStack, 'stack' | 'files'>,
  spec: EnvironmentSpec | undefined,
  schemas?: SchemaStoreOptions,
): GateReport {
  try {
    return gateRendered(stack.stack, stack.files, spec, schemas ? { schemas } : {});
  } catch (error) {
    if (error instanceof SchemaUnavailableError) {
      throw new SynthError(
        `the policy gate cannot load its schemas: ${error.message}\n(offline, put the Kubernetes and CRD schemas in ../shared/k8s-schemas and ../shared/crds, or run once with network access to fill the cache)`,
      );
    }
    throw error;
  }
}

/** The error that stops synth when a report has an error-level finding: the failing reports in full, then every summary. */
export function gateFailure(reports: readonly GateReport[]): SynthError | undefined {
  const failed = reports.filter((r) => !r.passed);
  if (failed.length === 0) return undefined;
  return new SynthError(
    [
      `the policy gate found errors in ${failed.map((r) => r.stack).join(', ')} (in the files synth would write; nothing was written):`,
      ...failed.map((r) => formatText(r, { warnings: false })),
      '',
      ...reports.map(summaryLine),
    ].join('\n\n'),
  );
}

/**
 * Renders every environment. Constructs reject invalid input by throwing a
 * ConstructInputError (or a plain Error) whose message starts with the construct path; those are the user's to fix
 * and are reported together, per stack, without a stack trace. Anything else
 * (TypeError, ...) is a bug and propagates as is.
 */
export function renderAll(specs: readonly EnvironmentSpec[], progress?: (line: string) => void): RenderedStack[] {
  const problems: string[] = [];
  const stacks: RenderedStack[] = [];
  for (const [i, spec] of specs.entries()) {
    try {
      stacks.push(renderStack(spec, PLATFORM_VERSION));
      progress?.(`rendered ${spec.stack} (${i + 1}/${specs.length})`);
    } catch (error) {
      if (error instanceof ConstructInputError || (error instanceof Error && error.constructor === Error)) {
        problems.push(`${spec.stack}: ${error.message}`);
      } else {
        throw error;
      }
    }
  }
  if (problems.length > 0) throw new SynthError(problems.join('\n\n'));
  return stacks;
}

/** Paths under outDir that a fresh synth would change, add or remove. */
export function staleFiles(outDir: string, stacks: readonly StackText[]): string[] {
  const stale: string[] = [];
  for (const stack of stacks) {
    const dir = join(outDir, stack.stack);
    const expected = new Map(stack.files.map((f) => [f.name, f.content]));
    expected.set(INDEX_FILE, stack.index);
    expected.set(DIAGRAM_FILE, stack.diagram);
    for (const [name, content] of expected) {
      const path = join(dir, name);
      if (!existsSync(path) || readFileSync(path, 'utf8') !== content) stale.push(path);
    }
    if (existsSync(dir)) {
      for (const name of readdirSync(dir)) if (!expected.has(name)) stale.push(join(dir, name));
    }
  }
  return stale;
}
