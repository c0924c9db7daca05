/**
 * What the reference rules look things up in: every object of the set by namespace,
 * kind and name (object-index.ts); the pod templates, also by namespace; the objects
 * declared external on the referencing object; and the Secrets the environment model
 * says exist out of band.
 */
import { effectiveNamespace, metadataOf } from '../manifests';
import { perRun } from '../rule';
import type { GateContext, Manifest } from '../types';
import { allPodTemplates, type PodTemplate } from '../workloads';
import { objectAt } from './object-index';

/** Annotation on a referencing object: `Secret/name, ConfigMap/name` that exist outside these manifests. */
export const EXTERNAL_ANNOTATION = 'policy.agent-platform.io/external';

/** Every pod template of the set, found once per run. */
export const podTemplates = perRun((ctx) => allPodTemplates(ctx.manifests));

/** The pod templates by the namespace their pods land in (as the API server places them), in set order. */
const templatesByNamespace = perRun((ctx) => {
  const out = new Map<string, PodTemplate[]>();
  for (const t of podTemplates(ctx)) {
    const ns = effectiveNamespace(t.namespace);
    const list = out.get(ns);
    if (list) list.push(t);
    else out.set(ns, [t]);
  }
  return out;
});

/** The pod templates whose pods land in `namespace`, in set order. */
export function podTemplatesIn(ctx: GateContext, namespace: string): readonly PodTemplate[] {
  return templatesByNamespace(ctx).get(namespace) ?? [];
}

/** The object is in the set. */
export function exists(ctx: GateContext, namespace: string | undefined, kind: string, name: string): boolean {
  return objectAt(ctx, namespace, kind, name) !== undefined;
}

/** Secrets the environment model says exist out of band (created by an operator or Vault, never in dist/). */
export function externalSecretsOf(ctx: GateContext): Set<string> {
  const out = new Set<string>();
  const spec = ctx.spec;
  if (!spec) return out;
  const ns = (key: string) => spec.namespaces.find((n) => n.key === key)?.name ?? key;
  const add = (namespace: string, name: string) => out.add(`${ns(namespace)}/Secret/${name}`);
  for (const s of spec.controlPlaneApi.secrets) add('control-plane', s.name);
  add('ingress', spec.controlPlaneApi.tlsSecretName);
  add('control-plane', spec.controlPlaneApi.tlsSecretName);
  if (spec.agents?.warmPool) add('agents', spec.agents.warmPool.database.secretName);
  for (const workload of [...spec.services, ...spec.statefulServices, ...spec.jobs]) {
    for (const s of workload.secrets) add(workload.namespace, s.name);
  }
  for (const svc of spec.services) {
    for (const list of svc.keda?.redisLists ?? []) {
      if (list.passwordSecret) add(svc.namespace, list.passwordSecret.name);
    }
  }
  return out;
}

const modelExternals = perRun(externalSecretsOf);

/** `Kind/name` entries of the object's external annotation. */
function declaredExternal(m: Manifest): Set<string> {
  const value = metadataOf(m.object).annotations[EXTERNAL_ANNOTATION] ?? '';
  return new Set(
    value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

/** The referenced object is declared external on `m`, or the model says it exists out of band. */
export function isExternal(
  ctx: GateContext,
  m: Manifest,
  namespace: string | undefined,
  kind: string,
  name: string,
): boolean {
  return declaredExternal(m).has(`${kind}/${name}`) || modelExternals(ctx).has(`${namespace ?? ''}/${kind}/${name}`);
}

/** A reference resolves: the object is in the set or declared external. */
export function resolves(ctx: GateContext, m: Manifest, namespace: string | undefined, kind: string, name: string) {
  return exists(ctx, namespace, kind, name) || isExternal(ctx, m, namespace, kind, name);
}

export function missingReferenceFix(kind: string, name: string): string {
  return `create ${kind} ${name} in the manifests, correct the name, or declare it external with the annotation ${EXTERNAL_ANNOTATION}: "${kind}/${name}"`;
}
