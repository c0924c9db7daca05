/**
 * Where the content rules look: the ingress namespace (the only place traffic from
 * outside may enter), agent pod templates (untrusted code), meshed namespaces.
 */
import { AGENT_POD_LABEL, AGENT_TIER_LABEL } from '../../config';
import { perRun } from '../rule';
import type { GateContext } from '../types';
import type { PodTemplate } from '../workloads';
import { meshedNamespaces } from './pss-namespaces';
import { podTemplates } from './reference-index';

/** The environment's ingress namespace; without the model none is known (every namespace is "outside"). */
export function ingressNamespace(ctx: GateContext): string | undefined {
  return ctx.spec?.namespaces.find((n) => n.key === 'ingress')?.name;
}

/** What the message says about where exposure is allowed. */
export function ingressNamespaceText(ctx: GateContext): string {
  const ns = ingressNamespace(ctx);
  return ns ? `only the ingress namespace ${ns} may` : 'only the ingress namespace may (run with --stack to name it)';
}

/** Agent session and warm-pool pods: labelled as agents or with a tier. */
export function isAgentTemplate(t: PodTemplate): boolean {
  return t.labels[AGENT_POD_LABEL] === 'true' || t.labels[AGENT_TIER_LABEL] !== undefined;
}

export const agentTemplates = perRun((ctx) => podTemplates(ctx).filter(isAgentTemplate));

/** Namespaces whose pods are in the mesh: labelled for injection in the set, or meshed in the model. */
export const meshNamespaces = perRun((ctx) => {
  const modelled = (ctx.spec?.namespaces ?? []).filter((n) => n.mesh).map((n) => n.name);
  return new Set([...meshedNamespaces(ctx), ...modelled]);
});
