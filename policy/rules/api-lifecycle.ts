/**
 * Which built-in API versions the target Kubernetes minor deprecates or no longer
 * serves (data for the schema family), and minor-version arithmetic.
 */

export interface Lifecycle {
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
