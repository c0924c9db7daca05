/**
 * One stack's gate on two cores. A synth of one large stack renders on the main thread;
 * a helper thread, started before rendering, loads the stack's environment and the
 * schemas meanwhile, receives the objects as soon as they are rendered (while the main
 * thread writes their YAML, index and diagram), and judges a share of the rule families
 * (`LANE_FAMILIES`) while the main thread judges the rest. The main thread's run then
 * reports both shares as one (`DelegatedFindings`, policy/runner.ts): the same report,
 * finding for finding, as one thread judging everything
 * (test/policy/shared-gate.test.ts, test/charts-src/threads.test.ts).
 *
 * The helper is the synth bundle itself started again in a thread (as for stacks in
 * charts-src/threads.ts): its entry point hands over to `runGateLaneWorker()`.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { loadStackFile } from '../config';
import { fromObjects } from './manifests';
import { RULE_FAMILIES } from './rules';
import {
  judgeFamilies,
  runGate,
  sharedSchemaStore,
  type DelegatedFindings,
  type GateOptions,
  type GateReport,
  type PlacedFinding,
} from './runner';
import { SchemaUnavailableError, type SchemaStoreOptions } from './schemas';
import type { Manifest } from './types';
import type { EnvironmentSpec } from '../config';

/**
 * The families the helper judges. The helper starts on the objects as soon as they are
 * copied to it, while the main thread still writes their YAML, index and diagram, so it
 * takes the larger share (about two thirds of the gate's time at 10,000 tenants, measured
 * per family with docs/benchmarks.md's scale environment), and both threads finish together.
 */
export const LANE_FAMILIES: readonly string[] = [
  'schema',
  'references',
  'namespace-guardrails',
  'network-policy',
  'service-exposure',
  'resource-bounds',
];

const LANE_KIND = 'agent-platform-gate-lane';

export interface GateLaneInput {
  readonly stack: string;
  /** The stack file the main thread loads too: the helper loads its own copy of the environment. */
  readonly stackFile: string;
  readonly today?: string;
  readonly schemas?: SchemaStoreOptions;
}

interface LaneData extends GateLaneInput {
  readonly kind: typeof LANE_KIND;
  readonly families: readonly string[];
}

/** A rendered file: its name in dist/<stack>/ and its objects, as the gate judges them. */
export interface LaneFile {
  readonly name: string;
  readonly objects: readonly unknown[];
}

type LaneReply =
  { readonly findings: PlacedFinding[] } | { readonly error: string; readonly schemasUnavailable?: boolean };

/** A failure as the helper reports it: a gate without schemas stays that (the synth says how to fix it). */
function failure(error: unknown, what: string): LaneReply {
  if (error instanceof SchemaUnavailableError) return { error: error.message, schemasUnavailable: true };
  return { error: `${what}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` };
}

/** The manifests of a rendered stack as the in-process gate names them (policy/gate.ts gateRendered). */
export function renderedManifests(stack: string, files: readonly LaneFile[]): Manifest[] {
  return files.flatMap((f) => fromObjects(f.objects, `dist/${stack}/${f.name}`));
}

/** True in a thread started by `GateLane.start` (the entry point then runs `runGateLaneWorker`). */
export function isGateLaneWorker(): boolean {
  return !isMainThread && (workerData as Partial<LaneData> | null)?.kind === LANE_KIND;
}

/**
 * The store reads its files on first use: read them now, while the main thread renders. A
 * store that cannot be read says so again when the families use it, as in one thread.
 */
function warmUp(schemas: ReturnType<typeof sharedSchemaStore>, minor: string): void {
  try {
    schemas.gvkIndex(minor);
    schemas.crds();
  } catch {
    // reported by the rule that needs the schemas
  }
}

/** The helper's side: environment and schemas first, then the objects, then its families. */
export function runGateLaneWorker(): void {
  const input = workerData as LaneData;
  const reply = (message: LaneReply) => parentPort!.postMessage(message);
  let prepared: { spec: ReturnType<typeof loadStackFile>['spec']; schemas: ReturnType<typeof sharedSchemaStore> };
  try {
    const spec = loadStackFile(input.stackFile, input.stack, input.today ? { today: input.today } : {}).spec;
    prepared = { spec, schemas: sharedSchemaStore(input.schemas ?? {}) };
    warmUp(prepared.schemas, spec.kubernetes.version);
  } catch (error) {
    // The main thread loads the same file and reports its problems; this only says why the helper stopped.
    reply(failure(error, `the gate's helper thread could not load ${input.stackFile}`));
    return;
  }
  parentPort!.once('message', (files: LaneFile[]) => {
    try {
      const manifests = renderedManifests(input.stack, files);
      reply({ findings: judgeFamilies(manifests, prepared, input.families) });
    } catch (error) {
      reply(failure(error, "the gate's helper thread failed"));
    }
  });
}

/** The main thread's handle on the helper. */
export class GateLane {
  private readonly reply: Promise<LaneReply>;

  private constructor(
    private readonly worker: Worker,
    readonly families: readonly string[],
  ) {
    this.reply = new Promise((resolve, reject) => {
      worker.once('message', (message: LaneReply) => resolve(message));
      worker.once('error', reject);
      worker.once('exit', (code) =>
        reject(new Error(`the gate's helper thread exited with code ${code} without a result`)),
      );
    });
    // A lane that is cancelled or fails is reported where its findings are awaited, or not at all.
    this.reply.catch(() => undefined);
  }

  /** Starts the helper (the synth bundle at `workerScript`), which loads the environment and schemas at once. */
  static start(workerScript: string, input: GateLaneInput, families: readonly string[] = LANE_FAMILIES): GateLane {
    const data: LaneData = { kind: LANE_KIND, ...input, families };
    return new GateLane(new Worker(workerScript, { workerData: data }), families);
  }

  /** Hands over the rendered objects (copied to the helper, which judges them as they are here). */
  send(files: readonly LaneFile[]): void {
    this.worker.postMessage(files.map((f) => ({ name: f.name, objects: f.objects })));
  }

  /** The helper's findings; the thread has ended when this resolves. */
  async findings(): Promise<DelegatedFindings> {
    const reply = await this.reply;
    await this.worker.terminate();
    if ('error' in reply)
      throw reply.schemasUnavailable ? new SchemaUnavailableError(reply.error) : new Error(reply.error);
    return { families: this.families, findings: reply.findings };
  }

  /** Stops the helper (the stack failed before its gate). */
  async cancel(): Promise<void> {
    await this.worker.terminate();
  }
}

/**
 * The gate's report on one rendered stack, judged on two threads: this thread's families
 * first (while the helper judges its own), then one run that reports both shares.
 */
export async function judgeShared(
  stack: string,
  files: readonly LaneFile[],
  spec: EnvironmentSpec,
  lane: GateLane,
  options: Pick<GateOptions, 'schemas'> = {},
): Promise<GateReport> {
  const manifests = renderedManifests(stack, files);
  const all = RULE_FAMILIES.map((f) => f.name);
  const own = judgeFamilies(
    manifests,
    { ...options, spec },
    all.filter((name) => !lane.families.includes(name)),
  );
  const theirs = await lane.findings();
  return runGate(manifests, {
    ...options,
    spec,
    delegated: { families: all, findings: [...own, ...theirs.findings] },
  });
}
