/**
 * Every version the platform pins, in one place: Kubernetes minors, the k3s and
 * gVisor releases installed on Hetzner nodes, default images, and the Helm chart
 * of every add-on. Bump here; the stack files may override an add-on's chart
 * version per environment (for a staged rollout), nothing else.
 */

/** Kubernetes minors the platform supports; schemas for each are validated against. */
export const SUPPORTED_KUBERNETES_MINORS = ['1.28', '1.31', '1.34'] as const;
export type KubernetesMinor = (typeof SUPPORTED_KUBERNETES_MINORS)[number];

/** k3s release per Kubernetes minor (Hetzner clusters). */
export const K3S_RELEASES: Record<KubernetesMinor, string> = {
  '1.28': 'v1.28.15+k3s1',
  '1.31': 'v1.31.14+k3s1',
  '1.34': 'v1.34.2+k3s1',
};

/**
 * Kubernetes minors EKS still offers, with the end of standard and extended support
 * (extended support bills an extra hourly fee per cluster). EKS ended 1.28 on
 * 2025-11-26, so it is absent: an aws environment on it is refused.
 */
export const EKS_SUPPORT: Partial<Record<KubernetesMinor, { standardEnds: string; extendedEnds: string }>> = {
  '1.31': { standardEnds: '2025-11-26', extendedEnds: '2026-11-26' },
  '1.34': { standardEnds: '2026-12-02', extendedEnds: '2027-12-02' },
};

/** gVisor release installed on gVisor pools (runsc + containerd-shim-runsc-v1). */
export const GVISOR_RELEASE = '20251110.0';

/** Cluster autoscaler image tag per Kubernetes minor (must match the minor). */
export const CLUSTER_AUTOSCALER_TAGS: Record<KubernetesMinor, string> = {
  '1.28': 'v1.28.7',
  '1.31': 'v1.31.3',
  '1.34': 'v1.34.1',
};

export type AddonName =
  | 'keda'
  | 'vpa'
  | 'metricsServer'
  | 'prometheusAdapter'
  | 'kubePrometheusStack'
  | 'falco'
  | 'vault'
  | 'istioBase'
  | 'istioCni'
  | 'istiod'
  | 'istioGateway'
  | 'clusterAutoscaler'
  | 'hcloudCcm'
  | 'hcloudCsi'
  | 'certManager'
  | 'externalDns'
  | 'fluentBit'
  | 'falcosidekick';

export interface ChartPin {
  readonly chart: string;
  readonly repository: string;
  readonly version: string;
}

export const ADDON_CHARTS: Record<AddonName, ChartPin> = {
  keda: { chart: 'keda', repository: 'https://kedacore.github.io/charts', version: '2.20.2' },
  vpa: { chart: 'vpa', repository: 'https://charts.fairwinds.com/stable', version: '4.10.1' },
  metricsServer: {
    chart: 'metrics-server',
    repository: 'https://kubernetes-sigs.github.io/metrics-server/',
    version: '3.13.0',
  },
  prometheusAdapter: {
    chart: 'prometheus-adapter',
    repository: 'https://prometheus-community.github.io/helm-charts',
    version: '5.2.0',
  },
  kubePrometheusStack: {
    chart: 'kube-prometheus-stack',
    repository: 'https://prometheus-community.github.io/helm-charts',
    version: '79.5.0',
  },
  falco: { chart: 'falco', repository: 'https://falcosecurity.github.io/charts', version: '7.0.1' },
  vault: { chart: 'vault', repository: 'https://helm.releases.hashicorp.com', version: '0.31.0' },
  istioBase: { chart: 'base', repository: 'https://istio-release.storage.googleapis.com/charts', version: '1.30.3' },
  istioCni: { chart: 'cni', repository: 'https://istio-release.storage.googleapis.com/charts', version: '1.30.3' },
  istiod: { chart: 'istiod', repository: 'https://istio-release.storage.googleapis.com/charts', version: '1.30.3' },
  istioGateway: {
    chart: 'gateway',
    repository: 'https://istio-release.storage.googleapis.com/charts',
    version: '1.30.3',
  },
  clusterAutoscaler: {
    chart: 'cluster-autoscaler',
    repository: 'https://kubernetes.github.io/autoscaler',
    version: '9.52.1',
  },
  hcloudCcm: {
    chart: 'hcloud-cloud-controller-manager',
    repository: 'https://charts.hetzner.cloud',
    version: '1.27.0',
  },
  hcloudCsi: { chart: 'hcloud-csi', repository: 'https://charts.hetzner.cloud', version: '2.18.0' },
  // The jetstack repository publishes it as v1.21.1; Helm's semver match accepts 1.21.1.
  certManager: { chart: 'cert-manager', repository: 'https://charts.jetstack.io', version: '1.21.1' },
  externalDns: {
    chart: 'external-dns',
    repository: 'https://kubernetes-sigs.github.io/external-dns/',
    version: '1.21.1',
  },
  fluentBit: { chart: 'fluent-bit', repository: 'https://fluent.github.io/helm-charts', version: '0.58.1' },
  falcosidekick: { chart: 'falcosidekick', repository: 'https://falcosecurity.github.io/charts', version: '0.14.0' },
};

export const ADDON_NAMES = Object.keys(ADDON_CHARTS) as AddonName[];
