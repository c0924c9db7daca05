/**
 * Rule family 1, schema: every object validates against the schema of the
 * target Kubernetes minor (built-in kinds) or of its CRD version (custom kinds),
 * with unknown fields as errors; APIs removed in the target version are errors,
 * deprecated ones warnings.
 */
import { asString, describe, groupVersion, idOf, isObject } from '../manifests';
import type { RuleFamily } from '../types';

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

export const schemaRules: RuleFamily = {
  name: 'schema',
  rules: [
    { id: 'schema.identity', severity: 'error', description: 'apiVersion, kind and metadata.name are set' },
    { id: 'schema.duplicate', severity: 'error', description: 'no two objects share kind, namespace and name' },
    {
      id: 'schema.unknown-kind',
      severity: 'error',
      description: 'the kind exists in the target Kubernetes version or in a known CRD',
    },
    { id: 'schema.invalid', severity: 'error', description: 'the object validates against its schema' },
    { id: 'schema.unknown-field', severity: 'error', description: 'no field the schema does not define' },
    { id: 'schema.removed-api', severity: 'error', description: 'no API version the target version no longer serves' },
    {
      id: 'schema.deprecated-api',
      severity: 'warning',
      description: 'no API version deprecated in the target version',
    },
  ],
  check(ctx, report) {
    const minor = ctx.kubernetesVersion;
    const seen = new Map<string, string>();
    for (const manifest of ctx.manifests) {
      const object = manifest.object;
      const apiVersion = asString(object.apiVersion);
      const kind = asString(object.kind);
      const name = asString(isObject(object.metadata) ? object.metadata.name : undefined);
      if (!apiVersion || !kind || !name) {
        const missing = [!apiVersion && 'apiVersion', !kind && 'kind', !name && 'metadata.name'].filter(Boolean);
        report(manifest, {
          rule: 'schema.identity',
          path: !apiVersion ? ['apiVersion'] : !kind ? ['kind'] : ['metadata', 'name'],
          message: `is not a Kubernetes object: ${missing.join(', ')} missing`,
          fix: `set ${missing.join(', ')}`,
        });
        continue;
      }
      const id = idOf(object);
      const key = `${groupVersion(apiVersion).group}/${kind}/${id.namespace ?? ''}/${name}`;
      const first = seen.get(key);
      if (first) {
        report(manifest, {
          rule: 'schema.duplicate',
          path: ['metadata', 'name'],
          message: `${describe(id)} is defined twice (first in ${first}); one would overwrite the other`,
          fix: 'rename one of them or remove the duplicate',
        });
      } else seen.set(key, manifest.file);

      const { group, version } = groupVersion(apiVersion);
      const lifecycle = lifecycleOf(group, version, kind);
      const builtin = ctx.schemas.builtinValidator(minor, group, version, kind);
      if (lifecycle?.removed && minorAtLeast(minor, lifecycle.removed)) {
        report(manifest, {
          rule: 'schema.removed-api',
          path: ['apiVersion'],
          message: `${apiVersion} ${kind} was removed in Kubernetes ${lifecycle.removed}; the target is ${minor}`,
          fix: `use ${lifecycle.replacement}`,
        });
        continue;
      }
      if (lifecycle?.deprecated && minorAtLeast(minor, lifecycle.deprecated)) {
        report(manifest, {
          rule: 'schema.deprecated-api',
          path: ['apiVersion'],
          message: `${apiVersion} ${kind} is deprecated since Kubernetes ${lifecycle.deprecated}${lifecycle.removed ? ` and removed in ${lifecycle.removed}` : ''}`,
          fix: `migrate to ${lifecycle.replacement}`,
        });
      }
      if (builtin) {
        for (const p of builtin(object)) {
          report(manifest, {
            rule: p.unknownField ? 'schema.unknown-field' : 'schema.invalid',
            path: p.path,
            message: p.message,
            fix: p.fix,
          });
        }
        continue;
      }
      const crd = ctx.crd(group, version, kind);
      if (!crd) {
        const otherVersions = ctx.crdVersions(group, kind);
        report(manifest, {
          rule: 'schema.unknown-kind',
          path: ['apiVersion'],
          message:
            otherVersions.length > 0
              ? `${apiVersion} ${kind}: its CRD serves only ${otherVersions.map((c) => `${c.group}/${c.version}`).join(', ')}`
              : group === '' || !group.includes('.')
                ? `${apiVersion} ${kind} is not a kind of Kubernetes ${minor}`
                : `${apiVersion} ${kind} is neither a built-in kind nor a CRD the gate knows (CRD locations: ${ctx.schemas.crdLocations.join(', ') || 'none'})`,
          fix:
            otherVersions.length > 0
              ? `use apiVersion ${otherVersions.map((c) => `${c.group}/${c.version}`).join(' or ')}`
              : 'correct apiVersion/kind, or pass the CRD with --crds <file, folder or URL>',
        });
        continue;
      }
      if (!crd.served) {
        report(manifest, {
          rule: 'schema.removed-api',
          path: ['apiVersion'],
          message: `${apiVersion} ${kind} is not served by its CRD (${crd.source})`,
          fix: `use ${crd.group}/${crd.storageVersion ?? 'the served version'}`,
        });
        continue;
      }
      if (crd.deprecated) {
        report(manifest, {
          rule: 'schema.deprecated-api',
          path: ['apiVersion'],
          message: crd.deprecationWarning ?? `${apiVersion} ${kind} is deprecated by its CRD`,
          fix: `use ${crd.group}/${crd.storageVersion ?? 'the storage version'}`,
        });
      }
      const validate = ctx.schemas.crdValidator(minor, crd);
      if (validate) {
        for (const p of validate(object)) {
          report(manifest, {
            rule: p.unknownField ? 'schema.unknown-field' : 'schema.invalid',
            path: p.path,
            message: p.message,
            fix: p.fix,
          });
        }
      }
    }
  },
};
