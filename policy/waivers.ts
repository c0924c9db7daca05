/**
 * Waivers: an annotation on the object itself, `policy.agent-platform.io/waive.<rule-id>:
 * "<reason>"`, naming one rule. A waiver of an unknown rule, without a reason, or on a
 * pod template (where it would read as one but apply to nothing) is itself a finding
 * (`policy.waiver`) and waives nothing.
 */
import { asObject, metadataOf } from './manifests';
import { ALL_RULES } from './rules';
import type { K8sObject, Manifest, Violation } from './types';
import { podTemplatesOf } from './workloads';

export const WAIVER_PREFIX = 'policy.agent-platform.io/waive.';

const MIN_REASON_LENGTH = 10;

export interface DeclaredWaivers {
  /** Valid waivers per object: rule id → reason. */
  readonly waiverOf: Map<Manifest, Map<string, string>>;
  /** `policy.waiver` findings about malformed or misplaced waivers. */
  readonly problems: { manifest: Manifest; violation: Violation }[];
}

function waiverProblem(rule: string, key: string, value: string): Violation | undefined {
  const path = ['metadata', 'annotations', key];
  if (!ALL_RULES.has(rule) || rule === 'policy.waiver') {
    return {
      rule: 'policy.waiver',
      path,
      message: `waives "${rule}", which is not a rule of the gate`,
      fix: `name one rule id, e.g. ${WAIVER_PREFIX}pss.host-path (see policy/README.md)`,
    };
  }
  if (value.trim().length < MIN_REASON_LENGTH) {
    return {
      rule: 'policy.waiver',
      path,
      message: `waiver of ${rule} gives no reason (got ${JSON.stringify(value)})`,
      fix: 'write why the rule does not apply to this object (at least a sentence); the waiver is ignored until then',
    };
  }
  return undefined;
}

/** Waiver annotations on pod templates: they read as waivers but apply to nothing. */
function templateWaivers(manifest: Manifest): Violation[] {
  const templates = podTemplatesOf(manifest);
  if (templates.length === 0) return [];
  return templates
    .filter((template) => template.metaPath.length > 1)
    .flatMap((template) =>
      Object.keys(template.annotations)
        .filter((key) => key.startsWith(WAIVER_PREFIX))
        .map((key) => ({
          rule: 'policy.waiver',
          path: [...template.metaPath, 'annotations', key],
          message: "is a waiver on the pod template; waivers apply only on the object's own metadata.annotations",
          fix: `move ${key} to the ${template.owner.kind}'s metadata.annotations`,
        })),
    );
}

/**
 * Whether an annotation key of the object starts with the waiver prefix, read from the
 * object itself: most objects of a large set have no other reason to build their metadata.
 */
function namesWaivers(object: K8sObject): boolean {
  const annotations = asObject(asObject(object.metadata).annotations);
  for (const key in annotations) if (Object.hasOwn(annotations, key) && key.startsWith(WAIVER_PREFIX)) return true;
  return false;
}

export function declaredWaivers(manifests: readonly Manifest[]): DeclaredWaivers {
  const waiverOf = new Map<Manifest, Map<string, string>>();
  const problems: DeclaredWaivers['problems'] = [];
  for (const manifest of manifests) {
    const annotations = namesWaivers(manifest.object) ? metadataOf(manifest.object).annotations : {};
    // Nothing allocated for an object without waivers (almost every object of a large set).
    let waivers: Map<string, string> | undefined;
    // for-in over own keys: the order of Object.keys, without a list per object.
    for (const key in annotations) {
      if (!Object.hasOwn(annotations, key) || !key.startsWith(WAIVER_PREFIX)) continue;
      const value = annotations[key]!;
      const rule = key.slice(WAIVER_PREFIX.length);
      const problem = waiverProblem(rule, key, value);
      if (problem) problems.push({ manifest, violation: problem });
      else (waivers ??= new Map()).set(rule, value.trim());
    }
    if (waivers) waiverOf.set(manifest, waivers);
    for (const violation of templateWaivers(manifest)) problems.push({ manifest, violation });
  }
  return { waiverOf, problems };
}
