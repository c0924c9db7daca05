/**
 * Rule family 1, schema: every object validates against the schema of the
 * target Kubernetes minor (built-in kinds) or of its CRD version (custom kinds),
 * with unknown fields as errors; APIs removed in the target version are errors,
 * deprecated ones warnings.
 */
import { asString, describe, groupVersion, idOf, isObject } from '../manifests';
import { perRun, ruleFamily, type GateRule, type Hit } from '../rule';
import type { GateContext, Manifest, Severity, Violation } from '../types';
import type { SchemaProblem } from '../validator';
import { lifecycleOf, minorAtLeast } from './api-lifecycle';
import { shown } from '../values';

export { API_LIFECYCLE, lifecycleOf, minorAtLeast } from './api-lifecycle';

interface Identified {
  readonly manifest: Manifest;
  readonly apiVersion: string;
  readonly kind: string;
  readonly group: string;
  readonly version: string;
}

function identityProblem(manifest: Manifest): Violation | undefined {
  const object = manifest.object;
  const apiVersion = asString(object.apiVersion);
  const kind = asString(object.kind);
  const name = asString(isObject(object.metadata) ? object.metadata.name : undefined);
  if (apiVersion && kind && name) return undefined;
  const missing = [!apiVersion && 'apiVersion', !kind && 'kind', !name && 'metadata.name'].filter(Boolean);
  return {
    rule: 'schema.identity',
    path: !apiVersion ? ['apiVersion'] : !kind ? ['kind'] : ['metadata', 'name'],
    message: `is not a Kubernetes object: ${missing.join(', ')} missing`,
    fix: `set ${missing.join(', ')}`,
  };
}

/** Built-in API versions removed or deprecated at the target minor; `stop` when nothing more can be judged. */
function lifecycleProblems(o: Identified, minor: string): { problems: Violation[]; stop: boolean } {
  const lifecycle = lifecycleOf(o.group, o.version, o.kind);
  if (lifecycle?.removed && minorAtLeast(minor, lifecycle.removed)) {
    const message = `${o.apiVersion} ${o.kind} was removed in Kubernetes ${lifecycle.removed}; the target is ${minor}`;
    return {
      problems: [{ rule: 'schema.removed-api', path: ['apiVersion'], message, fix: `use ${lifecycle.replacement}` }],
      stop: true,
    };
  }
  if (lifecycle?.deprecated && minorAtLeast(minor, lifecycle.deprecated)) {
    const removed = lifecycle.removed ? ` and removed in ${lifecycle.removed}` : '';
    const message = `${o.apiVersion} ${o.kind} is deprecated since Kubernetes ${lifecycle.deprecated}${removed}`;
    return {
      problems: [
        { rule: 'schema.deprecated-api', path: ['apiVersion'], message, fix: `migrate to ${lifecycle.replacement}` },
      ],
      stop: false,
    };
  }
  return { problems: [], stop: false };
}

const asViolations = (problems: readonly SchemaProblem[]): Violation[] =>
  problems.map((p) => ({
    rule: p.unknownField ? 'schema.unknown-field' : 'schema.invalid',
    path: p.path,
    message: p.message,
    fix: p.fix,
  }));

function unknownKind(ctx: GateContext, o: Identified): Violation {
  const minor = ctx.kubernetesVersion;
  const otherVersions = ctx.crdVersions(o.group, o.kind).map((c) => `${c.group}/${c.version}`);
  return {
    rule: 'schema.unknown-kind',
    path: ['apiVersion'],
    message:
      otherVersions.length > 0
        ? `${o.apiVersion} ${o.kind}: its CRD serves only ${otherVersions.join(', ')}`
        : o.group === '' || !o.group.includes('.')
          ? `${o.apiVersion} ${o.kind} is not a kind of Kubernetes ${minor}`
          : `${o.apiVersion} ${o.kind} is neither a built-in kind nor a CRD the gate knows (CRD locations: ${ctx.schemas.crdLocations.join(', ') || 'none'})`,
    fix:
      otherVersions.length > 0
        ? `use apiVersion ${otherVersions.join(' or ')}`
        : 'correct apiVersion/kind, or pass the CRD with --crds <file, folder or URL>',
  };
}

function customResourceProblems(ctx: GateContext, o: Identified): Violation[] {
  const crd = ctx.crd(o.group, o.version, o.kind);
  if (!crd) return [unknownKind(ctx, o)];
  if (!crd.served) {
    return [
      {
        rule: 'schema.removed-api',
        path: ['apiVersion'],
        message: `${o.apiVersion} ${o.kind} is not served by its CRD (${crd.source})`,
        fix: `use ${crd.group}/${crd.storageVersion ?? 'the served version'}`,
      },
    ];
  }
  const deprecated: Violation[] = crd.deprecated
    ? [
        {
          rule: 'schema.deprecated-api',
          path: ['apiVersion'],
          message: crd.deprecationWarning ?? `${o.apiVersion} ${o.kind} is deprecated by its CRD`,
          fix: `use ${crd.group}/${crd.storageVersion ?? 'the storage version'}`,
        },
      ]
    : [];
  const validate = ctx.schemas.crdValidator(ctx.kubernetesVersion, crd);
  return [...deprecated, ...(validate ? asViolations(validate(o.manifest.object)) : [])];
}

/** Everything the schema family finds about one identified object (duplicates aside). */
function objectProblems(ctx: GateContext, o: Identified): Violation[] {
  const lifecycle = lifecycleProblems(o, ctx.kubernetesVersion);
  if (lifecycle.stop) return lifecycle.problems;
  const builtin = ctx.schemas.builtinValidator(ctx.kubernetesVersion, o.group, o.version, o.kind);
  if (builtin) return [...lifecycle.problems, ...asViolations(builtin(o.manifest.object))];
  return [...lifecycle.problems, ...customResourceProblems(ctx, o)];
}

/** Every schema finding of the run, judged once; the rule entries below pick theirs. */
const schemaFindings = perRun((ctx) => {
  const out: (Hit & { readonly rule: string })[] = [];
  const hit = (manifest: Manifest, v: Violation) => out.push({ manifest, ...v });
  const seen = new Map<string, string>();
  for (const manifest of ctx.manifests) {
    const identity = identityProblem(manifest);
    if (identity) {
      hit(manifest, identity);
      continue;
    }
    const apiVersion = shown(manifest.object.apiVersion);
    const kind = shown(manifest.object.kind);
    const id = idOf(manifest.object);
    const { group, version } = groupVersion(apiVersion);
    const key = `${group}/${kind}/${id.namespace ?? ''}/${id.name}`;
    const first = seen.get(key);
    if (first) {
      hit(manifest, {
        rule: 'schema.duplicate',
        path: ['metadata', 'name'],
        message: `${describe(id)} is defined twice (first in ${first}); one would overwrite the other`,
        fix: 'rename one of them or remove the duplicate',
      });
    } else seen.set(key, manifest.file);
    for (const v of objectProblems(ctx, { manifest, apiVersion, kind, group, version })) hit(manifest, v);
  }
  return out;
});

function schemaRule(id: string, severity: Severity, description: string, fix: string): GateRule {
  return { id, severity, description, fix, check: (ctx) => schemaFindings(ctx).filter((h) => h.rule === id) };
}

export const schemaRules = ruleFamily('schema', [
  schemaRule('schema.identity', 'error', 'apiVersion, kind and metadata.name are set', 'set them'),
  schemaRule('schema.duplicate', 'error', 'no two objects share kind, namespace and name', 'remove the duplicate'),
  schemaRule(
    'schema.unknown-kind',
    'error',
    'the kind exists in the target Kubernetes version or in a known CRD',
    'correct apiVersion/kind, or pass the CRD with --crds',
  ),
  schemaRule('schema.invalid', 'error', 'the object validates against its schema', 'correct the value'),
  schemaRule('schema.unknown-field', 'error', 'no field the schema does not define', 'remove the field'),
  schemaRule(
    'schema.removed-api',
    'error',
    'no API version the target version no longer serves',
    'use the served API version',
  ),
  schemaRule(
    'schema.deprecated-api',
    'warning',
    'no API version deprecated in the target version',
    'migrate to the replacement API version',
  ),
]);
