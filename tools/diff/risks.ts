/**
 * Risk flags: the changes a reviewer must not miss in a long diff. Each rule looks
 * at one object's before/after (either may be absent) and its field changes.
 */
import { displayName, isObject, type Json, type JsonObject, type ManifestObject } from './objects';
import { deepEqual, formatPath, keysOf, type FieldChange } from './structural';
import { scrub } from './redact';
import { WAIVER_PREFIX } from '../../policy/runner';

export type RiskCategory =
  | 'version-changed'
  | 'stateful-deleted'
  | 'pss-lowered'
  | 'network-policy-loosened'
  | 'rbac-widened'
  | 'capacity-changed'
  | 'image-changed'
  | 'waiver-added';

export const RISK_TITLES: Record<RiskCategory, string> = {
  'version-changed': 'Kubernetes or node runtime version changed',
  'stateful-deleted': 'Stateful object or namespace deleted',
  'pss-lowered': 'Pod Security level lowered',
  'network-policy-loosened': 'NetworkPolicy loosened',
  'rbac-widened': 'RBAC widened',
  'capacity-changed': 'Resources or replica bounds changed',
  'image-changed': 'Image changed',
  'waiver-added': 'Policy waiver added',
};

export interface Risk {
  readonly category: RiskCategory;
  /** `Deployment lobstack-control-plane/api`. */
  readonly object: string;
  readonly message: string;
}

export interface RiskContext {
  /** Namespaces that existed at the base (new policies in new namespaces are not "loosening"). */
  readonly baseNamespaces: ReadonlySet<string>;
}

const STATEFUL_KINDS = new Set(['PersistentVolumeClaim', 'PersistentVolume', 'StatefulSet', 'Namespace']);
const PSS_ENFORCE = 'pod-security.kubernetes.io/enforce';
const PSS_ORDER = ['privileged', 'baseline', 'restricted'] as const;
const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

export const show = (value: Json | undefined): string => {
  if (value === undefined) return '(unset)';
  const text = typeof value === 'string' ? value : JSON.stringify(scrub(value));
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
};

const list = (value: Json | undefined): Json[] => (Array.isArray(value) ? value : []);
const obj = (value: Json | undefined): JsonObject => (isObject(value) ? value : {});

// ---------------------------------------------------------------- stateful / namespaces

function statefulDeleted(before: ManifestObject | undefined, after: ManifestObject | undefined): string[] {
  if (!before || after || !STATEFUL_KINDS.has(before.kind)) return [];
  return before.kind === 'Namespace'
    ? ['namespace deleted: every object in it (workloads, volumes, secrets) is deleted with it']
    : [`${before.kind} deleted: its data may be lost`];
}

// ---------------------------------------------------------------- Pod Security

function pssLevel(object: ManifestObject | undefined): string {
  const labels = obj(obj(object?.body.metadata).labels);
  const level = labels[PSS_ENFORCE];
  return typeof level === 'string' ? level : 'privileged';
}

function pssLowered(before: ManifestObject | undefined, after: ManifestObject | undefined): string[] {
  if (!after || after.kind !== 'Namespace') return [];
  const now = pssLevel(after);
  const rank = (level: string) => PSS_ORDER.indexOf(level as (typeof PSS_ORDER)[number]);
  if (!before) {
    return now === 'privileged'
      ? [
          `new namespace enforces "privileged" (no restriction)${obj(obj(after.body.metadata).labels)[PSS_ENFORCE] === undefined ? `: no ${PSS_ENFORCE} label` : ''}`,
        ]
      : [];
  }
  const was = pssLevel(before);
  if (rank(now) < rank(was)) return [`${PSS_ENFORCE}: "${was}" → "${now}"`];
  return [];
}

// ---------------------------------------------------------------- NetworkPolicy

function policyTypes(spec: JsonObject): string[] {
  const explicit = list(spec.policyTypes).filter((t): t is string => typeof t === 'string');
  if (explicit.length > 0) return explicit;
  return ['Ingress', ...('egress' in spec ? ['Egress'] : [])];
}

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

function selectorText(selector: Json | undefined, what: 'pods' | 'namespaces'): string {
  const s = obj(selector);
  const labels = Object.entries(obj(s.matchLabels)).map(([k, v]) => `${k}=${String(v)}`);
  const expressions = list(s.matchExpressions).map((e) => {
    const x = obj(e);
    return `${String(x.key)} ${String(x.operator)}${x.values ? ` (${list(x.values).map(String).join(', ')})` : ''}`;
  });
  const all = [...labels, ...expressions];
  if (all.length === 0) return `all ${what}`;
  if (
    what === 'namespaces' &&
    labels.length === 1 &&
    expressions.length === 0 &&
    NAMESPACE_NAME_LABEL in obj(s.matchLabels)
  ) {
    return `namespace ${String(obj(s.matchLabels)[NAMESPACE_NAME_LABEL])}`;
  }
  return `${what} ${all.join(', ')}`;
}

/** `namespace kube-system, pods k8s-app=kube-dns`, `0.0.0.0/0 except 10.0.0.0/8`. */
export function peerText(peer: Json): string {
  const p = obj(peer);
  if (p.ipBlock !== undefined) {
    const block = obj(p.ipBlock);
    const except = list(block.except).map(String);
    return `${String(block.cidr)}${except.length ? ` except ${except.join(', ')}` : ''}`;
  }
  const parts: string[] = [];
  if (p.namespaceSelector !== undefined) parts.push(selectorText(p.namespaceSelector, 'namespaces'));
  if (p.podSelector !== undefined) parts.push(selectorText(p.podSelector, 'pods'));
  if (p.namespaceSelector === undefined && p.podSelector !== undefined) parts.unshift('own namespace');
  return parts.join(', ') || show(peer);
}

export function portText(port: Json): string {
  const p = obj(port);
  const range =
    p.endPort !== undefined ? `${String(p.port)}-${String(p.endPort)}` : p.port === undefined ? 'all' : String(p.port);
  return `${range}/${typeof p.protocol === 'string' ? p.protocol : 'TCP'}`;
}

function ruleSummary(rule: JsonObject, peersKey: 'from' | 'to'): string {
  const peers = list(rule[peersKey]);
  const ports = list(rule.ports);
  const who = peers.length === 0 ? 'all peers' : peers.map((p) => `[${peerText(p)}]`).join(' or ');
  return `${peersKey} ${who} on ${ports.length === 0 ? 'all ports' : ports.map(portText).join(', ')}`;
}

function ruleWidenings(before: JsonObject, after: JsonObject, peersKey: 'from' | 'to'): string[] {
  const reasons: string[] = [];
  const beforePeers = list(before[peersKey]);
  const afterPeers = list(after[peersKey]);
  if (beforePeers.length > 0 && afterPeers.length === 0) reasons.push('now allows all peers');
  else if (beforePeers.length > 0) {
    for (const peer of afterPeers) {
      if (!beforePeers.some((p) => deepEqual(p, peer))) reasons.push(`peer added or widened: ${peerText(peer)}`);
    }
  }
  const beforePorts = list(before.ports);
  const afterPorts = list(after.ports);
  if (beforePorts.length > 0 && afterPorts.length === 0) reasons.push('now allows all ports');
  else if (beforePorts.length > 0) {
    for (const port of afterPorts) {
      if (!beforePorts.some((p) => deepEqual(p, port))) reasons.push(`port added: ${portText(port)}`);
    }
  }
  return reasons;
}

function networkPolicyLoosened(
  before: ManifestObject | undefined,
  after: ManifestObject | undefined,
  context: RiskContext,
): string[] {
  if ((before ?? after)!.kind !== 'NetworkPolicy') return [];
  if (before && !after) return ['policy deleted: the pods it selected lose the isolation it gave'];
  const afterSpec = obj(after!.body.spec);
  if (!before) {
    if (!after!.namespace || !context.baseNamespaces.has(after!.namespace)) return [];
    return (['ingress', 'egress'] as const).flatMap((dir) =>
      list(afterSpec[dir]).map(
        (r) =>
          `policy added to an existing namespace: allows ${dir} ${ruleSummary(obj(r), dir === 'ingress' ? 'from' : 'to')}`,
      ),
    );
  }
  const beforeSpec = obj(before.body.spec);
  const reasons: string[] = [];
  const typesBefore = policyTypes(beforeSpec);
  const typesAfter = policyTypes(afterSpec);
  for (const type of typesBefore) {
    if (!typesAfter.includes(type))
      reasons.push(`policyTypes no longer include ${type}: that direction is no longer restricted by this policy`);
  }
  if (!deepEqual(beforeSpec.podSelector, afterSpec.podSelector)) {
    reasons.push(
      `podSelector ${show(beforeSpec.podSelector)} → ${show(afterSpec.podSelector)}: the pods it isolates change`,
    );
  }
  for (const dir of ['ingress', 'egress'] as const) {
    const peersKey = dir === 'ingress' ? 'from' : 'to';
    const beforeRules = list(beforeSpec[dir]);
    list(afterSpec[dir]).forEach((rule, i) => {
      if (beforeRules.some((r) => deepEqual(r, rule))) return;
      const old = beforeRules[i];
      if (old === undefined) {
        reasons.push(`${dir} rule added: ${ruleSummary(obj(rule), peersKey)}`);
        return;
      }
      for (const reason of ruleWidenings(obj(old), obj(rule), peersKey)) reasons.push(`${dir}[${i}]: ${reason}`);
    });
  }
  return reasons;
}

// ---------------------------------------------------------------- RBAC

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** `group/resource[/names]` → verbs, from a Role's or ClusterRole's rules. */
function permissions(body: JsonObject | undefined): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const raw of list(body?.rules)) {
    const rule = obj(raw);
    const verbs = list(rule.verbs).map(String);
    const targets: string[] = [];
    for (const url of list(rule.nonResourceURLs)) targets.push(`url:${String(url)}`);
    const groups = list(rule.apiGroups).map(String);
    const names = list(rule.resourceNames).map(String);
    for (const group of groups.length > 0 ? groups : ['']) {
      for (const resource of list(rule.resources).map(String)) {
        const base = `${group === '' ? 'core' : group}/${resource}`;
        if (names.length === 0) targets.push(base);
        else for (const name of names) targets.push(`${base}/${name}`);
      }
    }
    for (const target of targets) {
      const set = out.get(target) ?? new Set<string>();
      verbs.forEach((v) => set.add(v));
      out.set(target, set);
    }
  }
  return out;
}

function covered(perms: Map<string, Set<string>>, target: string, verb: string): boolean {
  const [group, resource, name] = target.split('/');
  const candidates = [target, `${group}/${resource}`, `${group}/*`, `*/${resource}`, '*/*'];
  if (name === undefined) candidates.splice(1, 1);
  return candidates.some((c) => {
    const verbs = perms.get(c);
    return verbs !== undefined && (verbs.has(verb) || verbs.has('*'));
  });
}

function subjects(body: JsonObject | undefined): string[] {
  return list(body?.subjects).map((s) => {
    const subject = obj(s);
    const name = String(subject.name);
    const text = `${String(subject.kind)} ${subject.namespace ? `${String(subject.namespace)}/` : ''}${name}`;
    const everyone = BROAD_GROUPS[name];
    return everyone && subject.kind === 'Group' ? `${text} (${everyone})` : text;
  });
}

/** Built-in groups that stand for many identities. */
const BROAD_GROUPS: Record<string, string> = {
  'system:authenticated': 'every authenticated user',
  'system:unauthenticated': 'anonymous requests',
  'system:serviceaccounts': 'every service account in the cluster',
};

function rbacWidened(before: ManifestObject | undefined, after: ManifestObject | undefined): string[] {
  const object = (after ?? before)!;
  if (object.group !== RBAC_GROUP || !after) return [];
  const reasons: string[] = [];
  if (after.kind === 'Role' || after.kind === 'ClusterRole') {
    const was = permissions(before?.body);
    const now = permissions(after.body);
    const added: string[] = [];
    for (const [target, verbs] of now) {
      const fresh = [...verbs].filter((v) => !covered(was, target, v));
      if (fresh.length > 0) added.push(`${target}: ${fresh.join(', ')}`);
    }
    if (!before) reasons.push(`${after.kind} added${after.kind === 'ClusterRole' ? ' (cluster-wide)' : ''}`);
    if (added.length > 0) reasons.push(`grants ${added.join('; ')}`);
    const wildcards = [...now.entries()].filter(
      ([target, verbs]) =>
        (target.includes('*') || verbs.has('*')) && !deepEqual([...(was.get(target) ?? [])].sort(), [...verbs].sort()),
    );
    if (wildcards.length > 0)
      reasons.push(`wildcard: ${wildcards.map(([t, v]) => `${t} [${[...v].join(', ')}]`).join('; ')}`);
    if (
      !deepEqual(before?.body.aggregationRule, after.body.aggregationRule) &&
      after.body.aggregationRule !== undefined
    ) {
      reasons.push(`aggregationRule ${show(after.body.aggregationRule)}: aggregates other roles' rules`);
    }
  }
  if (after.kind === 'RoleBinding' || after.kind === 'ClusterRoleBinding') {
    const roleRef = obj(after.body.roleRef);
    const ref = `${String(roleRef.kind)} ${String(roleRef.name)}`;
    if (!before) {
      reasons.push(
        `${after.kind} added: ${subjects(after.body).join(', ')} → ${ref}${after.kind === 'ClusterRoleBinding' ? ' (cluster-wide)' : ''}`,
      );
    } else {
      const was = new Set(subjects(before.body));
      const fresh = subjects(after.body).filter((s) => !was.has(s));
      if (fresh.length > 0) reasons.push(`subjects added: ${fresh.join(', ')} → ${ref}`);
      if (!deepEqual(before.body.roleRef, after.body.roleRef)) {
        const old = obj(before.body.roleRef);
        reasons.push(`roleRef ${String(old.kind)} ${String(old.name)} → ${ref}`);
      }
    }
  }
  return reasons;
}

// ---------------------------------------------------------------- capacity and images

const REPLICA_FIELDS: Record<string, readonly string[]> = {
  HorizontalPodAutoscaler: ['spec.minReplicas', 'spec.maxReplicas'],
  ScaledObject: ['spec.minReplicaCount', 'spec.maxReplicaCount', 'spec.idleReplicaCount'],
  Deployment: ['spec.replicas'],
  StatefulSet: ['spec.replicas'],
  ReplicaSet: ['spec.replicas'],
  PodDisruptionBudget: ['spec.minAvailable', 'spec.maxUnavailable'],
  VerticalPodAutoscaler: [],
};

function inContainer(keys: string[]): boolean {
  return keys.some((k) => CONTAINER_LISTS.has(k));
}

function capacityChanged(
  before: ManifestObject | undefined,
  after: ManifestObject | undefined,
  changes: readonly FieldChange[],
): string[] {
  const object = (after ?? before)!;
  if (!before || !after) {
    if (object.kind === 'HorizontalPodAutoscaler' || object.kind === 'ScaledObject') {
      const spec = obj(object.body.spec);
      const bounds =
        object.kind === 'ScaledObject'
          ? `${show(spec.minReplicaCount ?? 0)}–${show(spec.maxReplicaCount ?? 100)}`
          : `${show(spec.minReplicas ?? 1)}–${show(spec.maxReplicas)}`;
      return [`autoscaler ${before ? 'removed' : 'added'} (replicas ${bounds})`];
    }
    return [];
  }
  const replicaFields = REPLICA_FIELDS[object.kind] ?? [];
  const reasons: string[] = [];
  for (const change of changes) {
    const path = formatPath(change.path);
    const keys = keysOf(change.path);
    const resources = inContainer(keys) && keys.includes('resources');
    const quota =
      (object.kind === 'ResourceQuota' && keys[0] === 'spec') ||
      (object.kind === 'LimitRange' && keys[0] === 'spec') ||
      (object.kind === 'VerticalPodAutoscaler' && keys.includes('resourcePolicy')) ||
      (object.kind === 'PodTemplate' && keys.includes('resources'));
    const replicas = replicaFields.some((f) => path === f || path.startsWith(`${f}.`));
    if (resources || quota || replicas) reasons.push(`${path}: ${show(change.before)} → ${show(change.after)}`);
  }
  return reasons;
}

function imagesChanged(changes: readonly FieldChange[]): string[] {
  const reasons: string[] = [];
  for (const change of changes) {
    const keys = keysOf(change.path);
    if (!inContainer(keys)) continue;
    const last = change.path[change.path.length - 1];
    if (last !== undefined && 'key' in last && last.key === 'image') {
      reasons.push(`${formatPath(change.path)}: ${show(change.before)} → ${show(change.after)}`);
    } else if (last !== undefined && 'match' in last && (change.op === 'added' || change.op === 'removed')) {
      const container = obj(change.after ?? change.before);
      reasons.push(`${formatPath(change.path)} ${change.op} (image ${show(container.image)})`);
    }
  }
  return reasons;
}

// ---------------------------------------------------------------- waivers

function waivers(object: ManifestObject | undefined): Map<string, string> {
  const annotations = obj(obj(object?.body.metadata).annotations);
  return new Map(
    Object.entries(annotations).flatMap(([key, value]) =>
      key.startsWith(WAIVER_PREFIX) ? [[key.slice(WAIVER_PREFIX.length), String(value)] as [string, string]] : [],
    ),
  );
}

/** A waiver switches a gate rule off for one object: each new one needs a reviewer's eye. */
function waiversAdded(before: ManifestObject | undefined, after: ManifestObject | undefined): string[] {
  const was = waivers(before);
  return [...waivers(after)]
    .filter(([rule]) => !was.has(rule))
    .map(([rule, reason]) => `waives rule ${rule}: "${reason}"`);
}

/** Every risk one object's change carries. */
export function risksOf(
  before: ManifestObject | undefined,
  after: ManifestObject | undefined,
  changes: readonly FieldChange[],
  context: RiskContext,
): Risk[] {
  const object = displayName((after ?? before)!);
  const out: Risk[] = [];
  const add = (category: RiskCategory, messages: string[]) =>
    messages.forEach((message) => out.push({ category, object, message }));
  add('stateful-deleted', statefulDeleted(before, after));
  add('pss-lowered', pssLowered(before, after));
  add('network-policy-loosened', networkPolicyLoosened(before, after, context));
  add('rbac-widened', rbacWidened(before, after));
  add('capacity-changed', capacityChanged(before, after, changes));
  if (before && after) add('image-changed', imagesChanged(changes));
  add('waiver-added', waiversAdded(before, after));
  return out;
}
