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

interface Lifecycle {
  readonly group: string;
  readonly version: string;
  /** Kinds this entry covers; undefined for every kind of the group/version. */
  readonly kinds?: readonly string[];
  readonly deprecated?: string;
  readonly removed?: string;
  readonly replacement: string;
}

/** From the Kubernetes deprecated API migration guide. */
export const API_LIFECYCLE: readonly Lifecycle[] = [
  { group: 'extensions', version: 'v1beta1', removed: '1.22', replacement: 'apps/v1 or networking.k8s.io/v1' },
  { group: 'apps', version: 'v1beta1', removed: '1.16', replacement: 'apps/v1' },
  { group: 'apps', version: 'v1beta2', removed: '1.16', replacement: 'apps/v1' },
  {
    group: 'networking.k8s.io',
    version: 'v1beta1',
    kinds: ['Ingress', 'IngressClass'],
    removed: '1.22',
    replacement: 'networking.k8s.io/v1',
  },
  {
    group: 'admissionregistration.k8s.io',
    version: 'v1beta1',
    kinds: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
    removed: '1.22',
    replacement: 'admissionregistration.k8s.io/v1',
  },
  { group: 'apiextensions.k8s.io', version: 'v1beta1', removed: '1.22', replacement: 'apiextensions.k8s.io/v1' },
  { group: 'apiregistration.k8s.io', version: 'v1beta1', removed: '1.22', replacement: 'apiregistration.k8s.io/v1' },
  {
    group: 'authentication.k8s.io',
    version: 'v1beta1',
    kinds: ['TokenReview'],
    removed: '1.22',
    replacement: 'authentication.k8s.io/v1',
  },
  {
    group: 'authorization.k8s.io',
    version: 'v1beta1',
    removed: '1.22',
    replacement: 'authorization.k8s.io/v1',
  },
  {
    group: 'certificates.k8s.io',
    version: 'v1beta1',
    kinds: ['CertificateSigningRequest'],
    removed: '1.22',
    replacement: 'certificates.k8s.io/v1',
  },
  {
    group: 'coordination.k8s.io',
    version: 'v1beta1',
    kinds: ['Lease'],
    removed: '1.22',
    replacement: 'coordination.k8s.io/v1',
  },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1beta1',
    removed: '1.22',
    replacement: 'rbac.authorization.k8s.io/v1',
  },
  { group: 'scheduling.k8s.io', version: 'v1beta1', removed: '1.22', replacement: 'scheduling.k8s.io/v1' },
  {
    group: 'storage.k8s.io',
    version: 'v1beta1',
    kinds: ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'],
    removed: '1.22',
    replacement: 'storage.k8s.io/v1',
  },
  {
    group: 'storage.k8s.io',
    version: 'v1beta1',
    kinds: ['CSIStorageCapacity'],
    deprecated: '1.24',
    removed: '1.27',
    replacement: 'storage.k8s.io/v1',
  },
  { group: 'batch', version: 'v1beta1', deprecated: '1.21', removed: '1.25', replacement: 'batch/v1' },
  {
    group: 'discovery.k8s.io',
    version: 'v1beta1',
    deprecated: '1.21',
    removed: '1.25',
    replacement: 'discovery.k8s.io/v1',
  },
  { group: 'events.k8s.io', version: 'v1beta1', deprecated: '1.22', removed: '1.25', replacement: 'events.k8s.io/v1' },
  { group: 'autoscaling', version: 'v2beta1', deprecated: '1.22', removed: '1.25', replacement: 'autoscaling/v2' },
  { group: 'autoscaling', version: 'v2beta2', deprecated: '1.23', removed: '1.26', replacement: 'autoscaling/v2' },
  {
    group: 'policy',
    version: 'v1beta1',
    kinds: ['PodDisruptionBudget'],
    deprecated: '1.21',
    removed: '1.25',
    replacement: 'policy/v1',
  },
  {
    group: 'policy',
    version: 'v1beta1',
    kinds: ['PodSecurityPolicy'],
    deprecated: '1.21',
    removed: '1.25',
    replacement: 'Pod Security Admission namespace labels (pod-security.kubernetes.io/enforce)',
  },
  { group: 'node.k8s.io', version: 'v1beta1', removed: '1.25', replacement: 'node.k8s.io/v1' },
  {
    group: 'flowcontrol.apiserver.k8s.io',
    version: 'v1beta1',
    deprecated: '1.23',
    removed: '1.26',
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
  },
  {
    group: 'flowcontrol.apiserver.k8s.io',
    version: 'v1beta2',
    deprecated: '1.26',
    removed: '1.29',
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
  },
  {
    group: 'flowcontrol.apiserver.k8s.io',
    version: 'v1beta3',
    deprecated: '1.29',
    removed: '1.32',
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
  },
  {
    group: '',
    version: 'v1',
    kinds: ['ComponentStatus'],
    deprecated: '1.19',
    replacement: 'the /livez and /readyz endpoints',
  },
  {
    group: '',
    version: 'v1',
    kinds: ['Endpoints'],
    deprecated: '1.33',
    replacement: 'discovery.k8s.io/v1 EndpointSlice',
  },
];

/** `1.9` < `1.22`: compares minors numerically. */
export function minorAtLeast(version: string, minimum: string): boolean {
  const [a1, a2] = version.split('.').map(Number);
  const [b1, b2] = minimum.split('.').map(Number);
  return a1! !== b1! ? a1! > b1! : a2! >= b2!;
}

export function lifecycleOf(group: string, version: string, kind: string): Lifecycle | undefined {
  return API_LIFECYCLE.find((l) => l.group === group && l.version === version && (!l.kinds || l.kinds.includes(kind)));
}

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
    const apiVersion = String(manifest.object.apiVersion);
    const kind = String(manifest.object.kind);
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
