/**
 * One offline plan: load the stack file, run the program under mocks, summarize,
 * price, and compare the price with the stack file at a base commit.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findStackFiles, INDEX_FILE, loadStackFile, type EnvironmentSpec } from '../../config';
import { diffCost, estimateCost, specFromStackText, type CostDiff } from '../cost';
import { readFileAt } from '../diff/source';
import { sessionCost } from '../session-cost';
import { versionsOfIndex } from '../diff/version-risks';
import { BaseRecordingError } from './base-program';
import { compareRecordings, type ResourceChange } from './changes';
import type { PlanDocument } from './markdown';
import { OFFLINE_OUTPUTS, offlineCalls } from './offline';
import { recordProgram, type PlannedResource } from './record';
import { planRisks } from './risks';
import { summarizePlan } from './summarize';

/** What the plan runs: the platform program for one environment. */
export type PlatformProgram = (spec: EnvironmentSpec) => unknown;

export class PlanInputError extends Error {
  override readonly name = 'PlanInputError';
}

export interface PlanOptions {
  readonly stack: string;
  /** Repository root (stack files live here). */
  readonly root: string;
  readonly program: PlatformProgram;
  /** Compare the cost with the stack file at this commit. */
  readonly baseCommit?: string;
  /**
   * Records the program at the base commit (base-program.ts `recordAtBase`), for the
   * cloud-side changes. @default - none: the plan shows no cloud-side changes
   */
  readonly recordBase?: (commit: string) => Promise<PlannedResource[]>;
  /** dist/ folder of the working tree, for the recorded versions. @default <root>/dist */
  readonly distDir?: string;
}

export async function planStack(options: PlanOptions): Promise<{ spec: EnvironmentSpec; doc: PlanDocument }> {
  const file = join(options.root, `Pulumi.${options.stack}.yaml`);
  if (!existsSync(file)) {
    const stacks = findStackFiles(options.root).map((s) => s.stack);
    throw new PlanInputError(
      `--stack ${JSON.stringify(options.stack)}: there is no Pulumi.${options.stack}.yaml (stacks: ${stacks.join(', ') || 'none'})`,
    );
  }
  const { spec, warnings } = loadStackFile(file, options.stack);
  const resources = await recordProgram(() => options.program(spec), {
    stack: options.stack,
    calls: offlineCalls(spec),
    outputs: OFFLINE_OUTPUTS,
    secretConfig: ['agent-platform:hcloudToken'],
  });
  const plan = summarizePlan(spec, resources);
  const cost = estimateCost(spec, resources);
  let costDiff: CostDiff | { unavailable: string } | undefined;
  let baseSpec: EnvironmentSpec | undefined;
  if (options.baseCommit) {
    const path = `Pulumi.${options.stack}.yaml`;
    const text = readFileAt(options.root, options.baseCommit, path);
    if (text === undefined) {
      costDiff = {
        unavailable: `${path} does not exist at the base (${options.baseCommit.slice(0, 7)}): a new stack.`,
      };
    } else {
      try {
        baseSpec = specFromStackText(text, options.stack, `${path} at ${options.baseCommit.slice(0, 7)}`);
        costDiff = diffCost(estimateCost(baseSpec), cost);
      } catch (error) {
        costDiff = { unavailable: `the base stack file does not load: ${(error as Error).message.split('\n')[0]}` };
      }
    }
  }
  const cloud = await cloudChangesAgainstBase(options, resources);
  const indexPath = `${options.stack}/${INDEX_FILE}`;
  const headIndex = join(options.distDir ?? join(options.root, 'dist'), indexPath);
  const risks = options.baseCommit
    ? planRisks({
        spec,
        resources,
        ...(baseSpec ? { baseSpec } : {}),
        ...optional('baseVersions', versionsOfIndex(readFileAt(options.root, options.baseCommit, `dist/${indexPath}`))),
        ...optional('versions', versionsOfIndex(existsSync(headIndex) ? readFileSync(headIndex, 'utf8') : undefined)),
        ...('changes' in cloud ? { baseResources: cloud.baseResources, changes: cloud.changes } : {}),
      })
    : undefined;
  return {
    spec,
    doc: {
      plan,
      cost,
      warnings,
      ...(costDiff ? { costDiff } : {}),
      ...(cloud.document ? { cloudChanges: cloud.document } : {}),
      ...(risks ? { risks } : {}),
      ...optional('sessionCost', sessionCost(spec, cost)),
    },
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [k in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [k in K]?: V };
}

/** The cloud-side changes against the base's own program, or why they are not known. */
async function cloudChangesAgainstBase(
  options: PlanOptions,
  resources: readonly PlannedResource[],
): Promise<
  | { document?: PlanDocument['cloudChanges'] }
  | { document: PlanDocument['cloudChanges']; baseResources: PlannedResource[]; changes: ResourceChange[] }
> {
  if (!options.baseCommit || !options.recordBase) return {};
  try {
    const baseResources = await options.recordBase(options.baseCommit);
    const changes = compareRecordings(baseResources, resources);
    return { document: { base: options.baseCommit.slice(0, 7), changes }, baseResources, changes };
  } catch (error) {
    if (!(error instanceof BaseRecordingError)) throw error;
    return { document: { unavailable: error.message } };
  }
}
