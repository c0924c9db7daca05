/**
 * Reading manifests: files and directories of YAML into objects that remember
 * their file and can map a field path to a line. Anything unreadable is an
 * InputError (the CLI's exit code 2), never a finding.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { groupVersion, readYaml, readYamlFile, type YamlStream } from '../config/manifest';
import type { K8sObject, Manifest, ObjectId } from './types';
import { asObject, asString, isObject, stringMap, type PathSegment } from './values';
import { appendAll } from '../config/append-all';

export { asArray, asObject, asString, getPath, isObject, stringMap } from './values';

/** Input the gate cannot judge: a missing file, unparseable YAML. */
export class InputError extends Error {
  override name = 'InputError';
}

const YAML_FILE = /\.ya?ml$/;

/** Every YAML file under the given files and directories, in a stable order. */
export function collectFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const missing: string[] = [];
  for (const path of paths) {
    if (!existsSync(path)) {
      missing.push(path);
      continue;
    }
    if (statSync(path).isDirectory()) appendAll(out, walk(path));
    else out.push(path);
  }
  if (missing.length > 0) throw new InputError(`no such file or directory: ${missing.join(', ')}`);
  return out;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) appendAll(out, walk(path));
    else if (YAML_FILE.test(entry.name)) out.push(path);
  }
  return out;
}

/** Parses one YAML text (possibly many documents) into manifests; `List` objects are expanded. */
export function parseManifests(text: string, file: string): Manifest[] {
  return manifestsOf(readYaml(text), file);
}

function manifestsOf(stream: YamlStream, file: string): Manifest[] {
  const out: Manifest[] = [];
  stream.documents.forEach((doc, index) => {
    if (doc.error) {
      const { line, col, message } = doc.error;
      throw new InputError(`${file}:${line}:${col}: invalid YAML: ${message.split('\n')[0]}`);
    }
    const value = doc.value;
    if (value === null || value === undefined) return;
    const lineOf = (path: readonly PathSegment[]) => stream.lineOf(index, path);
    if (!isObject(value)) {
      const pos = stream.startOf(index);
      throw new InputError(
        `${file}:${pos.line}:${pos.col}: document ${index + 1} is not a Kubernetes object (a mapping)`,
      );
    }
    if (value.kind === 'List' && Array.isArray(value.items)) {
      value.items.forEach((item, i) => {
        if (!isObject(item)) throw new InputError(`${file}: document ${index + 1}: items[${i}] is not an object`);
        out.push({ object: item, file, document: index, lineOf: (path) => lineOf(['items', i, ...path]) });
      });
      return;
    }
    out.push({ object: value, file, document: index, lineOf });
  });
  return out;
}

/**
 * Reads and parses every YAML file under `paths`, each in pieces (config/manifest/read-file.ts):
 * what stays in memory is the objects and where each document is, not the files' texts.
 */
export function loadManifests(paths: readonly string[], display: (file: string) => string = (f) => f): Manifest[] {
  const out: Manifest[] = [];
  for (const file of collectFiles(paths)) {
    let stream: YamlStream;
    try {
      stream = readYamlFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === undefined) throw error;
      throw new InputError(`${file}: cannot be read: ${(error as Error).message}`);
    }
    appendAll(out, manifestsOf(stream, display(file)));
  }
  return out;
}

/** A file name for reports: relative to `base` when inside it, else as given. */
export function displayPath(base: string, file: string): string {
  const rel = relative(base, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** Wraps objects rendered in memory (synth) as manifests. */
export function fromObjects(objects: readonly unknown[], file: string): Manifest[] {
  return objects.map((object, document) => ({ object: object as K8sObject, file, document }));
}

// ---------------------------------------------------------------------------
// Object identity
// ---------------------------------------------------------------------------

export interface ObjectMetadata {
  readonly name: string;
  readonly namespace?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/**
 * metadataOf results for the objects of the gate run in progress. Every rule reads the
 * metadata of every object, so without it each object's labels and annotations were
 * copied some twenty times per run. Objects do not change while the gate judges them;
 * outside a run nothing is cached, so callers that edit an object between calls see
 * the edit. A Map, not a WeakMap: it lives only as long as the run, and its lookups
 * cost a fraction of a WeakMap's (100,000 objects, each read dozens of times).
 */
let metadataMemo: Map<object, ObjectMetadata> | undefined;

/** Runs `judge` with metadataOf results remembered per object until it returns. */
export function withMetadataMemo<T>(judge: () => T): T {
  if (metadataMemo) return judge();
  metadataMemo = new Map();
  try {
    return judge();
  } finally {
    metadataMemo = undefined;
  }
}

/**
 * `metadataOf(object).namespace` without building the metadata: the passes over every
 * object of a large set (namespace checks, indexes by namespace) read only this.
 */
export function metadataNamespace(object: K8sObject): string | undefined {
  const namespace = asObject(object.metadata).namespace;
  return typeof namespace === 'string' && namespace !== '' ? namespace : undefined;
}

export function metadataOf(object: K8sObject): ObjectMetadata {
  const known = metadataMemo?.get(object);
  if (known) return known;
  const meta = asObject(object.metadata);
  const namespace = metadataNamespace(object);
  const name = asString(meta.name) ?? asString(meta.generateName) ?? '(unnamed)';
  const labels = stringMap(meta.labels);
  const annotations = stringMap(meta.annotations);
  // Two literals rather than a spread of `{ namespace }`, which cost more than the rest.
  const result: ObjectMetadata = namespace ? { name, namespace, labels, annotations } : { name, labels, annotations };
  metadataMemo?.set(object, result);
  return result;
}

const DEFAULT_NAMESPACE = 'default';

/**
 * The namespace an object is in, as the API server places it: a namespaced object
 * without `metadata.namespace` lands in `default`. Cluster-scoped objects get `default`
 * too, which is harmless for lookups (their kinds never share a name with namespaced
 * kinds). Every rule that compares or keys namespaces uses this, so a Deployment and
 * its HPA both written without a namespace are in the same one.
 */
export function namespaceOf(object: K8sObject): string {
  return metadataNamespace(object) ?? DEFAULT_NAMESPACE;
}

/** `namespaceOf` for a namespace that may be absent (e.g. a pod template's). */
export function effectiveNamespace(namespace: string | undefined): string {
  return namespace ?? DEFAULT_NAMESPACE;
}

export function idOf(object: K8sObject): ObjectId {
  const meta = metadataOf(object);
  return {
    apiVersion: asString(object.apiVersion) ?? '(none)',
    kind: asString(object.kind) ?? '(none)',
    ...(meta.namespace ? { namespace: meta.namespace } : {}),
    name: meta.name,
  };
}

/** `Deployment lobstack-control-plane/api` */
export function describe(id: ObjectId): string {
  return `${id.kind} ${id.namespace ? `${id.namespace}/` : ''}${id.name}`;
}

/** API group and version of an apiVersion: the manifest core's (config/manifest). */
export { groupVersion };

/** `['spec', 'containers', 0, 'image']` → `spec.containers[0].image` */
export function formatFieldPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out || '(object)';
}
