/**
 * Cross-layer rules about placement and Pod Security: every pod template can land on
 * a pool, every tainted pool is used, and each namespace has the model's PSS level and
 * admits what runs in it.
 */
import { metadataOf } from '../manifests';
import type { GateRule, Hit } from '../rule';
import type { GateContext, Manifest } from '../types';
import { poolMismatch } from './cross-layer';
import { crossLayerPlan, environmentAnchor } from './cross-layer-plan';
import { checkPodTemplate } from './pod-security';
import { ofKind } from './object-index';
import { podTemplatesIn } from './reference-index';

export const schedulingRule: GateRule = {
  id: 'cross.scheduling',
  severity: 'error',
  description: 'every pod template can land on a node pool',
  fix: 'use schedulingFor(pool) from config/contract.ts for nodeSelector and tolerations, or add a matching pool',
  check: (ctx) => {
    const plan = crossLayerPlan(ctx);
    if (!plan) return [];
    return plan.placements
      .filter((p) => p.fits.length === 0)
      .map(({ template, scheduling }) => ({
        manifest: template.manifest,
        path: [...template.specPath, 'nodeSelector'],
        message: `pods can land on no node pool of ${plan.spec.stack}: ${plan.pools.map((p) => `${p.name}: ${poolMismatch(scheduling, p)}`).join('; ')}`,
      }));
  },
};

export const taintedPoolUnusedRule: GateRule = {
  id: 'cross.tainted-pool-unused',
  severity: 'error',
  description: 'every tainted pool is used by something',
  fix: 'schedule the workloads meant for the pool there (schedulingFor(pool)), or remove the pool from the stack file',
  check: (ctx) => {
    const plan = crossLayerPlan(ctx);
    if (!plan) return [];
    return plan.pools.flatMap((pool) => {
      const hard = pool.taints.filter((t) => t.effect !== 'PreferNoSchedule');
      if (hard.length === 0 || plan.used.has(pool.name)) return [];
      const taints = hard.map((t) => `${t.key}${t.value === undefined ? '' : `=${t.value}`}:${t.effect}`).join(', ');
      const cost =
        pool.instance.monthlyPrice !== undefined
          ? `, ${pool.min} × ${pool.instance.monthlyPrice} ${pool.instance.currency}/month idle`
          : '';
      return [
        {
          manifest: environmentAnchor(ctx),
          path: ['nodePools', plan.spec.nodePools.indexOf(pool)],
          message: `node pool "${pool.name}" is tainted (${taints}) but no pod template in the manifests tolerates it and selects it${cost}`,
          fix: `schedule the workloads meant for "${pool.name}" there (schedulingFor(pool)), or remove the pool from the stack file`,
        },
      ];
    });
  },
};

/** Namespace objects by name (the first of each name), looked up once per namespace of the model. */
function namespaceObjects(ctx: GateContext): Map<string, Manifest> {
  const out = new Map<string, Manifest>();
  for (const x of ofKind(ctx, 'Namespace')) {
    const name = metadataOf(x.object).name;
    if (!out.has(name)) out.set(name, x);
  }
  return out;
}

function namespaceLevelHits(ctx: GateContext): Hit[] {
  const spec = ctx.spec;
  if (!spec) return [];
  const objects = namespaceObjects(ctx);
  const out: Hit[] = [];
  for (const ns of spec.namespaces) {
    const m = objects.get(ns.name);
    if (!m) {
      out.push({
        manifest: environmentAnchor(ctx),
        path: ['namespaces', ns.key],
        message: `the environment model declares namespace ${ns.name} (${ns.podSecurity}), but the manifests do not create it`,
        fix: 'render every namespace of spec.namespaces (charts-src/charts/namespaces.ts)',
      });
      continue;
    }
    const enforce = metadataOf(m.object).labels['pod-security.kubernetes.io/enforce'];
    if (enforce === ns.podSecurity) continue;
    out.push({
      manifest: m,
      path: ['metadata', 'labels', 'pod-security.kubernetes.io/enforce'],
      message: `enforces ${enforce ?? 'nothing'}, but the environment model sets ${ns.name} to ${ns.podSecurity}`,
      fix: `label the namespace pod-security.kubernetes.io/enforce: ${ns.podSecurity}`,
    });
    for (const t of podTemplatesIn(ctx, ns.name).filter((x) => x.namespace === ns.name)) {
      checkPodTemplate(t, ns.podSecurity, ctx.kubernetesVersion, (v) =>
        out.push({
          manifest: t.manifest,
          path: v.path,
          message: `${v.message} (${v.rule}: the model's level for ${ns.name} is ${ns.podSecurity})`,
          fix: v.fix,
          ...(v.severity ? { severity: v.severity } : {}),
        }),
      );
    }
  }
  return out;
}

export const namespaceLevelRule: GateRule = {
  id: 'cross.namespace-level',
  severity: 'error',
  description: "each namespace has the model's PSS level and admits what runs in it",
  fix: "label the namespace with the model's level",
  check: namespaceLevelHits,
};
