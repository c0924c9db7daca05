/**
 * The Kubernetes object as data, and what every layer reads of its identity: the API
 * group and version of an `apiVersion`, and an object's kind, namespace and name.
 */

/** A step of a field path: a key of a mapping or an index of a sequence. */
export type PathSegment = string | number;

/**
 * A Kubernetes object whose identity is known: what synth renders (charts-src), what the
 * deploy step applies and checks (infra/), and what the diff compares (tools/diff).
 */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/**
 * An object as parsed from YAML, before anything is known about it: fields are unknown
 * until a reader checks them (the gate judges objects of this type).
 */
export interface K8sObject {
  readonly apiVersion?: unknown;
  readonly kind?: unknown;
  readonly metadata?: unknown;
  readonly [key: string]: unknown;
}

/** `apps/v1` → { group: 'apps', version: 'v1' }; `v1` → { group: '', version: 'v1' } (the core group). */
export function groupVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** `keda.sh/v1alpha1` → `keda.sh`; `v1` → `` (the core group). */
export function apiGroupOf(apiVersion: string): string {
  return groupVersion(apiVersion).group;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The object narrowed to a KubernetesObject: apiVersion, kind and metadata.name are strings. */
export function isKubernetesObject(value: unknown): value is KubernetesObject {
  return (
    isRecord(value) &&
    typeof value.apiVersion === 'string' &&
    typeof value.kind === 'string' &&
    isRecord(value.metadata) &&
    typeof value.metadata.name === 'string'
  );
}
