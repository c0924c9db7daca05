/**
 * The synth pipeline of one stack, on its own (load, render, preflight, upgrade steps,
 * gate), and the merge of every stack's outcome into what `synthesize()` returns or
 * throws. Stacks are independent, so each can run in its own worker thread
 * (charts-src/threads.ts); the merge makes the result, and every error, the same as
 * `synthesize()` running the phases one after the other over all stacks:
 *
 * `synthesize()` stops at the first phase in which a stack fails, and reports that
 * phase's problems for every stack (or rethrows the first unexpected error, in stack
 * order). A stack run on its own stops at its own first failing phase, so the stacks
 * that fail in the earliest failing phase are exactly those `synthesize()` reports.
 */
import { ConfigError, loadStackFile } from '../config';
import { formatText, type GateReport, type SchemaStoreOptions } from '../policy';
import type { RenderedStack } from './render';
import {
  gateFailure,
  judgeStack,
  preflightProblems,
  renderAll,
  SynthError,
  upgradeStepError,
  upgradeStepProblemList,
} from './synthesize';
import type { RunningMinor } from './upgrade-step';

export const STACK_PHASES = ['load', 'render', 'preflight', 'upgrade', 'gate'] as const;
export type StackPhase = (typeof STACK_PHASES)[number];

/** A rendered stack as text: what is written to dist/<stack>/, with the object count of each file. */
export interface StackFiles {
  readonly stack: string;
  readonly files: readonly { readonly name: string; readonly content: string; readonly objects: number }[];
  readonly index: string;
  readonly diagram: string;
}

/** An error that is not the user's to fix (or a ConfigError/SynthError thrown where none was expected), as data. */
export interface ThrownError {
  readonly kind: 'synth' | 'config' | 'other';
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

export interface StackOutcome {
  readonly stack: string;
  readonly warnings: readonly string[];
  readonly rendered?: StackFiles;
  readonly gate?: GateReport;
  /** The phase the stack stopped in: its problems (the user's to fix), or what was thrown. */
  readonly failed?: {
    readonly phase: StackPhase;
    readonly problems?: readonly string[];
    readonly thrown?: ThrownError;
  };
}

export interface StackInput {
  readonly stack: string;
  readonly file: string;
}

export interface StackOptions {
  readonly today?: string;
  readonly running?: ReadonlyMap<string, RunningMinor>;
  readonly schemas?: SchemaStoreOptions;
}

export function stackFiles(rendered: RenderedStack): StackFiles {
  return {
    stack: rendered.stack,
    files: rendered.files.map((f) => ({ name: f.name, content: f.content, objects: f.objects.length })),
    index: rendered.index,
    diagram: rendered.diagram,
  };
}

function thrownError(error: unknown): ThrownError {
  const e = error instanceof Error ? error : new Error(String(error));
  const kind = e instanceof SynthError ? 'synth' : e instanceof ConfigError ? 'config' : 'other';
  return { kind, name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
}

/** The error again, on this side of a thread: user errors as SynthError (the CLI prints both kinds the same way). */
export function reviveError(thrown: ThrownError): Error {
  const error = thrown.kind === 'other' ? new Error(thrown.message) : new SynthError(thrown.message);
  if (thrown.kind === 'other') error.name = thrown.name;
  if (thrown.stack) error.stack = thrown.stack;
  return error;
}

/** Every phase of one stack, stopping at the first that fails. Never throws. */
export function synthStack(input: StackInput, options: StackOptions = {}): StackOutcome {
  const { stack } = input;
  const warnings: string[] = [];
  let phase: StackPhase = 'load';
  const failed = (problems: readonly string[]): StackOutcome => ({ stack, warnings, failed: { phase, problems } });
  try {
    let loaded;
    try {
      loaded = loadStackFile(input.file, stack, options.today ? { today: options.today } : {});
    } catch (error) {
      if (error instanceof ConfigError) return failed([error.message]);
      throw error;
    }
    const spec = loaded.spec;
    warnings.push(...loaded.warnings.map((w) => `${stack}: ${w}`));
    phase = 'render';
    let rendered: RenderedStack[];
    try {
      rendered = renderAll([spec]);
    } catch (error) {
      if (error instanceof SynthError) return failed([error.message]);
      throw error;
    }
    phase = 'preflight';
    const preflight = preflightProblems(rendered, [spec]);
    if (preflight.length > 0) return failed(preflight);
    phase = 'upgrade';
    const steps = upgradeStepProblemList(rendered, [spec], options.running);
    if (steps.length > 0) return failed(steps);
    phase = 'gate';
    const report = judgeStack(rendered[0]!, spec, options.schemas);
    return {
      stack,
      warnings,
      rendered: stackFiles(rendered[0]!),
      gate: report,
      ...(report.passed ? {} : { failed: { phase } }),
    };
  } catch (error) {
    return { stack, warnings, failed: { phase, thrown: thrownError(error) } };
  }
}

export interface MergedStacks {
  readonly stacks: readonly StackFiles[];
  readonly warnings: readonly string[];
  readonly gate: readonly GateReport[];
}

/** The outcomes of every stack (in stack order) as one result, or the error `synthesize()` throws for them. */
export function mergeOutcomes(outcomes: readonly StackOutcome[]): MergedStacks {
  for (const phase of STACK_PHASES) {
    const here = outcomes.filter((o) => o.failed?.phase === phase);
    if (here.length === 0) continue;
    const thrown = here.find((o) => o.failed!.thrown)?.failed!.thrown;
    if (thrown) throw reviveError(thrown);
    if (phase === 'gate') throw gateFailure(outcomes.map((o) => o.gate!))!;
    const problems = here.flatMap((o) => o.failed!.problems ?? []);
    throw phase === 'upgrade' ? upgradeStepError(problems) : new SynthError(problems.join('\n\n'));
  }
  const gate = outcomes.map((o) => o.gate!);
  return {
    stacks: outcomes.map((o) => o.rendered!),
    // As synthesize(): the stack files' warnings, then the gate's (waivers are listed by npm run check, not here).
    warnings: [...outcomes.flatMap((o) => o.warnings), ...gate.filter((r) => r.warnings > 0).map((r) => formatText(r))],
    gate,
  };
}
