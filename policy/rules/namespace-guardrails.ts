/**
 * Rule family 4, namespace guardrails: every namespace carries Pod Security
 * labels, a ResourceQuota, a LimitRange and default-deny NetworkPolicies for
 * ingress and egress; every namespaced object names a namespace that exists.
 */
import { asArray, asObject, asString, describe, groupVersion, idOf, metadataOf } from '../manifests';
import { isEmptySelector } from '../workloads';
import type { GateContext, Manifest, RuleFamily } from '../types';

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

export const namespaceGuardrailRules: RuleFamily = {
  name: 'namespace-guardrails',
  rules: [
    { id: 'namespace.pss-labels', severity: 'error', description: 'Pod Security enforce/audit/warn labels, pinned' },
    { id: 'namespace.resource-quota', severity: 'error', description: 'a ResourceQuota in every namespace' },
    { id: 'namespace.limit-range', severity: 'error', description: 'a LimitRange in every namespace' },
    {
      id: 'namespace.default-deny',
      severity: 'error',
      description: 'default-deny NetworkPolicy for ingress and egress in every namespace',
    },
    { id: 'namespace.exists', severity: 'error', description: "every namespaced object's namespace exists" },
  ],
  check(ctx, report) {
    const namespaces = ctx.manifests.filter((m) => m.object.kind === 'Namespace');
    // Objects by kind and namespace, indexed once: a scan of every manifest per namespace
    // and kind made this rule quadratic (7 s for 1,000 tenant namespaces, 10,000 objects).
    const byKindAndNamespace = new Map<string, Manifest[]>();
    for (const m of ctx.manifests) {
      const ns = metadataOf(m.object).namespace;
      if (typeof m.object.kind !== 'string' || ns === undefined) continue;
      const key = `${m.object.kind}\u0000${ns}`;
      const list = byKindAndNamespace.get(key);
      if (list) list.push(m);
      else byKindAndNamespace.set(key, [m]);
    }
    const inNamespace = (kind: string, ns: string): readonly Manifest[] =>
      byKindAndNamespace.get(`${kind}\u0000${ns}`) ?? [];
    for (const nsManifest of namespaces) {
      const meta = metadataOf(nsManifest.object);
      const ns = meta.name;
      for (const mode of ['enforce', 'audit', 'warn']) {
        const key = `pod-security.kubernetes.io/${mode}`;
        const level = meta.labels[key];
        if (!level || !PSS_LEVELS.includes(level)) {
          report(nsManifest, {
            rule: 'namespace.pss-labels',
            path: ['metadata', 'labels', key],
            message: level ? `${key} is "${level}", not a Pod Security level` : `has no ${key} label`,
            fix: `set ${key} to restricted (or baseline/privileged with a documented exception)`,
          });
        }
        const versionKey = `${key}-version`;
        const version = meta.labels[versionKey];
        if (level && version !== `v${ctx.kubernetesVersion}`) {
          report(nsManifest, {
            rule: 'namespace.pss-labels',
            severity:
              version === undefined || version === 'latest' || /^v\d+\.\d+$/.test(version) ? 'warning' : 'error',
            path: ['metadata', 'labels', versionKey],
            message:
              version === undefined || version === 'latest'
                ? `${versionKey} is ${version ?? 'unset'}: the policy floats with every cluster upgrade`
                : `${versionKey} is "${version}" but the target is Kubernetes ${ctx.kubernetesVersion}`,
            fix: `set ${versionKey}: v${ctx.kubernetesVersion}`,
          });
        }
      }
      if (inNamespace('ResourceQuota', ns).length === 0) {
        report(nsManifest, {
          rule: 'namespace.resource-quota',
          path: ['metadata', 'name'],
          message: `namespace ${ns} has no ResourceQuota`,
          fix: 'add a ResourceQuota limiting requests/limits of CPU and memory, pods, services and PVCs',
        });
      }
      if (inNamespace('LimitRange', ns).length === 0) {
        report(nsManifest, {
          rule: 'namespace.limit-range',
          path: ['metadata', 'name'],
          message: `namespace ${ns} has no LimitRange`,
          fix: 'add a LimitRange with container default/defaultRequest/min/max',
        });
      }
      const denies = inNamespace('NetworkPolicy', ns).map(defaultDenies);
      const missing = [!denies.some((d) => d.ingress) && 'ingress', !denies.some((d) => d.egress) && 'egress'].filter(
        (x): x is string => typeof x === 'string',
      );
      if (missing.length > 0) {
        report(nsManifest, {
          rule: 'namespace.default-deny',
          path: ['metadata', 'name'],
          message: `namespace ${ns} has no default-deny NetworkPolicy for ${missing.join(' and ')}`,
          fix: `add a NetworkPolicy with podSelector: {} and policyTypes [${missing.map((m) => (m === 'ingress' ? 'Ingress' : 'Egress')).join(', ')}] and no rules`,
        });
      }
    }
    const known = new Set([...BUILTIN_NAMESPACES, ...namespaces.map((m) => metadataOf(m.object).name)]);
    for (const m of ctx.manifests) {
      if (typeof m.object.kind !== 'string' || typeof m.object.apiVersion !== 'string') continue;
      const namespaced = isNamespaced(ctx, m);
      if (namespaced === undefined) continue;
      const ns = metadataOf(m.object).namespace;
      if (namespaced && !ns) {
        report(m, {
          rule: 'namespace.exists',
          path: ['metadata', 'namespace'],
          message: `${describe(idOf(m.object))} has no metadata.namespace; it would land in whatever namespace the tool applying it defaults to`,
          fix: 'set metadata.namespace explicitly',
        });
      } else if (namespaced && ns && !known.has(ns)) {
        report(m, {
          rule: 'namespace.exists',
          path: ['metadata', 'namespace'],
          message: `namespace "${ns}" is not defined in the manifests`,
          fix: `add a Namespace ${ns} (with its guardrails) or correct metadata.namespace`,
        });
      } else if (!namespaced && ns) {
        report(m, {
          rule: 'namespace.exists',
          severity: 'warning',
          path: ['metadata', 'namespace'],
          message: `${m.object.kind} is cluster-scoped; metadata.namespace "${ns}" is ignored`,
          fix: 'remove metadata.namespace',
        });
      }
    }
  },
};
