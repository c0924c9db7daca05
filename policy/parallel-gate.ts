/**
 * Judging several stacks at once: each group of files (one dist/<stack>/ folder) is
 * independent, so when there is more than one, the first is judged on this thread and
 * each other one in a worker thread, and the reports come back in group order. A report
 * is plain data, so it is the same report a single thread makes (the CLI prints it the
 * same way; `test/policy/parallel-gate.test.ts` compares the output of both).
 *
 * The caller stays synchronous: it blocks on each worker's result (Atomics.wait on a
 * shared flag, then receiveMessageOnPort). Workers run the bundled entry point itself
 * (build/check.js); from TypeScript sources (tests) everything runs on this thread.
 */
import {
  isMainThread,
  MessageChannel,
  receiveMessageOnPort,
  Worker,
  workerData,
  type MessagePort,
} from 'node:worker_threads';
import type { EnvironmentSpec } from '../config';
import { gateFiles, loadEnvironment, type FileGroup } from './gate';
import { displayPath, InputError } from './manifests';
import { sharedSchemaStore, type GateReport } from './runner';
import type { SchemaStoreOptions } from './schemas';

/** One group to judge, and the stack whose `Pulumi.<stack>.yaml` it is judged with (if any). */
export interface GroupJob {
  readonly group: FileGroup;
  readonly stack?: string;
}

/** Everything a job needs besides its group: plain data, so a worker can receive it. */
export interface GroupJobOptions {
  /** Folder of the `Pulumi.<stack>.yaml` files. */
  readonly root: string;
  /** Files are named relative to it in findings. */
  readonly cwd: string;
  readonly schemas: SchemaStoreOptions;
  readonly kubernetesVersion?: string;
  readonly families?: readonly string[];
}

const JOB_KEY = 'agentPlatformGateJob';
/** How long a worker may take before the run is abandoned as stuck. */
const WORKER_TIMEOUT_MS = 30 * 60 * 1000;

const environments = new Map<string, EnvironmentSpec>();

/** The environment of `Pulumi.<stack>.yaml` under `root`, loaded once per process. */
export function environment(root: string, stack: string): EnvironmentSpec {
  const key = `${root}\0${stack}`;
  let spec = environments.get(key);
  if (!spec) environments.set(key, (spec = loadEnvironment(root, stack)));
  return spec;
}

/** Judges one group on this thread: exactly what `gateFiles` reports for it. */
export function judgeGroup(job: GroupJob, options: GroupJobOptions): GateReport {
  return gateFiles([job.group], {
    schemas: sharedSchemaStore(options.schemas),
    ...(options.kubernetesVersion ? { kubernetesVersion: options.kubernetesVersion } : {}),
    ...(options.families ? { families: options.families } : {}),
    specFor: () => (job.stack ? environment(options.root, job.stack) : undefined),
    display: (file) => displayPath(options.cwd, file),
  })[0]!;
}

/**
 * Refusals of the input a worker reports (the CLI prints their message and exits 2): they
 * come back as an InputError with the same message, which the CLI treats the same way.
 */
const REFUSALS = new Set(['InputError', 'SchemaUnavailableError', 'ConfigError']);

interface WorkerResult {
  readonly report?: GateReport;
  readonly error?: { readonly name: string; readonly message: string; readonly stack?: string };
}

interface RunningWorker {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly done: Int32Array;
}

/** Worker threads are possible when this module runs from the bundle (a worker loads a .js file). */
const canUseWorkers = () => __filename.endsWith('.js');

function start(job: GroupJob, options: GroupJobOptions): RunningWorker {
  const { port1, port2 } = new MessageChannel();
  const done = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(__filename, {
    workerData: { [JOB_KEY]: { job, options, port: port2, done } },
    transferList: [port2],
  });
  worker.unref();
  return { worker, port: port1, done };
}

function resultOf(running: RunningWorker): GateReport {
  if (Atomics.wait(running.done, 0, 0, WORKER_TIMEOUT_MS) === 'timed-out') {
    throw new Error(`a gate worker did not answer within ${WORKER_TIMEOUT_MS / 60000} minutes`);
  }
  const result = receiveMessageOnPort(running.port)?.message as WorkerResult | undefined;
  running.port.close();
  if (result?.report) return result.report;
  const error = result?.error ?? { name: 'Error', message: 'a gate worker ended without a report' };
  if (REFUSALS.has(error.name)) throw new InputError(error.message);
  throw Object.assign(new Error(error.message), { stack: error.stack });
}

/**
 * Judges every group, in order: with more than one group and `threads`, the first on this
 * thread and the others in worker threads at the same time.
 */
export function judgeGroups(jobs: readonly GroupJob[], options: GroupJobOptions, threads = true): GateReport[] {
  if (!threads || jobs.length < 2 || !canUseWorkers()) return jobs.map((job) => judgeGroup(job, options));
  const running = jobs.slice(1).map((job) => start(job, options));
  try {
    return [judgeGroup(jobs[0]!, options), ...running.map(resultOf)];
  } finally {
    for (const r of running) void r.worker.terminate();
  }
}

/** The worker's side: judge the job handed over, post the report (or the error), raise the flag. */
function runWorkerJob(data: { job: GroupJob; options: GroupJobOptions; port: MessagePort; done: Int32Array }): void {
  let result: WorkerResult;
  try {
    result = { report: judgeGroup(data.job, data.options) };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    result = { error: { name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}) } };
  }
  data.port.postMessage(result);
  data.port.close();
  Atomics.store(data.done, 0, 1);
  Atomics.notify(data.done, 0);
}

type JobData = Parameters<typeof runWorkerJob>[0];
const handedOver = isMainThread ? undefined : (workerData as Record<string, JobData | undefined> | null)?.[JOB_KEY];
if (handedOver) runWorkerJob(handedOver);
