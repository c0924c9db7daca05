/**
 * The reference rules about autoscaling: targets exist, one horizontal autoscaler per
 * workload, no HPA/KEDA and active VPA on the same resources, no `spec.replicas` on an
 * autoscaled workload, and a PDB that leaves room for a drain at the autoscaler floor.
 */
import { allowedDisruptions } from '../../config';
import { asObject, describe, idOf, namespaceOf } from '../manifests';
import type { GateRule, Hit } from '../rule';
import type { GateContext, Manifest, PathSegment } from '../types';
import { selectorMatches, type PodTemplate } from '../workloads';
import { autoscalers, autoscalersByTarget, type Autoscaler } from './autoscalers';
import { objectAt, ofKind } from './object-index';
import { exists, podTemplatesIn } from './reference-index';
import { shown } from '../values';

export const scaleTargetRule: GateRule = {
  id: 'ref.scale-target',
  severity: 'error',
  description: 'HPA, VPA and ScaledObject targets exist in their namespace',
  fix: 'correct kind/name of the target (it must be in the same namespace)',
  check: (ctx) =>
    autoscalers(ctx)
      .filter((a) => !exists(ctx, a.target.namespace, a.target.kind, a.target.name))
      .map((a) => ({
        manifest: a.manifest,
        path: a.targetPath,
        message: `targets ${a.target.kind} ${a.target.namespace}/${a.target.name}, which is not in the manifests`,
      })),
};

const horizontalOf = (list: readonly Autoscaler[]) => list.filter((a) => a.horizontal);

export const oneAutoscalerRule: GateRule = {
  id: 'ref.one-autoscaler',
  severity: 'error',
  description: 'at most one horizontal autoscaler per workload',
  fix: 'keep one horizontal autoscaler per workload (a KEDA ScaledObject already creates an HPA)',
  check: (ctx) =>
    [...autoscalersByTarget(ctx)].flatMap(([key, list]) => {
      const [first, ...others] = horizontalOf(list);
      return others.map((a) => ({
        manifest: a.manifest,
        path: a.targetPath,
        message: `${key} is already scaled by ${describe(idOf(first!.manifest.object))}; two autoscalers fight over replicas`,
      }));
    }),
};

function vpaConflicts(key: string, list: readonly Autoscaler[]): Hit[] {
  const out: Hit[] = [];
  for (const vpa of list.filter((a) => !a.horizontal && a.vpaActive)) {
    for (const h of horizontalOf(list)) {
      const shared = [...h.resources].filter((r) => vpa.resources.has(r));
      if (shared.length === 0) continue;
      out.push({
        manifest: vpa.manifest,
        path: ['spec', 'updatePolicy', 'updateMode'],
        message: `VPA in an active update mode controls ${shared.join(' and ')} of ${key}, which ${describe(idOf(h.manifest.object))} scales on`,
      });
    }
  }
  return out;
}

export const hpaVpaConflictRule: GateRule = {
  id: 'ref.hpa-vpa-conflict',
  severity: 'error',
  description: 'no HPA/KEDA and active VPA on the same CPU/memory',
  fix: 'set updatePolicy.updateMode: "Off" (recommendations only), or exclude those resources with resourcePolicy.containerPolicies[].controlledResources',
  check: (ctx) => [...autoscalersByTarget(ctx)].flatMap(([key, list]) => vpaConflicts(key, list)),
};

function replicasHit(ctx: GateContext, list: readonly Autoscaler[]): Hit[] {
  const { namespace, kind, name } = list[0]!.target;
  const target = objectAt(ctx, namespace, kind, name);
  const [scaler] = horizontalOf(list);
  const replicas = target ? asObject(target.object.spec).replicas : undefined;
  if (!target || !scaler || replicas === undefined) return [];
  return [
    {
      manifest: target,
      path: ['spec', 'replicas'],
      message: `is scaled by ${describe(idOf(scaler.manifest.object))} but sets spec.replicas (${shown(replicas)}); every apply resets what the autoscaler chose`,
    },
  ];
}

export const autoscaledReplicasRule: GateRule = {
  id: 'ref.autoscaled-replicas',
  severity: 'error',
  description: 'an autoscaled workload carries no spec.replicas',
  fix: 'remove spec.replicas and let the autoscaler own the replica count',
  check: (ctx) => [...autoscalersByTarget(ctx).values()].flatMap((list) => replicasHit(ctx, list)),
};

function drainHit(ctx: GateContext, m: Manifest, t: PodTemplate): Hit[] {
  const spec = asObject(m.object.spec);
  const key = `${namespaceOf(m.object)}/${t.owner.kind}/${t.owner.name}`;
  const scaler = (autoscalersByTarget(ctx).get(key) ?? []).find((a) => a.horizontal);
  const replicas = asObject(t.manifest.object.spec).replicas;
  // The floor: the autoscaler's minimum, else the fixed replica count (default 1).
  const floor = scaler ? scaler.min : typeof replicas === 'number' ? replicas : 1;
  const pods = Math.max(floor, 1);
  const floorWhat = scaler
    ? `the autoscaler floor of ${t.owner.kind} ${t.owner.name} is ${floor}${floor === 0 ? ' (judged at 1 running pod)' : ''}`
    : `${t.owner.kind} ${t.owner.name} runs ${pods} replica(s)`;
  const field = spec.minAvailable !== undefined ? 'minAvailable' : 'maxUnavailable';
  if (spec[field] === undefined) return [];
  const allowed = allowedDisruptions(field, spec[field], pods);
  if (allowed === undefined || allowed > 0) return [];
  const path: PathSegment[] = ['spec', field];
  return [
    {
      manifest: m,
      path,
      message: `${field} ${shown(spec[field])} with ${floorWhat}: ${Math.max(allowed, 0)} disruptions allowed, so every node drain blocks`,
      fix:
        field === 'minAvailable'
          ? `set minAvailable below ${pods} (e.g. ${Math.max(pods - 1, 0)}) or raise the floor`
          : 'set maxUnavailable to at least 1',
    },
  ];
}

export const pdbBlocksDrainRule: GateRule = {
  id: 'ref.pdb-blocks-drain',
  severity: 'error',
  description: 'a PDB leaves at least one disruption at the autoscaler floor',
  fix: 'allow at least one disruption at the autoscaler floor',
  check: (ctx) =>
    ofKind(ctx, 'PodDisruptionBudget').flatMap((m) =>
      podTemplatesIn(ctx, namespaceOf(m.object))
        .filter((t) => selectorMatches(asObject(m.object.spec).selector ?? {}, t.labels))
        .flatMap((t) => drainHit(ctx, m, t)),
    ),
};
