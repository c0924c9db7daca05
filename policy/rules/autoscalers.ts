/**
 * The autoscalers of a set of manifests (HPA, KEDA ScaledObject, VPA), read once:
 * what each targets, its replica floor and ceiling, and the resources it acts on.
 */
import { asArray, asObject, asString, namespaceOf } from '../manifests';
import { asObjects } from '../values';
import { perRun } from '../rule';
import type { Manifest, PathSegment } from '../types';
import { objectKey, ofKinds } from './object-index';

export interface ScaleTarget {
  readonly namespace: string;
  readonly kind: string;
  readonly name: string;
}

export interface Autoscaler {
  readonly manifest: Manifest;
  readonly target: ScaleTarget;
  readonly targetPath: PathSegment[];
  readonly horizontal: boolean;
  /** Floor of the replica count. */
  readonly min: number;
  readonly max: number;
  /** cpu/memory the autoscaler scales on (horizontal) or controls (VPA, when active). */
  readonly resources: Set<string>;
  readonly vpaActive?: boolean;
}

export const targetKey = (t: ScaleTarget) => objectKey(t.namespace, t.kind, t.name);

function targetOf(m: Manifest, ref: Record<string, unknown>, defaultKind: string): ScaleTarget {
  return { namespace: namespaceOf(m.object), kind: asString(ref.kind) ?? defaultKind, name: asString(ref.name) ?? '' };
}

function hpaOf(m: Manifest, spec: Record<string, unknown>): Autoscaler {
  const resources = new Set<string>();
  const metrics = asArray(spec.metrics);
  if (metrics.length === 0) resources.add('cpu'); // autoscaling/v2 defaults to 80% CPU
  for (const metric of metrics) {
    const mm = asObject(metric);
    const source = asObject(mm.type === 'ContainerResource' ? mm.containerResource : mm.resource);
    if ((mm.type === 'Resource' || mm.type === 'ContainerResource') && typeof source.name === 'string') {
      resources.add(source.name);
    }
  }
  return {
    manifest: m,
    target: targetOf(m, asObject(spec.scaleTargetRef), ''),
    targetPath: ['spec', 'scaleTargetRef'],
    horizontal: true,
    min: typeof spec.minReplicas === 'number' ? spec.minReplicas : 1,
    max: typeof spec.maxReplicas === 'number' ? spec.maxReplicas : 1,
    resources,
  };
}

function scaledObjectOf(m: Manifest, spec: Record<string, unknown>): Autoscaler {
  const resources = new Set<string>();
  for (const trigger of asArray(spec.triggers)) {
    const type = asObject(trigger).type;
    if (type === 'cpu' || type === 'memory') resources.add(type);
  }
  return {
    manifest: m,
    target: targetOf(m, asObject(spec.scaleTargetRef), 'Deployment'),
    targetPath: ['spec', 'scaleTargetRef'],
    horizontal: true,
    min: typeof spec.minReplicaCount === 'number' ? spec.minReplicaCount : 0,
    max: typeof spec.maxReplicaCount === 'number' ? spec.maxReplicaCount : 100,
    resources,
  };
}

function vpaOf(m: Manifest, spec: Record<string, unknown>): Autoscaler {
  const mode = asString(asObject(spec.updatePolicy).updateMode) ?? 'Auto';
  const active = mode === 'Auto' || mode === 'Recreate' || mode === 'InPlaceOrRecreate';
  const resources = new Set<string>();
  const policies = asObjects(asObject(spec.resourcePolicy).containerPolicies);
  if (policies.length === 0) ['cpu', 'memory'].forEach((r) => resources.add(r));
  for (const p of policies) {
    if (p.mode === 'Off') continue;
    const controlled = asArray(p.controlledResources).filter((r): r is string => typeof r === 'string');
    (controlled.length > 0 ? controlled : ['cpu', 'memory']).forEach((r) => resources.add(r));
  }
  return {
    manifest: m,
    target: targetOf(m, asObject(spec.targetRef), ''),
    targetPath: ['spec', 'targetRef'],
    horizontal: false,
    min: 0,
    max: 0,
    resources,
    vpaActive: active,
  };
}

const READERS = new Map<unknown, (m: Manifest, spec: Record<string, unknown>) => Autoscaler>([
  ['HorizontalPodAutoscaler', hpaOf],
  ['ScaledObject', scaledObjectOf],
  ['VerticalPodAutoscaler', vpaOf],
]);

export function autoscalersOf(manifests: readonly Manifest[]): Autoscaler[] {
  const out: Autoscaler[] = [];
  for (const m of manifests) {
    const read = READERS.get(m.object.kind);
    if (read) out.push(read(m, asObject(m.object.spec)));
  }
  return out;
}

/** The autoscalers of the run, in manifest order. */
export const autoscalers = perRun((ctx) => autoscalersOf(ofKinds(ctx, [...READERS.keys()] as string[])));

/** The autoscalers of the run by `targetKey`, each list in manifest order. */
export const autoscalersByTarget = perRun((ctx) => {
  const out = new Map<string, Autoscaler[]>();
  for (const a of autoscalers(ctx)) {
    const list = out.get(targetKey(a.target)) ?? [];
    list.push(a);
    out.set(targetKey(a.target), list);
  }
  return out;
});
