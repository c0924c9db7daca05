/**
 * Deploying the reviewed manifests: the committed `dist/<stack>/` files, byte for
 * byte, applied with the cluster's Kubernetes provider.
 *
 * Before anything is registered, `readReviewedDist` refuses a dist/ that is not the
 * one the stack file would render: rendered for another stack, stale (environment
 * digest differs), tampered (a file's sha256 differs from index.json), incomplete
 * or padded (a listed file missing, an unlisted .yaml present). `checkReplicaOwnership`
 * (the gate's rule `ref.autoscaled-replicas`) refuses a workload that carries `spec.replicas`
 * while an HPA or a KEDA ScaledObject scales it: server-side apply would reset the controller's count on
 * every `pulumi up`. Fix either in charts-src and run `npm run synth`.
 *
 * The YAML handed to the provider is the verified content itself (ConfigGroup `yaml`),
 * not a path read again later, so what was hashed is what is applied.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { environmentDigest, INDEX_FILE, sha256, type EnvironmentSpec, type StackIndex } from '../config';
import { readYaml } from '../config/manifest';
import { appliedObjectTransforms } from './applied-names';
import { DistError, NAMESPACES_FILE, type ManifestObject } from './dist-checks';

// The checks of a dist/ that need no Pulumi live in dist-checks.ts (synth runs them too).
export {
  BUILT_IN_API_GROUPS,
  DistError,
  NAMESPACES_FILE,
  apiGroupOf,
  checkReplicaOwnership,
  customApiGroups,
  type ManifestObject,
} from './dist-checks';

export interface ReviewedFile {
  /** File name inside dist/<stack>/. */
  readonly file: string;
  readonly sha256: string;
  /** The exact bytes reviewed, as text. */
  readonly content: string;
  readonly objects: readonly ManifestObject[];
}

export interface ReviewedDist {
  readonly stack: string;
  /** Absolute path of dist/<stack>/. */
  readonly dir: string;
  readonly index: StackIndex;
  /** In index order: the apply order. */
  readonly files: readonly ReviewedFile[];
}

function parseIndex(text: string, where: string, problems: string[]): StackIndex | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    problems.push(`${where} is not valid JSON (${(error as Error).message})`);
    return undefined;
  }
  const index = raw as Partial<StackIndex> | null;
  const bad: string[] = [];
  if (!index || typeof index !== 'object') bad.push('must be an object');
  else {
    if (typeof index.stack !== 'string') bad.push('"stack" must be a string');
    if (typeof index.environmentDigest !== 'string') bad.push('"environmentDigest" must be a string');
    if (
      !Array.isArray(index.files) ||
      !index.files.every((f) => f && typeof f.file === 'string' && typeof f.sha256 === 'string')
    ) {
      bad.push('"files" must be a list of { file, sha256 }');
    }
  }
  if (bad.length > 0) {
    problems.push(`${where} is not a dist index: ${bad.join('; ')}`);
    return undefined;
  }
  return index as StackIndex;
}

function parseObjects(content: string, where: string, problems: string[]): ManifestObject[] {
  const objects: ManifestObject[] = [];
  readYaml(content).documents.forEach((doc, i) => {
    if (doc.error) {
      problems.push(`${where} document ${i + 1} is not valid YAML: ${doc.error.message}`);
      return;
    }
    const value = doc.value as ManifestObject | null;
    if (value === null) return;
    if (typeof value !== 'object' || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') {
      problems.push(`${where} document ${i + 1} is not a Kubernetes object (apiVersion and kind are required)`);
      return;
    }
    objects.push(value);
  });
  return objects;
}

/**
 * Reads and verifies dist/<spec.stack>/ under `distRoot`. Registers nothing; throws
 * DistError listing every problem. `distRoot` is usually `<repo>/dist`.
 */
export function readReviewedDist(spec: EnvironmentSpec, distRoot: string): ReviewedDist {
  const stack = spec.stack;
  const dir = join(distRoot, stack);
  const shown = `dist/${stack}`;
  const indexPath = join(dir, INDEX_FILE);
  if (!existsSync(indexPath)) {
    throw new DistError(stack, [`${shown}/${INDEX_FILE} does not exist (looked in ${dir})`]);
  }
  const problems: string[] = [];
  const index = parseIndex(readFileSync(indexPath, 'utf8'), `${shown}/${INDEX_FILE}`, problems);
  if (!index) throw new DistError(stack, problems);

  if (index.stack !== stack) {
    problems.push(
      `${shown}/${INDEX_FILE} was rendered for stack "${index.stack}", not "${stack}" (copied from another stack's folder?)`,
    );
  }
  const expected = environmentDigest(spec);
  if (index.environmentDigest !== expected) {
    problems.push(
      `${shown}/ is stale: ${INDEX_FILE} has environmentDigest ${index.environmentDigest.slice(0, 12)}…, ` +
        `but Pulumi.${stack}.yaml now resolves to ${expected.slice(0, 12)}… (the settings changed since the last synth)`,
    );
  }

  const files: ReviewedFile[] = [];
  const listed = new Set<string>();
  index.files.forEach((entry, i) => {
    const where = `${shown}/${entry.file}`;
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*\.ya?ml$/.test(entry.file)) {
      problems.push(`${shown}/${INDEX_FILE} files[${i}] ("${entry.file}") is not a plain .yaml file name`);
      return;
    }
    if (listed.has(entry.file)) {
      problems.push(`${shown}/${INDEX_FILE} lists ${entry.file} twice`);
      return;
    }
    listed.add(entry.file);
    const path = join(dir, entry.file);
    if (!existsSync(path) || !statSync(path).isFile()) {
      problems.push(`${where} is listed in ${INDEX_FILE} but missing`);
      return;
    }
    const bytes = readFileSync(path);
    const digest = sha256(bytes);
    if (digest !== entry.sha256) {
      problems.push(
        `${where} was changed after synth: its sha256 is ${digest.slice(0, 12)}…, ${INDEX_FILE} lists ${entry.sha256.slice(0, 12)}…`,
      );
      return;
    }
    const content = bytes.toString('utf8');
    files.push({ file: entry.file, sha256: digest, content, objects: parseObjects(content, where, problems) });
  });

  const unlisted = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f) && !listed.has(f))
    .sort();
  for (const f of unlisted) {
    problems.push(`${shown}/${f} is not listed in ${INDEX_FILE}: only reviewed files are applied (delete it or synth)`);
  }
  if (!listed.has(NAMESPACES_FILE)) {
    problems.push(`${shown}/${INDEX_FILE} does not list ${NAMESPACES_FILE}, which is applied before the add-ons`);
  }

  if (problems.length > 0) throw new DistError(stack, problems);
  return { stack, dir, index, files };
}

export interface ReviewedManifestsArgs {
  /** Files to apply, in order: each waits for the one before it. */
  readonly files: readonly ReviewedFile[];
  readonly provider: k8s.Provider;
  /** Resources every file waits for (the cluster, the namespaces, the add-ons). */
  readonly after?: readonly pulumi.Resource[];
  /** Extra per-file dependencies (the add-ons that provide the CRDs and webhooks it uses). */
  readonly dependenciesOf?: (file: ReviewedFile) => readonly pulumi.Resource[];
  /**
   * The Pulumi name prefix of every applied object (infra/applied-names.ts): one per
   * stack, shared by every group, so an object's name follows its identity only.
   */
  readonly objectNamePrefix: string;
}

/**
 * Applies reviewed files, one `yaml.v2.ConfigGroup` per file named after it
 * (`<name>-<file without .yaml>`), with the exact verified text and the explicit
 * provider. Files are chained in the given order. The objects inside are named by
 * identity (`objectNamePrefix`), aliased to their former per-file names.
 */
export class ReviewedManifests extends pulumi.ComponentResource {
  /** ConfigGroup per file name. */
  readonly groups: Readonly<Record<string, k8s.yaml.v2.ConfigGroup>>;
  /** What each file's group was declared to wait for (for the offline plan and tests). */
  readonly waitsFor: Readonly<Record<string, readonly pulumi.Resource[]>>;

  constructor(name: string, args: ReviewedManifestsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('agent-platform:deploy:ReviewedManifests', name, {}, opts);
    const groups: Record<string, k8s.yaml.v2.ConfigGroup> = {};
    const waitsFor: Record<string, pulumi.Resource[]> = {};
    let previous: pulumi.Resource | undefined;
    for (const file of args.files) {
      const stem = file.file.replace(/\.ya?ml$/, '');
      const dependsOn = [
        ...new Set([...(args.after ?? []), ...(args.dependenciesOf?.(file) ?? []), ...(previous ? [previous] : [])]),
      ];
      const groupName = `${name}-${stem}`;
      const group = new k8s.yaml.v2.ConfigGroup(
        groupName,
        { yaml: file.content, resourcePrefix: args.objectNamePrefix },
        {
          parent: this,
          provider: args.provider,
          dependsOn,
          transforms: appliedObjectTransforms(args.objectNamePrefix, groupName),
        },
      );
      groups[file.file] = group;
      waitsFor[file.file] = dependsOn;
      previous = group;
    }
    this.groups = groups;
    this.waitsFor = waitsFor;
    this.registerOutputs({ files: args.files.map((f) => ({ file: f.file, sha256: f.sha256 })) });
  }
}
