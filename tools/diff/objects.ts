/**
 * Manifests as data for the diff: parsed objects keyed by identity
 * (apiVersion group, kind, namespace, name), so a file rename or a move between
 * files is not a change, and an apiVersion bump within a group is a field change.
 */
import { apiGroupOf, readYaml } from '../../config/manifest';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface ManifestObject {
  /** `group/kind/namespace/name`, with `core` for the core group and `-` for cluster-scoped objects. */
  readonly key: string;
  readonly group: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** The file (relative to the stack folder) the object was read from. */
  readonly file: string;
  readonly body: JsonObject;
}

/** One stack's objects, by key. */
export type ObjectSet = Map<string, ManifestObject>;

export class ManifestReadError extends Error {
  override readonly name = 'ManifestReadError';
}

/** `apps/v1` → `apps`, `v1` → `core`. */
export function groupOf(apiVersion: string): string {
  return apiGroupOf(apiVersion) || 'core';
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Identity of a parsed manifest, or undefined for documents that are not Kubernetes objects. */
export function identityOf(body: JsonObject, file: string): Omit<ManifestObject, 'body'> | undefined {
  const apiVersion = body.apiVersion;
  const kind = body.kind;
  const metadata = body.metadata;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !isObject(metadata)) return undefined;
  const name = metadata.name;
  if (typeof name !== 'string') return undefined;
  const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
  const group = groupOf(apiVersion);
  return {
    key: `${group}/${kind}/${namespace ?? '-'}/${name}`,
    group,
    kind,
    ...(namespace === undefined ? {} : { namespace }),
    name,
    file,
  };
}

/** `Deployment lobstack-control-plane/api`, `Namespace lobstack-agents`. */
export function displayName(object: Pick<ManifestObject, 'kind' | 'namespace' | 'name'>): string {
  return `${object.kind} ${object.namespace ? `${object.namespace}/` : ''}${object.name}`;
}

/**
 * Parses one YAML file (possibly several documents) into `set`. Unparseable YAML
 * and two objects with one identity are errors: a diff over them would mislead.
 */
export function addManifests(set: ObjectSet, file: string, text: string): void {
  readYaml(text).documents.forEach((doc, index) => {
    if (doc.error) {
      throw new ManifestReadError(
        `${file}: document ${index + 1} is not valid YAML: ${doc.error.message.split('\n')[0]}`,
      );
    }
    const body = doc.value;
    if (body === null || body === undefined) return;
    if (!isObject(body)) return;
    const items = body.kind === 'List' && Array.isArray(body.items) ? body.items.filter(isObject) : [body];
    for (const item of items) {
      const identity = identityOf(item, file);
      if (!identity) continue;
      const existing = set.get(identity.key);
      if (existing) {
        throw new ManifestReadError(
          `${file}: ${displayName(identity)} is declared twice (also in ${existing.file}); object identities must be unique per stack`,
        );
      }
      set.set(identity.key, { ...identity, body: item });
    }
  });
}

/** Whether a dist/ file holds manifests (index.json and other files are not compared). */
export function isManifestFile(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}
