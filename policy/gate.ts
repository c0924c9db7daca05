/**
 * The entry points the CLI, the synth pipeline and the cdk8s plugin share:
 * grouping manifest files by stack (a folder with an index.json is one stack's
 * output) and judging each group, with its environment when one is known.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { environmentDigest, INDEX_FILE, loadStackFile, type EnvironmentSpec } from '../config';
import { fromObjects, InputError, isObject, loadManifests } from './manifests';
import { runGate, type GateOptions, type GateReport } from './runner';
import type { Manifest } from './types';

/** Name of the per-stack index written by the synth pipeline (charts-src/render.ts). */
/** dist/<stack>/index.json (config/dist-index.ts). */
export const STACK_INDEX = INDEX_FILE;

export interface StackIndexInfo {
  readonly stack?: string;
  readonly kubernetesVersion?: string;
  /** Digest of the environment the folder was rendered from (config/digest.ts). */
  readonly environmentDigest?: string;
}

export function readStackIndex(dir: string): StackIndexInfo | undefined {
  const file = join(dir, STACK_INDEX);
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (!isObject(parsed)) return {};
    return {
      ...(typeof parsed.stack === 'string' ? { stack: parsed.stack } : {}),
      ...(typeof parsed.kubernetesVersion === 'string' ? { kubernetesVersion: parsed.kubernetesVersion } : {}),
      ...(typeof parsed.environmentDigest === 'string' ? { environmentDigest: parsed.environmentDigest } : {}),
    };
  } catch (error) {
    throw new InputError(`${file}: not JSON: ${(error as Error).message}`);
  }
}

export interface FileGroup {
  /** The folder holding index.json, or undefined for loose files. */
  readonly dir?: string;
  readonly index?: StackIndexInfo;
  readonly files: string[];
}

/** Files grouped by the nearest folder that holds a stack index; the rest form one group. */
export function groupByStack(files: readonly string[]): FileGroup[] {
  const groups = new Map<string, FileGroup>();
  const loose: string[] = [];
  for (const file of files) {
    const dir = dirname(file);
    const index = readStackIndex(dir);
    if (!index) {
      loose.push(file);
      continue;
    }
    const group = groups.get(dir) ?? { dir, index, files: [] };
    group.files.push(file);
    groups.set(dir, group);
  }
  const out = [...groups.values()].sort((a, b) => ((a.dir ?? '') < (b.dir ?? '') ? -1 : 1));
  if (loose.length > 0) out.push({ files: loose });
  return out;
}

/** Loads the environment of a stack from `<root>/Pulumi.<stack>.yaml` (a ConfigError on bad input). */
export function loadEnvironment(root: string, stack: string): EnvironmentSpec {
  const file = join(root, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) throw new InputError(`--stack ${stack}: no stack file ${file}`);
  return loadStackFile(file, stack).spec;
}

/** Judges one stack rendered in memory (the synth pipeline), file by file as dist/ will hold it. */
export function gateRendered(
  stack: string,
  files: readonly { readonly name: string; readonly objects: readonly unknown[] }[],
  spec: EnvironmentSpec | undefined,
  options: Omit<GateOptions, 'spec'> = {},
): GateReport {
  const manifests: Manifest[] = files.flatMap((f) => fromObjects(f.objects, `dist/${stack}/${f.name}`));
  return runGate(manifests, { ...options, ...(spec ? { spec } : {}) });
}

/** Judges files on disk, one report per stack group. */
export function gateFiles(
  groups: readonly FileGroup[],
  options: Omit<GateOptions, 'spec' | 'kubernetesVersion'> & {
    readonly kubernetesVersion?: string;
    readonly specFor?: (group: FileGroup) => EnvironmentSpec | undefined;
    /** How files are named in findings. @default - as given */
    readonly display?: (file: string) => string;
  } = {},
): GateReport[] {
  return groups.map((group) => {
    const spec = options.specFor?.(group);
    const kubernetesVersion = options.kubernetesVersion ?? (spec ? undefined : group.index?.kubernetesVersion);
    const report = runGate(loadManifests(group.files, options.display), {
      ...(options.schemas ? { schemas: options.schemas } : {}),
      ...(options.families ? { families: options.families } : {}),
      ...(spec ? { spec } : {}),
      ...(kubernetesVersion ? { kubernetesVersion } : {}),
    });
    const notes: string[] = [];
    const where = group.dir ? (options.display?.(group.dir) ?? group.dir) : '';
    if (!spec && group.index?.stack) {
      notes.push(
        `${where} is the output of stack ${group.index.stack}: add --stack ${group.index.stack} for the cross-layer rules`,
      );
    }
    if (spec && group.index?.environmentDigest && group.index.environmentDigest !== environmentDigest(spec)) {
      notes.push(
        `${where} was rendered from a different Pulumi.${spec.stack}.yaml than the current one (environment digest differs): run npm run synth`,
      );
    }
    return notes.length > 0 ? { ...report, notes: [...report.notes, ...notes] } : report;
  });
}
