/**
 * The pure diff: two sets of manifests per stack in, a report out. No I/O, so it
 * is tested on in-memory objects; `source.ts` reads the sets from git and disk.
 */
import type { ManifestObject, ObjectSet } from './objects';
import { redactChanges } from './redact';
import { risksOf, type Risk } from './risks';
import { diffFields, type FieldChange } from './structural';

export interface ChangedObject {
  readonly before: ManifestObject;
  readonly after: ManifestObject;
  /** Redacted: safe to print. */
  readonly changes: readonly FieldChange[];
}

export interface StackDiff {
  readonly stack: string;
  readonly added: readonly ManifestObject[];
  readonly removed: readonly ManifestObject[];
  readonly changed: readonly ChangedObject[];
  /** Objects whose file changed but whose content did not (not a change; reported as a count). */
  readonly moved: number;
  readonly risks: readonly Risk[];
  /** The stack's folder is new (absent at the base) or gone (absent in the working tree). */
  readonly status: 'both' | 'new' | 'gone';
}

export interface DiffReport {
  readonly stacks: readonly StackDiff[];
  readonly hasChanges: boolean;
}

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export function diffStack(
  stack: string,
  before: ObjectSet,
  after: ObjectSet,
  status: StackDiff['status'] = 'both',
): StackDiff {
  const added: ManifestObject[] = [];
  const removed: ManifestObject[] = [];
  const changed: ChangedObject[] = [];
  const risks: Risk[] = [];
  let moved = 0;
  const baseNamespaces = new Set(
    [...before.values()].flatMap((o) => (o.kind === 'Namespace' && o.group === 'core' ? [o.name] : [])),
  );
  const context = { baseNamespaces };
  for (const object of [...before.values()].sort(byKey)) {
    if (!after.has(object.key)) {
      removed.push(object);
      risks.push(...risksOf(object, undefined, [], context));
    }
  }
  for (const object of [...after.values()].sort(byKey)) {
    const old = before.get(object.key);
    if (!old) {
      added.push(object);
      risks.push(...risksOf(undefined, object, [], context));
      continue;
    }
    const changes = diffFields(old.body, object.body);
    if (changes.length === 0) {
      if (old.file !== object.file) moved++;
      continue;
    }
    changed.push({ before: old, after: object, changes: redactChanges(object.kind, changes) });
    risks.push(...risksOf(old, object, changes, context));
  }
  return { stack, added, removed, changed, moved, risks, status };
}

/** Diffs every stack present on either side (sorted by name). */
export function diffStacks(before: ReadonlyMap<string, ObjectSet>, after: ReadonlyMap<string, ObjectSet>): DiffReport {
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  const stacks = names.map((name) =>
    diffStack(
      name,
      before.get(name) ?? new Map(),
      after.get(name) ?? new Map(),
      !before.has(name) ? 'new' : !after.has(name) ? 'gone' : 'both',
    ),
  );
  return {
    stacks,
    hasChanges: stacks.some((s) => s.added.length + s.removed.length + s.changed.length > 0),
  };
}
