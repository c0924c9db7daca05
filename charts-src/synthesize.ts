/**
 * The synth pipeline: load every stack file, render each environment, judge the
 * result, and only then write dist/. Any error leaves dist/ exactly as it was.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, findStackFiles, loadStackFile, type EnvironmentSpec } from '../config';
import { ConstructInputError } from './constructs/construct-input';
import { INDEX_FILE, renderStack, type RenderedStack } from './render';
import { pruneStacks, writeStack } from './write';
import {
  formatText,
  gateRendered,
  SchemaUnavailableError,
  summaryLine,
  type GateReport,
  type SchemaStoreOptions,
} from '../policy';
import packageJson from '../package.json';

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
  /** Today (yyyy-mm-dd) for the end-of-life checks; the CLI passes it. @default - no date checks */
  readonly today?: string;
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

export function loadStacks(
  root: string,
  only?: readonly string[],
  options: { readonly today?: string } = {},
): { specs: EnvironmentSpec[]; warnings: string[] } {
  const found = findStackFiles(root);
  if (found.length === 0) throw new SynthError(`no Pulumi.<stack>.yaml files in ${root}`);
  const unknown = (only ?? []).filter((s) => !found.some((f) => f.stack === s));
  if (unknown.length > 0) {
    throw new SynthError(`no stack file for ${unknown.join(', ')} (found: ${found.map((f) => f.stack).join(', ')})`);
  }
  const selected = only && only.length > 0 ? found.filter((f) => only.includes(f.stack)) : found;
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
  const stacks = renderAll(specs);
  const gate = gateStacks(stacks, specs, options.schemas);
  for (const report of gate) {
    if (report.warnings > 0 || report.waived.length > 0) warnings.push(formatText(report));
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

/**
 * The policy gate over every rendered stack, with its environment (so the
 * cross-layer rules run). Any error-level finding stops synth before a byte is
 * written; the message is the full report of the failing stacks.
 */
export function gateStacks(
  stacks: readonly RenderedStack[],
  specs: readonly EnvironmentSpec[],
  schemas?: SchemaStoreOptions,
): GateReport[] {
  let reports: GateReport[];
  try {
    reports = stacks.map((stack) =>
      gateRendered(
        stack.stack,
        stack.files,
        specs.find((s) => s.stack === stack.stack),
        schemas ? { schemas } : {},
      ),
    );
  } catch (error) {
    if (error instanceof SchemaUnavailableError) {
      throw new SynthError(
        `the policy gate cannot load its schemas: ${error.message}\n(offline, put the Kubernetes and CRD schemas in ../shared/k8s-schemas and ../shared/crds, or run once with network access to fill the cache)`,
      );
    }
    throw error;
  }
  const failed = reports.filter((r) => !r.passed);
  if (failed.length > 0) {
    throw new SynthError(
      [
        `the policy gate found errors in ${failed.map((r) => r.stack).join(', ')}:`,
        ...failed.map((r) => formatText(r, { warnings: false })),
        '',
        ...reports.map(summaryLine),
      ].join('\n\n'),
    );
  }
  return reports;
}

/**
 * Renders every environment. Constructs reject invalid input by throwing a
 * ConstructInputError (or a plain Error) whose message starts with the construct path; those are the user's to fix
 * and are reported together, per stack, without a stack trace. Anything else
 * (TypeError, ...) is a bug and propagates as is.
 */
export function renderAll(specs: readonly EnvironmentSpec[]): RenderedStack[] {
  const problems: string[] = [];
  const stacks: RenderedStack[] = [];
  for (const spec of specs) {
    try {
      stacks.push(renderStack(spec, PLATFORM_VERSION));
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
export function staleFiles(outDir: string, stacks: readonly RenderedStack[]): string[] {
  const stale: string[] = [];
  for (const stack of stacks) {
    const dir = join(outDir, stack.stack);
    const expected = new Map(stack.files.map((f) => [f.name, f.content]));
    expected.set(INDEX_FILE, stack.index);
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
