/**
 * Rule family rbac: what Roles and bindings grant. Wildcards grant every present and
 * future permission; `escalate`, `bind` and `impersonate` let a subject give itself
 * any permission; `pods/exec` and `pods/attach` run commands in other pods (and read
 * what they can read); `list`/`watch` on Secrets return every Secret's data in full
 * (kubernetes.io/docs/concepts/security/rbac-good-practices); a binding to
 * cluster-admin or to a `system:` group hands out the cluster or grants to everyone
 * the API server authenticates (system:authenticated) or not (system:unauthenticated).
 */
import { asArray, asObject, asString } from '../manifests';
import { ruleFamily, type GateRule, type Hit } from '../rule';
import type { GateContext, Manifest } from '../types';
import { ofKinds } from './object-index';
import { shown } from '../values';

const ROLE_KINDS = ['Role', 'ClusterRole'];
const BINDING_KINDS = ['RoleBinding', 'ClusterRoleBinding'];
const ESCALATING_VERBS = ['escalate', 'bind', 'impersonate'];
const EXEC_RESOURCES = ['pods/exec', 'pods/attach'];
const SECRET_READ_VERBS = ['list', 'watch', '*'];

interface PolicyRule {
  readonly manifest: Manifest;
  readonly index: number;
  readonly verbs: string[];
  readonly resources: string[];
  readonly apiGroups: string[];
}

const strings = (value: unknown) => asArray(value).filter((v): v is string => typeof v === 'string');

function policyRules(ctx: GateContext): PolicyRule[] {
  return ofKinds(ctx, ROLE_KINDS).flatMap((manifest) =>
    asArray(manifest.object.rules).map((rule, index) => {
      const r = asObject(rule);
      return {
        manifest,
        index,
        verbs: strings(r.verbs),
        resources: strings(r.resources),
        apiGroups: strings(r.apiGroups),
      };
    }),
  );
}

const grants = (r: PolicyRule) =>
  `verbs ${JSON.stringify(r.verbs)} on ${JSON.stringify(r.resources)} in apiGroups ${JSON.stringify(r.apiGroups)}`;
const inCoreGroup = (r: PolicyRule) => r.apiGroups.includes('') || r.apiGroups.includes('*');

function wildcardHits(r: PolicyRule): Hit[] {
  const fields = (['verbs', 'resources', 'apiGroups'] as const).filter((f) => r[f].includes('*'));
  return fields.map((field) => ({
    manifest: r.manifest,
    path: ['rules', r.index, field],
    message: `rules[${r.index}] grants ${grants(r)}: "*" in ${field} grants every present and future ${field === 'verbs' ? 'verb' : field === 'resources' ? 'resource' : 'API group'}`,
  }));
}

function escalationHits(r: PolicyRule): Hit[] {
  const verbs = r.verbs.filter((v) => ESCALATING_VERBS.includes(v));
  if (verbs.length === 0) return [];
  return [
    {
      manifest: r.manifest,
      path: ['rules', r.index, 'verbs'],
      message: `rules[${r.index}] grants ${verbs.join(', ')} on ${JSON.stringify(r.resources)}: the subject can grant itself permissions it does not hold or act as another user`,
    },
  ];
}

function execHits(r: PolicyRule): Hit[] {
  if (!inCoreGroup(r)) return [];
  const resources = r.resources.filter((res) => EXEC_RESOURCES.includes(res) || res === 'pods/*');
  if (resources.length === 0) return [];
  return [
    {
      manifest: r.manifest,
      path: ['rules', r.index, 'resources'],
      message: `rules[${r.index}] grants ${grants(r)}: ${resources.join(', ')} runs commands inside other pods, with their service account and secrets`,
    },
  ];
}

function secretReadHits(r: PolicyRule): Hit[] {
  if (!inCoreGroup(r) || !(r.resources.includes('secrets') || r.resources.includes('*'))) return [];
  const verbs = r.verbs.filter((v) => SECRET_READ_VERBS.includes(v));
  if (verbs.length === 0) return [];
  return [
    {
      manifest: r.manifest,
      path: ['rules', r.index, 'verbs'],
      message: `rules[${r.index}] grants ${verbs.join(', ')} on secrets: list and watch return every Secret of the namespace with its data`,
    },
  ];
}

function bindingHits(m: Manifest): Hit[] {
  const out: Hit[] = [];
  const role = asObject(m.object.roleRef);
  if (role.kind === 'ClusterRole' && role.name === 'cluster-admin') {
    out.push({
      manifest: m,
      path: ['roleRef', 'name'],
      message: `binds cluster-admin${m.object.kind === 'RoleBinding' ? ' (all of this namespace, RBAC included)' : ': every permission on the whole cluster'}`,
      fix: 'bind a role that lists what the subjects need (admin, edit or view in one namespace at most)',
    });
  }
  asArray(m.object.subjects).forEach((subject, i) => {
    const s = asObject(subject);
    const name = asString(s.name) ?? '';
    const systemGroup = s.kind === 'Group' && name.startsWith('system:');
    const anonymous = s.kind === 'User' && name === 'system:anonymous';
    if (!systemGroup && !anonymous) return;
    out.push({
      manifest: m,
      path: ['subjects', i, 'name'],
      message: `binds ${shown(role.kind)} ${shown(role.name)} to ${shown(s.kind)} ${name}: the API server puts ${name === 'system:unauthenticated' || anonymous ? 'every anonymous request' : 'users, nodes or service accounts it does not name one by one'} in it`,
      fix: 'bind named groups, users or service accounts instead',
    });
  });
  return out;
}

export const wildcardRule: GateRule = {
  id: 'rbac.wildcard',
  severity: 'error',
  description: 'no "*" in a rule\'s verbs, resources or apiGroups',
  fix: 'list the verbs, resources and API groups the subject needs',
  check: (ctx) => policyRules(ctx).flatMap(wildcardHits),
};

export const escalationRule: GateRule = {
  id: 'rbac.escalation',
  severity: 'error',
  description: 'no escalate, bind or impersonate',
  fix: 'remove the verb; bind the roles the subject needs directly',
  check: (ctx) => policyRules(ctx).flatMap(escalationHits),
};

export const execRule: GateRule = {
  id: 'rbac.pod-exec',
  severity: 'error',
  description: 'no pods/exec or pods/attach',
  fix: 'remove pods/exec and pods/attach; debug with ephemeral containers under a break-glass role bound on demand',
  check: (ctx) => policyRules(ctx).flatMap(execHits),
};

export const secretReadRule: GateRule = {
  id: 'rbac.secrets-list',
  severity: 'error',
  description: 'no list or watch on Secrets',
  fix: 'grant get on the named Secrets (resourceNames), or read them through a volume',
  check: (ctx) => policyRules(ctx).flatMap(secretReadHits),
};

export const bindingRule: GateRule = {
  id: 'rbac.binding',
  severity: 'error',
  description: 'no binding to cluster-admin, to a system: group or to system:anonymous',
  fix: 'bind a narrower role to named subjects',
  check: (ctx) => ofKinds(ctx, BINDING_KINDS).flatMap(bindingHits),
};

export const rbacRules = ruleFamily('rbac', [wildcardRule, escalationRule, execRule, secretReadRule, bindingRule]);
