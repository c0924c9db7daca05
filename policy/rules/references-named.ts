/**
 * The reference rules about names: ServiceAccounts, PriorityClasses, RuntimeClasses,
 * roles, ConfigMaps, Secrets and TriggerAuthentications that objects name exist in
 * the set or are declared external.
 */
import { asArray, asObject, asString, metadataNamespace } from '../manifests';
import type { GateRule, Hit } from '../rule';
import type { GateContext, Manifest, PathSegment } from '../types';
import type { PodTemplate } from '../workloads';
import { ofKinds } from './object-index';
import { missingReferenceFix, podTemplates, resolves } from './reference-index';

const BUILTIN_PRIORITY_CLASSES = ['system-cluster-critical', 'system-node-critical'];
const BUILTIN_CLUSTER_ROLES = ['cluster-admin', 'admin', 'edit', 'view'];
const BINDING_KINDS = ['RoleBinding', 'ClusterRoleBinding'];

/** A finding about a reference to `kind/name` that does not resolve. */
function missing(manifest: Manifest, path: PathSegment[], message: string, kind: string, name: string): Hit {
  return { manifest, path, message, fix: missingReferenceFix(kind, name) };
}

function templateServiceAccount(ctx: GateContext, t: PodTemplate): Hit[] {
  const sa = asString(t.spec.serviceAccountName) ?? asString(t.spec.serviceAccount);
  if (!sa || sa === 'default' || resolves(ctx, t.manifest, t.namespace, 'ServiceAccount', sa)) return [];
  const message = `ServiceAccount "${sa}" does not exist in namespace ${t.namespace ?? '(none)'}`;
  return [missing(t.manifest, [...t.specPath, 'serviceAccountName'], message, 'ServiceAccount', sa)];
}

function bindingSubjects(ctx: GateContext, m: Manifest): Hit[] {
  if (m.object.kind !== 'RoleBinding' && m.object.kind !== 'ClusterRoleBinding') return [];
  const ns = metadataNamespace(m.object);
  return asArray(m.object.subjects).flatMap((subject, i) => {
    const s = asObject(subject);
    if (s.kind !== 'ServiceAccount') return [];
    const sNs = asString(s.namespace) ?? ns;
    const name = asString(s.name) ?? '';
    if (resolves(ctx, m, sNs, 'ServiceAccount', name)) return [];
    const message = `ServiceAccount ${sNs ?? '(none)'}/${name} does not exist`;
    return [missing(m, ['subjects', i, 'name'], message, 'ServiceAccount', name)];
  });
}

export const serviceAccountRule: GateRule = {
  id: 'ref.service-account',
  severity: 'error',
  description: 'referenced ServiceAccounts exist',
  fix: missingReferenceFix('ServiceAccount', '<name>'),
  check: (ctx) => [
    ...podTemplates(ctx).flatMap((t) => templateServiceAccount(ctx, t)),
    ...ofKinds(ctx, BINDING_KINDS).flatMap((m) => bindingSubjects(ctx, m)),
  ],
};

/** A cluster-scoped class a pod template names (PriorityClass, RuntimeClass) exists. */
function classRule(
  id: string,
  kind: 'PriorityClass' | 'RuntimeClass',
  field: 'priorityClassName' | 'runtimeClassName',
  builtin: readonly string[],
): GateRule {
  return {
    id,
    severity: 'error',
    description: `referenced ${kind}es exist`,
    fix: missingReferenceFix(kind, '<name>'),
    check: (ctx) =>
      podTemplates(ctx).flatMap((t) => {
        const name = asString(t.spec[field]);
        if (!name || builtin.includes(name) || resolves(ctx, t.manifest, undefined, kind, name)) return [];
        const message = `${kind} "${name}" does not exist; pods are rejected at admission`;
        return [missing(t.manifest, [...t.specPath, field], message, kind, name)];
      }),
  };
}

export const priorityClassRule = classRule(
  'ref.priority-class',
  'PriorityClass',
  'priorityClassName',
  BUILTIN_PRIORITY_CLASSES,
);
export const runtimeClassRule = classRule('ref.runtime-class', 'RuntimeClass', 'runtimeClassName', []);

function roleRefHit(ctx: GateContext, m: Manifest): Hit[] {
  if (m.object.kind !== 'RoleBinding' && m.object.kind !== 'ClusterRoleBinding') return [];
  const ns = metadataNamespace(m.object);
  const role = asObject(m.object.roleRef);
  const kind = asString(role.kind) ?? '';
  const name = asString(role.name) ?? '';
  const builtin = kind === 'ClusterRole' && (BUILTIN_CLUSTER_ROLES.includes(name) || name.startsWith('system:'));
  if (builtin || resolves(ctx, m, kind === 'Role' ? ns : undefined, kind, name)) return [];
  return [missing(m, ['roleRef', 'name'], `${kind} "${name}" does not exist`, kind, name)];
}

export const rbacRule: GateRule = {
  id: 'ref.rbac',
  severity: 'error',
  description: 'RoleBindings name roles that exist',
  fix: missingReferenceFix('Role', '<name>'),
  check: (ctx) => ofKinds(ctx, BINDING_KINDS).flatMap((m) => roleRefHit(ctx, m)),
};
