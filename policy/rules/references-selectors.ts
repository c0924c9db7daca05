/** `ref.selector`: Service, PDB, NetworkPolicy and monitor selectors select something in the set. */
import { asArray, asObject, isObject, metadataNamespace, metadataOf, namespaceOf } from '../manifests';
import type { GateRule, Hit } from '../rule';
import type { GateContext, Manifest, PathSegment } from '../types';
import { isEmptySelector, selectorMatches } from '../workloads';
import { ofKind, ofKinds } from './object-index';
import { podTemplatesIn } from './reference-index';

const RULE = 'ref.selector';

function selectsPod(ctx: GateContext, namespace: string, selector: unknown): boolean {
  return podTemplatesIn(ctx, namespace).some((t) => selectorMatches(selector, t.labels));
}

/** A finding when `selector` matches no pod template in the object's namespace. */
function podSelectorHit(ctx: GateContext, m: Manifest, path: PathSegment[], selector: unknown, what: string): Hit[] {
  if (selectsPod(ctx, namespaceOf(m.object), selector)) return [];
  const ns = metadataNamespace(m.object);
  return [
    {
      manifest: m,
      path,
      message: `${what} ${JSON.stringify(selector)} matches no pod template in namespace ${ns ?? '(none)'}`,
    },
  ];
}

function networkPolicyPeers(ctx: GateContext, m: Manifest, spec: Record<string, unknown>): Hit[] {
  const out: Hit[] = [];
  const ns = metadataNamespace(m.object);
  for (const direction of ['ingress', 'egress'] as const) {
    const peersKey = direction === 'ingress' ? 'from' : 'to';
    asArray(spec[direction]).forEach((rule, i) => {
      asArray(asObject(rule)[peersKey]).forEach((peer, j) => {
        const p = asObject(peer);
        if (!isObject(p.podSelector) || 'namespaceSelector' in p || isEmptySelector(p.podSelector)) return;
        if (selectsPod(ctx, namespaceOf(m.object), p.podSelector)) return;
        out.push({
          manifest: m,
          path: ['spec', direction, i, peersKey, j, 'podSelector'],
          message: `peer podSelector ${JSON.stringify(p.podSelector)} matches no pod template in namespace ${ns ?? '(none)'}`,
          fix: 'align the selector with the pod labels, or add a namespaceSelector for pods in another namespace',
        });
      });
    });
  }
  return out;
}

function networkPolicyHits(ctx: GateContext, m: Manifest, spec: Record<string, unknown>): Hit[] {
  const own = isEmptySelector(spec.podSelector)
    ? []
    : podSelectorHit(ctx, m, ['spec', 'podSelector'], spec.podSelector, 'podSelector');
  return [...own, ...networkPolicyPeers(ctx, m, spec)];
}

function monitorHits(ctx: GateContext, m: Manifest, spec: Record<string, unknown>): Hit[] {
  const ns = metadataNamespace(m.object);
  const nsSel = asObject(spec.namespaceSelector);
  const names = asArray(nsSel.matchNames);
  if (nsSel.any === true || (names.length > 0 && !names.includes(ns))) return [];
  if (m.object.kind === 'PodMonitor') {
    return podSelectorHit(ctx, m, ['spec', 'selector'], spec.selector ?? {}, 'the PodMonitor selector');
  }
  const services = ofKind(ctx, 'Service').filter((s) => namespaceOf(s.object) === namespaceOf(m.object));
  if (services.some((s) => selectorMatches(spec.selector ?? {}, metadataOf(s.object).labels))) return [];
  return [
    {
      manifest: m,
      path: ['spec', 'selector'],
      message: `the ServiceMonitor selector ${JSON.stringify(spec.selector ?? {})} matches no Service in namespace ${ns ?? '(none)'}`,
      fix: "align the selector with the Service's labels",
    },
  ];
}

const SELECTING_KINDS = ['Service', 'PodDisruptionBudget', 'NetworkPolicy', 'PodMonitor', 'ServiceMonitor'];

function selectorHits(ctx: GateContext, m: Manifest): Hit[] {
  const spec = asObject(m.object.spec);
  switch (m.object.kind) {
    case 'Service':
      return isObject(spec.selector) && Object.keys(spec.selector).length > 0
        ? podSelectorHit(ctx, m, ['spec', 'selector'], spec.selector, 'the Service selector')
        : [];
    case 'PodDisruptionBudget':
      return podSelectorHit(ctx, m, ['spec', 'selector'], spec.selector ?? {}, 'the PDB selector');
    case 'NetworkPolicy':
      return networkPolicyHits(ctx, m, spec);
    case 'PodMonitor':
    case 'ServiceMonitor':
      return monitorHits(ctx, m, spec);
    default:
      return [];
  }
}

export const selectorRule: GateRule = {
  id: RULE,
  severity: 'error',
  description: 'Service, PDB, NetworkPolicy and monitor selectors select something',
  fix: 'align the selector with the labels of the pod template it is meant for',
  check: (ctx) => ofKinds(ctx, SELECTING_KINDS).flatMap((m) => selectorHits(ctx, m)),
};
