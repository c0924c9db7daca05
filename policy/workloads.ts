/**
 * What the rules need to know about workloads: where each pod template sits in
 * its object, its containers, selectors, and resource arithmetic on quantities.
 */
import { asArray, asObject, asString, getPath, idOf, isObject, metadataOf, stringMap } from './manifests';
import { parseQuantity } from '../config/manifest';
import type { Manifest, ObjectId, PathSegment } from './types';

export { parseQuantity, QUANTITY_PATTERN } from '../config/manifest';

export const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;
export type ContainerList = (typeof CONTAINER_LISTS)[number];

export interface ContainerRef {
  readonly container: Record<string, unknown>;
  readonly name: string;
  readonly list: ContainerList;
  /** Path of the container inside the object. */
  readonly path: readonly PathSegment[];
  /** An init container with restartPolicy Always (a native sidecar) runs as long as the pod. */
  readonly sidecar: boolean;
}

export interface PodTemplate {
  readonly manifest: Manifest;
  readonly owner: ObjectId;
  /** Path of the PodSpec inside the object. */
  readonly specPath: readonly PathSegment[];
  readonly spec: Record<string, unknown>;
  /** Path of the pod metadata (labels, annotations) inside the object. */
  readonly metaPath: readonly PathSegment[];
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  /** Namespace the pods land in (the object's). */
  readonly namespace?: string;
  /** Pods meant to keep running (Deployments, StatefulSets, DaemonSets, services), not run-to-completion Jobs. */
  readonly longRunning: boolean;
  readonly containers: readonly ContainerRef[];
}

/** A Map, not an object literal: `kind: constructor` must not find Object.prototype.constructor. */
const TEMPLATE_PATHS = new Map<string, { spec: PathSegment[]; meta: PathSegment[] }>(
  Object.entries({
    Pod: { spec: ['spec'], meta: ['metadata'] },
    PodTemplate: { spec: ['template', 'spec'], meta: ['template', 'metadata'] },
    Deployment: { spec: ['spec', 'template', 'spec'], meta: ['spec', 'template', 'metadata'] },
    StatefulSet: { spec: ['spec', 'template', 'spec'], meta: ['spec', 'template', 'metadata'] },
    DaemonSet: { spec: ['spec', 'template', 'spec'], meta: ['spec', 'template', 'metadata'] },
    ReplicaSet: { spec: ['spec', 'template', 'spec'], meta: ['spec', 'template', 'metadata'] },
    ReplicationController: { spec: ['spec', 'template', 'spec'], meta: ['spec', 'template', 'metadata'] },
    Job: { spec: ['spec', 'template', 'spec'], meta: ['spec', 'template', 'metadata'] },
    CronJob: {
      spec: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
      meta: ['spec', 'jobTemplate', 'spec', 'template', 'metadata'],
    },
  }),
);
const BATCH_KINDS = new Set(['Job', 'CronJob']);
/** Built-in kinds that never hold pod templates (so the generic CRD search skips them). */
const BUILTIN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'policy',
  'autoscaling',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'scheduling.k8s.io',
  'node.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
]);

function isPodSpec(value: unknown): value is Record<string, unknown> {
  return isObject(value) && Array.isArray(value.containers) && value.containers.every(isObject);
}

/** Every pod template of one object: built-in workload kinds by their known paths, CRDs by shape. */
export function podTemplatesOf(manifest: Manifest): PodTemplate[] {
  const object = manifest.object;
  const kind = asString(object.kind) ?? '';
  const apiVersion = asString(object.apiVersion) ?? '';
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const known = TEMPLATE_PATHS.get(kind);
  const found: { spec: PathSegment[]; meta: PathSegment[] }[] = [];
  if (known && BUILTIN_GROUPS.has(group)) {
    if (isPodSpec(getPath(object, known.spec))) found.push(known);
  } else if (!BUILTIN_GROUPS.has(group)) {
    searchPodSpecs(object, [], 0, found);
  }
  // Most objects of a set hold no pod template: they cost no metadata and no owner id.
  if (found.length === 0) return [];
  const meta = metadataOf(object);
  return found.map(({ spec: specPath, meta: metaPath }) => {
    const spec = asObject(getPath(object, specPath));
    const podMeta = asObject(getPath(object, metaPath));
    const restartPolicy = asString(spec.restartPolicy);
    const longRunning = known
      ? !BATCH_KINDS.has(kind) && (restartPolicy === undefined || restartPolicy === 'Always')
      : restartPolicy === undefined || restartPolicy === 'Always';
    return {
      manifest,
      owner: idOf(object),
      specPath,
      spec,
      metaPath,
      labels: stringMap(podMeta.labels),
      annotations: stringMap(podMeta.annotations),
      ...(meta.namespace ? { namespace: meta.namespace } : {}),
      longRunning,
      containers: containersOf(spec, specPath),
    };
  });
}

function searchPodSpecs(
  value: unknown,
  path: PathSegment[],
  depth: number,
  found: { spec: PathSegment[]; meta: PathSegment[] }[],
): void {
  if (depth > 8 || !isObject(value)) return;
  if (depth > 0 && isPodSpec(value)) {
    const last = path[path.length - 1];
    const meta = last === 'spec' ? [...path.slice(0, -1), 'metadata'] : [...path, 'metadata'];
    found.push({ spec: path, meta });
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    if (key === 'metadata' || key === 'status') continue;
    searchPodSpecs(child, [...path, key], depth + 1, found);
  }
}

export function containersOf(spec: Record<string, unknown>, specPath: readonly PathSegment[]): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const list of CONTAINER_LISTS) {
    asArray(spec[list]).forEach((container, i) => {
      if (!isObject(container)) return;
      out.push({
        container,
        name: asString(container.name) ?? `#${i}`,
        list,
        path: [...specPath, list, i],
        sidecar: list === 'initContainers' && container.restartPolicy === 'Always',
      });
    });
  }
  return out;
}

/** Every pod template in the set. */
export function allPodTemplates(manifests: readonly Manifest[]): PodTemplate[] {
  return manifests.flatMap(podTemplatesOf);
}

// ---------------------------------------------------------------------------
// Selectors
// ---------------------------------------------------------------------------

/** A label selector (`matchLabels` + `matchExpressions`) or a plain map (Service `selector`). */
export function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  const s = asObject(selector);
  const isLabelSelector = 'matchLabels' in s || 'matchExpressions' in s;
  const matchLabels = isLabelSelector ? stringMap(s.matchLabels) : stringMap(s);
  for (const [k, v] of Object.entries(matchLabels)) if (labels[k] !== v) return false;
  if (!isLabelSelector) return true;
  for (const expression of asArray(s.matchExpressions)) {
    const e = asObject(expression);
    const key = asString(e.key) ?? '';
    const values = asArray(e.values).filter((v): v is string => typeof v === 'string');
    const has = key in labels;
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(labels[key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** An empty selector (`{}`) selects everything. */
export function isEmptySelector(selector: unknown): boolean {
  const s = asObject(selector);
  return Object.keys(stringMap(s.matchLabels)).length === 0 && asArray(s.matchExpressions).length === 0;
}

// ---------------------------------------------------------------------------
// Quantities
// ---------------------------------------------------------------------------

export interface PodResources {
  /** millicores */
  cpu: number;
  /** bytes */
  memory: number;
}

function containerResource(container: Record<string, unknown>, kind: 'requests' | 'limits', name: string): number {
  const resources = asObject(container.resources);
  let value = parseQuantity(asObject(resources[kind])[name]);
  // A limit without a request sets the request (API server defaulting).
  if (value === undefined && kind === 'requests') value = parseQuantity(asObject(resources.limits)[name]);
  return value ?? 0;
}

/**
 * What the scheduler charges a pod: max(sum of app containers and sidecars, largest
 * init container) plus the RuntimeClass overhead, as the kubelet computes it.
 */
export function podResources(
  template: Pick<PodTemplate, 'containers'>,
  kind: 'requests' | 'limits',
  overhead: PodResources = { cpu: 0, memory: 0 },
): PodResources {
  const sum = { cpu: 0, memory: 0 };
  const init = { cpu: 0, memory: 0 };
  for (const c of template.containers) {
    if (c.list === 'ephemeralContainers') continue;
    const cpu = containerResource(c.container, kind, 'cpu') * 1000;
    const memory = containerResource(c.container, kind, 'memory');
    if (c.list === 'containers' || c.sidecar) {
      sum.cpu += cpu;
      sum.memory += memory;
    } else {
      init.cpu = Math.max(init.cpu, cpu);
      init.memory = Math.max(init.memory, memory);
    }
  }
  return {
    cpu: Math.max(sum.cpu, init.cpu) + overhead.cpu,
    memory: Math.max(sum.memory, init.memory) + overhead.memory,
  };
}

export function formatMillis(millis: number): string {
  const rounded = Math.round(millis);
  return rounded % 1000 === 0 ? String(rounded / 1000) : `${rounded}m`;
}

export function formatBytesHuman(value: number): string {
  for (const [suffix, unit] of [
    ['Ti', 2 ** 40],
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ] as const) {
    if (value >= unit) {
      const n = value / unit;
      return `${Number.isInteger(n) ? n : n.toFixed(1)}${suffix}`;
    }
  }
  return String(Math.round(value));
}
