/**
 * The cross-layer family's plan of one run, computed once: where each pod template can
 * land, which pools something uses, and what each template asks for at its maximum.
 */
import type { EnvironmentSpec, NodePool } from '../../config';
import { metadataOf } from '../manifests';
import { perRun } from '../rule';
import type { GateContext, Manifest } from '../types';
import type { PodTemplate } from '../workloads';
import { autoscalers } from './autoscalers';
import { demandOf, poolMismatch, schedulingOf, type Demand, type Scheduling } from './cross-layer';
import { ofKind } from './object-index';
import { podTemplates } from './reference-index';

export interface CrossLayerPlan {
  readonly spec: EnvironmentSpec;
  readonly pools: readonly NodePool[];
  /** Templates with what they need of a node and the pools they can land on. */
  readonly placements: readonly { template: PodTemplate; scheduling: Scheduling; fits: NodePool[] }[];
  /** Pools something lands on (the add-on pool counts as used). */
  readonly used: ReadonlySet<string>;
  readonly demands: readonly Demand[];
}

function planOf(ctx: GateContext, spec: EnvironmentSpec): CrossLayerPlan {
  const runtimeClasses = new Map<string, Manifest>();
  for (const m of ofKind(ctx, 'RuntimeClass')) runtimeClasses.set(metadataOf(m.object).name, m);
  const scalers = autoscalers(ctx);
  const pools = [...spec.nodePools];
  const used = new Set<string>([spec.placement.system.name]);
  const placements: CrossLayerPlan['placements'][number][] = [];
  const demands: Demand[] = [];
  for (const template of podTemplates(ctx)) {
    const s = schedulingOf(template, runtimeClasses);
    const fits = pools.filter((p) => poolMismatch(s, p) === undefined);
    fits.forEach((p) => used.add(p.name));
    placements.push({ template, scheduling: s, fits });
    demands.push(demandOf(template, spec, scalers, fits, s.overhead));
  }
  return { spec, pools, placements, used, demands };
}

/** The plan of the run; undefined without the environment (the family is skipped then). */
export const crossLayerPlan = perRun((ctx) => (ctx.spec ? planOf(ctx, ctx.spec) : undefined));

/**
 * Findings about the environment rather than one object (an unused pool, a
 * namespace the manifests lack) are reported against the stack file.
 */
export function environmentAnchor(ctx: GateContext): Manifest {
  const stack = ctx.spec?.stack ?? 'environment';
  return {
    object: { apiVersion: 'agent-platform.io/v1', kind: 'Environment', metadata: { name: stack } },
    file: `Pulumi.${stack}.yaml`,
    document: 0,
  };
}
