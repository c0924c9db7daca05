/**
 * The Kubernetes minors the platform supports, as data: per minor its upstream end of
 * life, the k3s release Hetzner clusters run, the EKS support window, the cluster
 * autoscaler image built for it; and per pinned component (each add-on chart, gVisor)
 * the range of minors each known version supports. Each fact names its source.
 *
 * Moving the stacks to the next minor is a one-line change in their stack files once
 * `minorsFitting(...)` includes it; synth refuses a minor or a chart version that this
 * table says does not fit, naming what fits (config/kubernetes-support-check.ts).
 *
 * Last checked 2026-12-02. Upstream also released Kubernetes 1.37 (2026-08-26,
 * kubernetes.io/releases/1.37) and k3s v1.37.0+k3s1 (2026-09-15); it is not listed
 * because the gate has no 1.37 schema in ../shared/k8s-schemas and no pinned KEDA
 * version supports it.
 */
import type { AddonName } from './addon-names';

/** Kubernetes minors the platform supports, oldest first. */
export const SUPPORTED_KUBERNETES_MINORS = ['1.35', '1.36'] as const;
export type KubernetesMinor = (typeof SUPPORTED_KUBERNETES_MINORS)[number];

export interface EksSupport {
  /** Last day of EKS standard support (yyyy-mm-dd). */
  readonly standardEnds: string;
  /** Last day of EKS extended support (billed extra per cluster hour); EKS auto-upgrades after it. */
  readonly extendedEnds: string;
}

export interface MinorSupport {
  readonly minor: KubernetesMinor;
  /** Upstream end of life (yyyy-mm-dd): no more patches after it. */
  readonly upstreamEndOfLife: string;
  /** Newest k3s release of this minor (Hetzner clusters, system-upgrade-controller plans). */
  readonly k3sRelease: string;
  /** EKS support window; absent when EKS does not offer the minor. */
  readonly eks?: EksSupport;
  /** Cluster autoscaler image tag built for this minor (the autoscaler's minor must match). */
  readonly clusterAutoscalerTag: string;
}

export const KUBERNETES_SUPPORT: Readonly<Record<KubernetesMinor, MinorSupport>> = {
  '1.35': {
    minor: '1.35',
    // kubernetes.io/releases/1.35: released 2025-12-17, maintenance mode 2026-12-28, EOL 2027-02-28.
    upstreamEndOfLife: '2027-02-28',
    // k3s-io/k3s PR #14544 "[release-1.35] Update to v1.35.8-k3s1" (2026-08 release cycle),
    // the newest 1.35 patch published; containerd 2.2.x (k3s v1.35.x release notes).
    k3sRelease: 'v1.35.8+k3s1',
    // endoflife.date/amazon-eks and docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html:
    // EKS 1.35 released 2026-01-28; standard support to 2027-03-27, extended to 2028-03-27.
    eks: { standardEnds: '2027-03-27', extendedEnds: '2028-03-27' },
    // kubernetes/autoscaler release cluster-autoscaler-1.35.1 (also kops
    // pkg/model/components/clusterautoscaler.go: case 35 → v1.35.1).
    clusterAutoscalerTag: 'v1.35.1',
  },
  '1.36': {
    minor: '1.36',
    // kubernetes.io/releases/1.36: released 2026-04-22, maintenance mode 2027-04-28, EOL 2027-06-28.
    upstreamEndOfLife: '2027-06-28',
    // k3s-io/k3s PR #14545 "[release-1.36] Update to v1.36.4-k3s1" and PR #14553
    // "Update stable to v1.36.4+k3s1" (2026-08-27); containerd 2.x.
    k3sRelease: 'v1.36.4+k3s1',
    // docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions-standard.html: EKS 1.36 from
    // 2026-06-02; standard support is 14 months (to 2027-08-02), extended support 12 more.
    eks: { standardEnds: '2027-08-02', extendedEnds: '2028-08-02' },
    // kubernetes/autoscaler release cluster-autoscaler-1.36.1 (registry.k8s.io/autoscaling/cluster-autoscaler:v1.36.1).
    clusterAutoscalerTag: 'v1.36.1',
  },
};

/** The range of Kubernetes minors one version of a component supports, and where that is written. */
export interface ComponentVersionSupport {
  readonly version: string;
  /** Oldest supported minor; absent when upstream states no lower bound within this table. */
  readonly oldest?: string;
  /** Newest supported minor; absent when upstream states no upper bound. */
  readonly newest?: string;
  /** Where upstream says so (also shown in refusals). */
  readonly source: string;
}

const istio1303: ComponentVersionSupport = {
  version: '1.30.3',
  oldest: '1.32',
  newest: '1.36',
  // istio.io/latest/docs/releases/supported-releases (Istio 1.30: Kubernetes 1.32–1.36; also
  // IBM Cloud's add-on table ">=1.32.0 <1.37.0" for Istio 1.30).
  source: 'istio.io/latest/docs/releases/supported-releases: Istio 1.30 supports Kubernetes 1.32 to 1.36',
};

/**
 * Per add-on chart: every version known here (the ones in ../shared/charts/, so each can be
 * checked offline) and the minors it supports. A stack-file override must be one of these.
 */
export const CHART_SUPPORT: Readonly<Record<AddonName, readonly ComponentVersionSupport[]>> = {
  keda: [
    {
      version: '2.20.2',
      oldest: '1.33',
      newest: '1.35',
      // keda.sh/docs/2.20/operate/cluster "Kubernetes Compatibility": v2.20 → v1.33 - v1.35.
      source: 'keda.sh/docs/2.20/operate/cluster: KEDA 2.20 is tested on Kubernetes 1.33 to 1.35',
    },
  ],
  vpa: [
    // FairwindsOps/charts stable/vpa Chart.yaml kubeVersion (../shared/charts/vpa/<v>/Chart.yaml).
    { version: '4.10.1', oldest: '1.24', source: 'vpa chart 4.10.1 Chart.yaml: kubeVersion ">= 1.24.0-0" (VPA 1.4.1)' },
    { version: '5.0.0', oldest: '1.28', source: 'vpa chart 5.0.0 Chart.yaml: kubeVersion ">= 1.28.0-0" (VPA 1.7.1)' },
  ],
  metricsServer: [
    // kubernetes-sigs/metrics-server charts/metrics-server Chart.yaml: no kubeVersion.
    { version: '3.13.0', source: 'metrics-server chart 3.13.0 Chart.yaml: no kubeVersion constraint' },
    { version: '3.13.1', source: 'metrics-server chart 3.13.1 Chart.yaml: no kubeVersion constraint' },
  ],
  prometheusAdapter: [
    // prometheus-community/helm-charts charts/prometheus-adapter README "To 5.0.0": Kubernetes >= 1.21.
    { version: '5.2.0', oldest: '1.21', source: 'prometheus-adapter chart README (5.x): Kubernetes >= 1.21' },
    { version: '5.3.0', oldest: '1.21', source: 'prometheus-adapter chart README (5.x): Kubernetes >= 1.21' },
  ],
  kubePrometheusStack: [
    // prometheus-community/helm-charts charts/kube-prometheus-stack Chart.yaml kubeVersion.
    { version: '79.5.0', oldest: '1.25', source: 'kube-prometheus-stack 79.5.0 Chart.yaml: kubeVersion ">=1.25.0-0"' },
    { version: '88.5.3', oldest: '1.25', source: 'kube-prometheus-stack 88.5.3 Chart.yaml: kubeVersion ">=1.25.0-0"' },
  ],
  falco: [
    // falcosecurity/charts charts/falco Chart.yaml: no kubeVersion (a node agent reading syscalls).
    { version: '7.0.1', source: 'falco chart 7.0.1 Chart.yaml: no kubeVersion constraint' },
    { version: '9.1.0', source: 'falco chart 9.1.0 Chart.yaml: no kubeVersion constraint' },
  ],
  vault: [
    // hashicorp/vault-helm Chart.yaml kubeVersion.
    { version: '0.31.0', oldest: '1.20', source: 'vault chart 0.31.0 Chart.yaml: kubeVersion ">= 1.20.0-0"' },
    { version: '0.34.1', oldest: '1.20', source: 'vault chart 0.34.1 Chart.yaml: kubeVersion ">= 1.20.0-0"' },
  ],
  istioBase: [istio1303],
  istioCni: [istio1303],
  istiod: [istio1303],
  istioGateway: [istio1303],
  clusterAutoscaler: [
    // kubernetes/autoscaler cluster-autoscaler/charts Chart.yaml: no kubeVersion; the image tag,
    // which must match the minor, comes from KUBERNETES_SUPPORT[minor].clusterAutoscalerTag.
    { version: '9.52.1', source: 'cluster-autoscaler chart 9.52.1: no kubeVersion; image tag set per minor' },
    { version: '9.59.0', source: 'cluster-autoscaler chart 9.59.0: no kubeVersion; image tag set per minor' },
  ],
  hcloudCcm: [
    // hetznercloud/hcloud-cloud-controller-manager docs/reference/version-policy.md at each tag.
    {
      version: '1.27.0',
      oldest: '1.31',
      newest: '1.34',
      source: 'hcloud-cloud-controller-manager v1.27.0 docs/reference/version-policy.md: Kubernetes 1.31 to 1.34',
    },
    {
      version: '1.35.0',
      oldest: '1.33',
      newest: '1.36',
      source: 'hcloud-cloud-controller-manager v1.35.0 docs/reference/version-policy.md: Kubernetes 1.33 to 1.36',
    },
  ],
  velero: [
    // vmware-tanzu/helm-charts charts/velero Chart.yaml kubeVersion (../shared/charts/velero/12.1.0).
    {
      version: '12.1.0',
      oldest: '1.16',
      source: 'velero chart 12.1.0 Chart.yaml: kubeVersion ">=1.16.0-0" (Velero 1.18.1)',
    },
  ],
  awsLoadBalancerController: [
    // kubernetes-sigs/aws-load-balancer-controller docs/deploy/installation.md at v3.5.0 (the
    // chart has no kubeVersion): "v2.5.0+ requires Kubernetes 1.22+".
    {
      version: '3.5.0',
      oldest: '1.22',
      source: 'aws-load-balancer-controller v3.5.0 docs/deploy/installation.md: v2.5.0+ requires Kubernetes 1.22+',
    },
  ],
  nvidiaDevicePlugin: [
    // NVIDIA/k8s-device-plugin deployments/helm/nvidia-device-plugin Chart.yaml (../shared/charts/nvidia-device-plugin/0.20.0).
    {
      version: '0.20.0',
      oldest: '1.10',
      source: 'nvidia-device-plugin chart 0.20.0 Chart.yaml: kubeVersion ">= 1.10.0-0"',
    },
  ],
  hcloudCsi: [
    // hetznercloud/csi-driver docs/kubernetes (README at v2.18.0, reference/version-policy.md at v2.22.1).
    {
      version: '2.18.0',
      oldest: '1.31',
      newest: '1.34',
      source: 'hetznercloud/csi-driver v2.18.0 docs/kubernetes/README.md versioning policy: Kubernetes 1.31 to 1.34',
    },
    {
      version: '2.22.1',
      oldest: '1.33',
      newest: '1.36',
      source: 'hetznercloud/csi-driver v2.22.1 docs/kubernetes/reference/version-policy.md: Kubernetes 1.33 to 1.36',
    },
  ],
  // The edge add-ons: each chart's Chart.yaml (../shared/charts/<chart>/<version>/Chart.yaml).
  certManager: [
    { version: '1.21.1', oldest: '1.22', source: 'cert-manager chart v1.21.1 Chart.yaml: kubeVersion ">= 1.22.0-0"' },
  ],
  snapshotController: [
    {
      version: '5.2.0',
      oldest: '1.25',
      source:
        'piraeusdatastore/helm-charts snapshot-controller 5.2.0 Chart.yaml: kubeVersion ">= 1.25.0-0" (external-snapshotter v8.6.0)',
    },
  ],
  externalDns: [{ version: '1.21.1', source: 'external-dns chart 1.21.1 Chart.yaml: no kubeVersion constraint' }],
  fluentBit: [{ version: '0.58.1', source: 'fluent-bit chart 0.58.1 Chart.yaml: no kubeVersion constraint' }],
  falcosidekick: [{ version: '0.14.0', source: 'falcosidekick chart 0.14.0 Chart.yaml: no kubeVersion constraint' }],
};

/**
 * gVisor runs below the kubelet as a containerd shim (`runtime_type =
 * "io.containerd.runsc.v1"`), so a release does not depend on the Kubernetes minor; it needs
 * the containerd shim v2 API, which every k3s release above (containerd 2.x) and EKS AL2023
 * nodes provide. gvisor.dev/docs/user_guide/containerd/quick_start.
 */
export const GVISOR_SUPPORT: readonly ComponentVersionSupport[] = [
  {
    version: '20251110.0',
    source: 'gvisor.dev/docs/user_guide/containerd/quick_start: a containerd shim, independent of the Kubernetes minor',
  },
];

/** `1.35` → [1, 35]. */
function minorParts(minor: string): [number, number] {
  const [major, rest] = minor.split('.');
  return [Number(major), Number(rest)];
}

/** Negative when a < b, 0 when equal, positive when a > b (`1.9` < `1.35`). */
export function compareMinors(a: string, b: string): number {
  const [am, an] = minorParts(a);
  const [bm, bn] = minorParts(b);
  return am !== bm ? am - bm : an - bn;
}

/** The minor after `minor` (`1.35` → `1.36`). */
export function nextMinor(minor: string): string {
  const [major, rest] = minorParts(minor);
  return `${major}.${rest + 1}`;
}

export function isSupportedMinor(minor: string): minor is KubernetesMinor {
  return (SUPPORTED_KUBERNETES_MINORS as readonly string[]).includes(minor);
}

/** Whether this component version supports the minor. */
export function supportsMinor(support: ComponentVersionSupport, minor: string): boolean {
  return (
    (support.oldest === undefined || compareMinors(minor, support.oldest) >= 0) &&
    (support.newest === undefined || compareMinors(minor, support.newest) <= 0)
  );
}

/** `1.33 to 1.35`, `1.24 and newer`, `up to 1.34`, `any`. */
export function describeRange(support: ComponentVersionSupport): string {
  if (support.oldest && support.newest) return `${support.oldest} to ${support.newest}`;
  if (support.oldest) return `${support.oldest} and newer`;
  if (support.newest) return `up to ${support.newest}`;
  return 'any minor';
}

export function chartSupport(addon: AddonName, version: string): ComponentVersionSupport | undefined {
  return CHART_SUPPORT[addon].find((s) => s.version === version);
}

/** The known versions of an add-on's chart that support a minor. */
export function chartVersionsFitting(addon: AddonName, minor: string): string[] {
  return CHART_SUPPORT[addon].filter((s) => supportsMinor(s, minor)).map((s) => s.version);
}

/**
 * The supported minors every given chart version supports (unknown versions support none).
 * With the pinned versions this is where the stacks may go; its last entry is the newest.
 */
export function minorsFitting(charts: Readonly<Partial<Record<AddonName, string>>>): KubernetesMinor[] {
  return SUPPORTED_KUBERNETES_MINORS.filter((minor) =>
    Object.entries(charts).every(([addon, version]) => {
      const support = chartSupport(addon as AddonName, version!);
      return support !== undefined && supportsMinor(support, minor);
    }),
  );
}

/** Per minor, the versions of every component that support it: the table read the other way. */
export function componentsFor(minor: KubernetesMinor): {
  readonly minor: MinorSupport;
  readonly charts: Readonly<Record<AddonName, readonly string[]>>;
  readonly gvisor: readonly string[];
} {
  const charts = Object.fromEntries(
    (Object.keys(CHART_SUPPORT) as AddonName[]).map((addon) => [addon, chartVersionsFitting(addon, minor)]),
  ) as Record<AddonName, string[]>;
  return {
    minor: KUBERNETES_SUPPORT[minor],
    charts,
    gvisor: GVISOR_SUPPORT.filter((s) => supportsMinor(s, minor)).map((s) => s.version),
  };
}

/** Whole days from `from` to `to` (yyyy-mm-dd, UTC). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
