/**
 * Rule family 4, namespace guardrails: every namespace carries Pod Security
 * labels, a ResourceQuota, a LimitRange and default-deny NetworkPolicies for
 * ingress and egress; every namespaced object names a namespace that exists.
 */
import { asArray, asObject, asString, describe, groupVersion, idOf, metadataNamespace, metadataOf } from '../manifests';
import { isEmptySelector } from '../workloads';
import { ruleFamily, type GateRule, type Hit } from '../rule';
import type { GateContext, Manifest } from '../types';
import { inNamespace, ofKind } from './object-index';
import { shown } from '../values';

/** Namespaces every cluster has. */
export const BUILTIN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Built-in kinds that live outside namespaces. */
export const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'StorageClass',
  'PriorityClass',
  'RuntimeClass',
  'CustomResourceDefinition',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'APIService',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'IngressClass',
  'CertificateSigningRequest',
  'ClusterTrustBundle',
  'FlowSchema',
  'PriorityLevelConfiguration',
  'ComponentStatus',
  'IPAddress',
  'ServiceCIDR',
  'VolumeAttributesClass',
  'DeviceClass',
  'ResourceSlice',
  'StorageVersionMigration',
  'SelfSubjectReview',
  'TokenReview',
  'SubjectAccessReview',
  'SelfSubjectAccessReview',
  'SelfSubjectRulesReview',
]);

/** Whether objects of this kind live in a namespace (CRD kinds by their CRD's scope). */
/**
 * Whether objects of this kind live in a namespace: from the built-in list or the kind's CRD;
 * undefined for a custom kind whose CRD the gate does not have (schema.unknown-kind reports it).
 */
export function isNamespaced(ctx: GateContext, manifest: Manifest): boolean | undefined {
  const kind = asString(manifest.object.kind) ?? '';
  const { group, version } = groupVersion(asString(manifest.object.apiVersion) ?? '');
  const builtin = ctx.schemas.gvkIndex(ctx.kubernetesVersion).has(`${group}/${version}/${kind}`);
  if (builtin || group === '' || !group.includes('.')) return !CLUSTER_SCOPED_KINDS.has(kind);
  const crd = ctx.crd(group, version, kind);
  return crd ? crd.scope === 'Namespaced' : undefined;
}

const PSS_LEVELS = ['privileged', 'baseline', 'restricted'];

/** Which directions a NetworkPolicy denies for every pod of its namespace. */
export function defaultDenies(policy: Manifest): { ingress: boolean; egress: boolean } {
  const spec = asObject(policy.object.spec);
  if (!isEmptySelector(spec.podSelector)) return { ingress: false, egress: false };
  const egressRules = asArray(spec.egress);
  const ingressRules = asArray(spec.ingress);
  const types = Array.isArray(spec.policyTypes)
    ? spec.policyTypes
    : ['Ingress', ...(egressRules.length > 0 ? ['Egress'] : [])];
  return {
    ingress: types.includes('Ingress') && ingressRules.length === 0,
    egress: types.includes('Egress') && egressRules.length === 0,
  };
}

const namespaceObjects = (ctx: GateContext) => ofKind(ctx, 'Namespace');

function pssLabelHits(ctx: GateContext, nsManifest: Manifest): Hit[] {
  const meta = metadataOf(nsManifest.object);
  const out: Hit[] = [];
  for (const mode of ['enforce', 'audit', 'warn']) {
    const key = `pod-security.kubernetes.io/${mode}`;
    const level = meta.labels[key];
    if (!level || !PSS_LEVELS.includes(level)) {
      out.push({
        manifest: nsManifest,
        path: ['metadata', 'labels', key],
        message: level ? `${key} is "${level}", not a Pod Security level` : `has no ${key} label`,
        fix: `set ${key} to restricted (or baseline/privileged with a documented exception)`,
      });
    }
    const versionKey = `${key}-version`;
    const version = meta.labels[versionKey];
    if (!level || version === `v${ctx.kubernetesVersion}`) continue;
    const floating = version === undefined || version === 'latest';
    out.push({
      manifest: nsManifest,
      severity: floating || /^v\d+\.\d+$/.test(version) ? 'warning' : 'error',
      path: ['metadata', 'labels', versionKey],
      message: floating
        ? `${versionKey} is ${version ?? 'unset'}: the policy floats with every cluster upgrade`
        : `${versionKey} is "${version}" but the target is Kubernetes ${ctx.kubernetesVersion}`,
      fix: `set ${versionKey}: v${ctx.kubernetesVersion}`,
    });
  }
  return out;
}

/** A namespace without an object of `kind` is a finding against the Namespace. */
function requiresObject(id: string, kind: string, fix: string): GateRule {
  return {
    id,
    severity: 'error',
    description: `a ${kind} in every namespace`,
    fix,
    check: (ctx) =>
      namespaceObjects(ctx)
        .filter((m) => inNamespace(ctx, kind, metadataOf(m.object).name).length === 0)
        .map((m) => ({
          manifest: m,
          path: ['metadata', 'name'],
          message: `namespace ${metadataOf(m.object).name} has no ${kind}`,
        })),
  };
}

function defaultDenyHits(ctx: GateContext, nsManifest: Manifest): Hit[] {
  const ns = metadataOf(nsManifest.object).name;
  const denies = inNamespace(ctx, 'NetworkPolicy', ns).map(defaultDenies);
  const missing = [!denies.some((d) => d.ingress) && 'ingress', !denies.some((d) => d.egress) && 'egress'].filter(
    (x): x is string => typeof x === 'string',
  );
  if (missing.length === 0) return [];
  return [
    {
      manifest: nsManifest,
      path: ['metadata', 'name'],
      message: `namespace ${ns} has no default-deny NetworkPolicy for ${missing.join(' and ')}`,
      fix: `add a NetworkPolicy with podSelector: {} and policyTypes [${missing.map((m) => (m === 'ingress' ? 'Ingress' : 'Egress')).join(', ')}] and no rules`,
    },
  ];
}

function namespaceHit(m: Manifest, namespaced: boolean, known: Set<string>): Hit[] {
  const ns = metadataNamespace(m.object);
  const path = ['metadata', 'namespace'];
  if (namespaced && !ns) {
    return [
      {
        manifest: m,
        path,
        message: `${describe(idOf(m.object))} has no metadata.namespace; it would land in whatever namespace the tool applying it defaults to`,
        fix: 'set metadata.namespace explicitly',
      },
    ];
  }
  if (namespaced && ns && !known.has(ns)) {
    return [
      {
        manifest: m,
        path,
        message: `namespace "${ns}" is not defined in the manifests`,
        fix: `add a Namespace ${ns} (with its guardrails) or correct metadata.namespace`,
      },
    ];
  }
  if (!namespaced && ns) {
    return [
      {
        manifest: m,
        severity: 'warning',
        path,
        message: `${shown(m.object.kind)} is cluster-scoped; metadata.namespace "${ns}" is ignored`,
        fix: 'remove metadata.namespace',
      },
    ];
  }
  return [];
}

/** isNamespaced asked once per apiVersion and kind (a set holds a few dozen of them). */
function namespacedByKind(ctx: GateContext): (m: Manifest, apiVersion: string, kind: string) => boolean | undefined {
  const answers = new Map<string, Map<string, boolean | undefined>>();
  return (m, apiVersion, kind) => {
    let kinds = answers.get(apiVersion);
    if (!kinds) answers.set(apiVersion, (kinds = new Map()));
    if (!kinds.has(kind)) kinds.set(kind, isNamespaced(ctx, m));
    return kinds.get(kind);
  };
}

function namespaceExistsHits(ctx: GateContext): Hit[] {
  const known = new Set([...BUILTIN_NAMESPACES, ...namespaceObjects(ctx).map((m) => metadataOf(m.object).name)]);
  const namespacedOf = namespacedByKind(ctx);
  const out: Hit[] = [];
  for (const m of ctx.manifests) {
    const { apiVersion, kind } = m.object;
    if (typeof kind !== 'string' || typeof apiVersion !== 'string') continue;
    const namespaced = namespacedOf(m, apiVersion, kind);
    if (namespaced === undefined) continue;
    // The common case, an object in a known namespace (or a cluster-scoped one in none), allocates nothing.
    const ns = metadataNamespace(m.object);
    if (namespaced ? ns !== undefined && known.has(ns) : ns === undefined) continue;
    out.push(...namespaceHit(m, namespaced, known));
  }
  return out;
}

export const namespaceGuardrailRules = ruleFamily('namespace-guardrails', [
  {
    id: 'namespace.pss-labels',
    severity: 'error',
    description: 'Pod Security enforce/audit/warn labels, pinned',
    fix: 'set the pod-security.kubernetes.io labels and pin their versions',
    check: (ctx) => namespaceObjects(ctx).flatMap((m) => pssLabelHits(ctx, m)),
  },
  requiresObject(
    'namespace.resource-quota',
    'ResourceQuota',
    'add a ResourceQuota limiting requests/limits of CPU and memory, pods, services and PVCs',
  ),
  requiresObject(
    'namespace.limit-range',
    'LimitRange',
    'add a LimitRange with container default/defaultRequest/min/max',
  ),
  {
    id: 'namespace.default-deny',
    severity: 'error',
    description: 'default-deny NetworkPolicy for ingress and egress in every namespace',
    fix: 'add a NetworkPolicy with podSelector: {} and policyTypes [Ingress, Egress] and no rules',
    check: (ctx) => namespaceObjects(ctx).flatMap((m) => defaultDenyHits(ctx, m)),
  },
  {
    id: 'namespace.exists',
    severity: 'error',
    description: "every namespaced object's namespace exists",
    fix: 'set metadata.namespace to a Namespace of the manifests',
    check: namespaceExistsHits,
  },
]);
