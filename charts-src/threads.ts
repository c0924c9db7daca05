/**
 * Synth on every core: stacks are independent, so with more than one stack and more
 * than one thread, each stack's pipeline (charts-src/stack-pipeline.ts) runs in a
 * worker thread, and the main thread takes a share too. The outcomes are merged in
 * stack order exactly as `synthesize()` would report them, and dist/ is written (each
 * stack atomically, as always) only when every stack passed.
 *
 * A worker is the synth bundle itself (build/synth.js) started again in a thread: the
 * CLI passes its own file as `workerScript`, and its entry point hands over to
 * `runStackWorker()` when it is not the main thread.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { GateReport } from '../policy';
import {
  mergeOutcomes,
  stackFiles,
  synthStack,
  type StackFiles,
  type StackInput,
  type StackOptions,
  type StackOutcome,
} from './stack-pipeline';
import { pruneStacks, writeStack } from './write';
import { selectStackFiles, staleFiles, synthesize, type SynthOptions } from './synthesize';

/** Marks the data a synth worker is started with. */
const WORKER_KIND = 'agent-platform-synth-stacks';

interface WorkerInput {
  readonly kind: typeof WORKER_KIND;
  readonly stacks: readonly StackInput[];
  readonly options: StackOptions;
}

/** What the CLI needs of a synth: the files per stack (with object counts), warnings, stale paths, gate reports. */
export interface SynthSummary {
  readonly stacks: readonly StackFiles[];
  readonly warnings: readonly string[];
  readonly stale: readonly string[];
  readonly gate: readonly GateReport[];
  /** Threads the stacks ran in (1: all in the main thread). */
  readonly threads: number;
}

/**
 * Below this many bytes of stack files in all, synth stays in one thread: a worker
 * first loads the whole synth again and compiles the gate's schemas (about 0.2–0.3 s),
 * as much as rendering and judging a stack of this repository takes (its two stack
 * files are 6–7 KB; 100 tenants add about 12 KB and 0.3 s of work).
 */
export const THREADS_MIN_BYTES = 32 * 1024;

/** Threads to use when none are asked for: one per core when the stack files are large enough to pay for a worker, else 1. */
export function defaultThreads(stackFiles: readonly StackInput[]): number {
  const bytes = stackFiles.reduce((sum, s) => sum + statSync(s.file).size, 0);
  return bytes >= THREADS_MIN_BYTES ? availableParallelism() : 1;
}

/** True when this thread was started by `synthesizeInThreads` (the entry point then runs `runStackWorker`). */
export function isSynthWorker(): boolean {
  return !isMainThread && (workerData as Partial<WorkerInput> | null)?.kind === WORKER_KIND;
}

/** The worker side: every stack given, one after the other; the outcomes go back in one message. */
export function runStackWorker(): void {
  const input = workerData as WorkerInput;
  const outcomes = input.stacks.map((s) => synthStack(s, input.options));
  parentPort!.postMessage(outcomes);
}

function runWorker(
  workerScript: string,
  stacks: readonly StackInput[],
  options: StackOptions,
): Promise<StackOutcome[]> {
  return new Promise((resolve, reject) => {
    const data: WorkerInput = { kind: WORKER_KIND, stacks, options };
    const worker = new Worker(workerScript, { workerData: data });
    let result: StackOutcome[] | undefined;
    worker.once('message', (outcomes: StackOutcome[]) => (result = outcomes));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (result) resolve(result);
      else
        reject(
          new Error(
            `a synth worker thread (stacks ${stacks.map((s) => s.stack).join(', ')}) exited with code ${code} without a result`,
          ),
        );
    });
  });
}

/**
 * `synthesize()` on up to `threads` threads (@default - `defaultThreads`): the same files,
 * warnings, reports and errors. With one thread or one stack it is `synthesize()` itself.
 */
export async function synthesizeInThreads(
  options: SynthOptions,
  threads: number | undefined,
  workerScript: string,
): Promise<SynthSummary> {
  const root = options.root ?? process.cwd();
  const outDir = options.outDir ?? join(root, 'dist');
  const selected = selectStackFiles(root, options.stacks);
  const lanes = Math.max(1, Math.min(threads ?? defaultThreads(selected), selected.length));
  if (lanes === 1) {
    const result = synthesize(options);
    return { ...result, stacks: result.stacks.map(stackFiles), threads: 1 };
  }
  const stackOptions: StackOptions = {
    ...(options.today ? { today: options.today } : {}),
    ...(options.running ? { running: options.running } : {}),
    ...(options.schemas ? { schemas: options.schemas } : {}),
  };
  // Stack i goes to lane i % lanes; lane 0 is this thread, started after the workers so they load meanwhile.
  const share = (lane: number) => selected.filter((_, i) => i % lanes === lane);
  const workers = Array.from({ length: lanes - 1 }, (_, i) => runWorker(workerScript, share(i + 1), stackOptions));
  // Whatever happens here, wait for the workers before reporting (no thread is left running).
  const settled = Promise.allSettled(workers);
  const own = share(0).map((s) => {
    const outcome = synthStack(s, stackOptions);
    options.progress?.(`synthesized ${s.stack} (main thread)`);
    return outcome;
  });
  const results = await settled;
  const failedWorker = results.find((r) => r.status === 'rejected');
  if (failedWorker) throw (failedWorker as PromiseRejectedResult).reason;
  const byLane = [own, ...results.map((r) => (r as PromiseFulfilledResult<StackOutcome[]>).value)];
  const outcomes = selected.map((_, i) => byLane[i % lanes]![Math.floor(i / lanes)]!);
  const merged = mergeOutcomes(outcomes);
  const summary = { ...merged, stale: [] as string[], threads: lanes };
  if (options.check) return { ...summary, stale: staleFiles(outDir, merged.stacks) };
  for (const stack of merged.stacks) writeStack(outDir, stack);
  if (!options.stacks || options.stacks.length === 0)
    pruneStacks(
      outDir,
      merged.stacks.map((s) => s.stack),
    );
  return summary;
}
