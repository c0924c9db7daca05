/**
 * Cloud-side changes between two recordings of the program (base ref and now):
 * each resource created, updated in place, updated with downtime (resized, nodes
 * rolled), replaced or deleted, with the reason per field from the providers'
 * rules (provider-rules.ts). Resources are matched by URN, which holds the type,
 * the name and the parent chain, exactly as the Pulumi engine matches them.
 *
 * An estimate: the mocked engine knows the inputs, not the live state, so drift and
 * provider-computed diffs are invisible until `pulumi preview` runs with credentials.
 */
import { ruleFor, type ChangeEffect } from './provider-rules';
import { SECRET_PLACEHOLDER, type PlannedResource } from './record';

export type ResourceChangeKind = 'create' | ChangeEffect | 'delete';

export interface ResourceChange {
  readonly kind: ResourceChangeKind;
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** One line per changed input (or the reason of a create/delete), for the reviewer. */
  readonly reasons: readonly string[];
  /** Pulumi `protect` at the base: a delete or replace is refused until it is lifted. */
  readonly protect?: boolean;
}

/** How each kind reads in the plan, most disruptive last. */
export const CHANGE_LABELS: Readonly<Record<ResourceChangeKind, string>> = {
  create: 'created',
  update: 'updated in place',
  downtime: 'resized or rolled with downtime',
  replace: 'replaced',
  delete: 'deleted',
};

const SEVERITY: readonly ResourceChangeKind[] = ['create', 'update', 'downtime', 'replace', 'delete'];
const MANIFEST_GROUP = /^kubernetes:yaml(\/v2)?:(ConfigGroup|ConfigFile)$/;
/** Changed input paths listed per resource before the rest is counted. */
const REASONS_SHOWN = 6;

/** Resources whose changes happen in the cloud or the cluster (not component wrappers). */
function tracked(r: PlannedResource): boolean {
  return r.custom || MANIFEST_GROUP.test(r.type);
}

type Json = unknown;

function isRecord(v: Json): v is Record<string, Json> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Dotted paths whose values differ; lists compare as a whole (their order is meaningful to providers). */
export function changedPaths(before: Json, after: Json, path = ''): string[] {
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => changedPaths(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [path];
}

function valueAt(value: Json, path: string): Json {
  return path.split('.').reduce<Json>((v, k) => (isRecord(v) ? v[k] : undefined), value);
}

function show(value: Json): string {
  if (value === undefined) return '(unset)';
  if (value === SECRET_PLACEHOLDER) return '(secret)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Paths that are no change: what the program tells the engine to ignore, and engine
 * internals (`__provider`: a dynamic provider's serialized code, which differs between
 * two builds of the same source).
 */
const ignored = (path: string, ignore: readonly string[]) =>
  path.startsWith('__') || ignore.some((i) => path === i || path.startsWith(`${i}.`));

function updateOf(before: PlannedResource, after: PlannedResource): ResourceChange | undefined {
  const paths = changedPaths(before.inputs, after.inputs).filter((p) => !ignored(p, after.ignoreChanges ?? []));
  if (paths.length === 0) return undefined;
  let kind: ResourceChangeKind = 'update';
  const reasons: string[] = [];
  for (const path of paths) {
    const rule = ruleFor(after.type, path);
    const effect = rule?.effect ?? 'update';
    if (SEVERITY.indexOf(effect) > SEVERITY.indexOf(kind)) kind = effect;
    const values = MANIFEST_GROUP.test(after.type)
      ? 'manifests changed (see the manifest diff)'
      : `${show(valueAt(before.inputs, path))} → ${show(valueAt(after.inputs, path))}`;
    reasons.push(`\`${path}\`: ${values}${rule ? ` (${rule.why})` : ''}`);
  }
  // The most disruptive reasons first, so a short list still shows them.
  const rank = (line: string) => {
    const path = line.slice(1, line.indexOf('`', 1));
    return -SEVERITY.indexOf(ruleFor(after.type, path)?.effect ?? 'update');
  };
  const ordered = reasons.map((line, i) => ({ line, i })).sort((a, b) => rank(a.line) - rank(b.line) || a.i - b.i);
  const shown = ordered.slice(0, REASONS_SHOWN).map((o) => o.line);
  if (ordered.length > REASONS_SHOWN) shown.push(`and ${ordered.length - REASONS_SHOWN} more inputs`);
  return {
    kind,
    type: after.type,
    name: after.name,
    urn: after.urn,
    reasons: shown,
    ...(before.protect ? { protect: true } : {}),
  };
}

/**
 * A launch template edit is an in-place update of the template (a new version), but
 * every node group launched from it rolls its nodes: say so on the node group.
 */
function rollNodeGroups(changes: ResourceChange[], after: readonly PlannedResource[]): void {
  for (const template of changes.filter((c) => c.type === 'aws:ec2/launchTemplate:LaunchTemplate')) {
    if (template.kind !== 'update') continue;
    const id = `${template.name}-id`;
    for (const group of after.filter((r) => r.type === 'aws:eks/nodeGroup:NodeGroup')) {
      const launchTemplate = group.inputs.launchTemplate;
      if (!isRecord(launchTemplate) || launchTemplate.id !== id) continue;
      const reason = `launch template \`${template.name}\` changes: new version, rolling update (every node drained and replaced)`;
      const index = changes.findIndex((c) => c.urn === group.urn);
      const existing = changes[index];
      if (existing && SEVERITY.indexOf(existing.kind) >= SEVERITY.indexOf('downtime')) {
        changes[index] = { ...existing, reasons: [...existing.reasons, reason] };
      } else if (existing) {
        changes[index] = { ...existing, kind: 'downtime', reasons: [reason, ...existing.reasons] };
      } else {
        changes.push({ kind: 'downtime', type: group.type, name: group.name, urn: group.urn, reasons: [reason] });
      }
    }
  }
}

/** Every tracked resource that differs between the two recordings, most disruptive first. */
export function compareRecordings(
  before: readonly PlannedResource[],
  after: readonly PlannedResource[],
): ResourceChange[] {
  const was = new Map(before.filter(tracked).map((r) => [r.urn, r]));
  const now = new Map(after.filter(tracked).map((r) => [r.urn, r]));
  const changes: ResourceChange[] = [];
  for (const [urn, r] of was) {
    if (now.has(urn)) continue;
    changes.push({
      kind: 'delete',
      type: r.type,
      name: r.name,
      urn,
      reasons: [
        r.protect ? 'protected: `pulumi up` refuses to delete it until `protect` is lifted' : 'no longer declared',
      ],
      ...(r.protect ? { protect: true } : {}),
    });
  }
  for (const [urn, r] of now) {
    const old = was.get(urn);
    if (!old) {
      changes.push({ kind: 'create', type: r.type, name: r.name, urn, reasons: ['newly declared'] });
      continue;
    }
    const change = updateOf(old, r);
    if (change) changes.push(change);
  }
  rollNodeGroups(changes, after);
  return changes.sort(
    (a, b) =>
      SEVERITY.indexOf(b.kind) - SEVERITY.indexOf(a.kind) ||
      (a.type < b.type ? -1 : a.type > b.type ? 1 : 0) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}
