/**
 * Every version the platform pins, in one place: Kubernetes minors, the k3s and
 * gVisor releases installed on Hetzner nodes, default images, and the Helm chart
 * of every add-on. Bump here; the stack files may override an add-on's chart
 * version per environment (for a staged rollout), nothing else. Which versions
 * support which Kubernetes minor is config/kubernetes-support.ts; a pin must be
 * one of its known versions (a test holds them together).
 */

import type { AddonName } from './addon-names';
import {
  KUBERNETES_SUPPORT,
  SUPPORTED_KUBERNETES_MINORS,
  type EksSupport,
  type KubernetesMinor,
} from './kubernetes-support';

/** The supported minors and their facts live in config/kubernetes-support.ts; these are views of it. */
export { SUPPORTED_KUBERNETES_MINORS, type KubernetesMinor } from './kubernetes-support';

function perMinor<T>(pick: (minor: KubernetesMinor) => T | undefined): Partial<Record<KubernetesMinor, T>> {
  const entries = SUPPORTED_KUBERNETES_MINORS.map((m) => [m, pick(m)] as const).filter(([, v]) => v !== undefined);
  return Object.fromEntries(entries) as Partial<Record<KubernetesMinor, T>>;
}

/** k3s release per Kubernetes minor (Hetzner clusters). */
export const K3S_RELEASES = perMinor((m) => KUBERNETES_SUPPORT[m].k3sRelease) as Record<KubernetesMinor, string>;

/**
 * Kubernetes minors EKS still offers, with the end of standard and extended support
 * (extended support bills an extra hourly fee per cluster). A minor absent here is
 * refused on aws.
 */
export const EKS_SUPPORT: Partial<Record<KubernetesMinor, EksSupport>> = perMinor((m) => KUBERNETES_SUPPORT[m].eks);

/**
 * The Vault agent image the injector adds to agent pods (`injector.agentImage` of the vault
 * chart, whose 0.31.0 default is hashicorp/vault:1.20.4). Agent pods admit it by this exact
 * reference, so it is pinned here and passed to the chart, never left to its default.
 */
export const VAULT_AGENT_IMAGE = { repository: 'docker.io/hashicorp/vault', tag: '1.20.4' } as const;
export const VAULT_AGENT_IMAGE_REF = `${VAULT_AGENT_IMAGE.repository}:${VAULT_AGENT_IMAGE.tag}`;

/** gVisor release installed on gVisor pools (runsc + containerd-shim-runsc-v1); see GVISOR_SUPPORT. */
export const GVISOR_RELEASE = '20251110.0';

/** Cluster autoscaler image tag per Kubernetes minor (must match the minor). */
export const CLUSTER_AUTOSCALER_TAGS = perMinor((m) => KUBERNETES_SUPPORT[m].clusterAutoscalerTag) as Record<
  KubernetesMinor,
  string
>;

/** The add-on names live in a leaf module both this file and kubernetes-support.ts read. */
export type { AddonName } from './addon-names';

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
    version: '1.35.0',
  },
  hcloudCsi: { chart: 'hcloud-csi', repository: 'https://charts.hetzner.cloud', version: '2.22.1' },
  snapshotController: {
    chart: 'snapshot-controller',
    repository: 'https://piraeus.io/helm-charts/',
    version: '5.2.0',
  },
  // The jetstack repository publishes it as v1.21.1; Helm's semver match accepts 1.21.1.
  certManager: { chart: 'cert-manager', repository: 'https://charts.jetstack.io', version: '1.21.1' },
  externalDns: {
    chart: 'external-dns',
    repository: 'https://kubernetes-sigs.github.io/external-dns/',
    version: '1.21.1',
  },
  fluentBit: { chart: 'fluent-bit', repository: 'https://fluent.github.io/helm-charts', version: '0.58.1' },
  falcosidekick: { chart: 'falcosidekick', repository: 'https://falcosecurity.github.io/charts', version: '0.14.0' },
  velero: { chart: 'velero', repository: 'https://vmware-tanzu.github.io/helm-charts', version: '12.1.0' },
  awsLoadBalancerController: {
    chart: 'aws-load-balancer-controller',
    repository: 'https://aws.github.io/eks-charts',
    version: '3.5.0',
  },
  nvidiaDevicePlugin: {
    chart: 'nvidia-device-plugin',
    repository: 'https://nvidia.github.io/k8s-device-plugin',
    version: '0.20.0',
  },
};

/**
 * Images of the backup pieces (config/backup.ts). The AWS object-store plugin's 1.14
 * line is the one built against Velero 1.18 (chart 12.1.0's default image is
 * velero/velero:v1.18.1; vmware-tanzu/velero discussions #10508, #10563). The Vault
 * CLI matches the server image of the vault chart 0.31.0 (values.yaml `server.image`).
 */
export const BACKUP_IMAGES = {
  veleroAwsPlugin: 'velero/velero-plugin-for-aws:v1.14.4',
  vaultCli: 'hashicorp/vault:1.20.4',
  // amazon/aws-cli 2.22.0 (2024-11) is the newest tag checked here; bump with the other pins.
  awsCli: 'amazon/aws-cli:2.22.0',
} as const;

export const ADDON_NAMES = Object.keys(ADDON_CHARTS) as AddonName[];

/**
 * rancher/system-upgrade-controller: upgrades k3s nodes in place from Plans in dist/ (hcloud).
 * A run-time consumer applies the release artifacts (scripts/package-controller at the tag:
 * the kustomized manifest with the image pinned to this version, and crd.yaml); tests read
 * the same files from ../shared/manifests/system-upgrade-controller/<version>/ and ../shared/crds/.
 */
export const SYSTEM_UPGRADE_CONTROLLER = {
  version: 'v0.20.1',
  manifestUrl:
    'https://github.com/rancher/system-upgrade-controller/releases/download/v0.20.1/system-upgrade-controller.yaml',
  crdUrl: 'https://github.com/rancher/system-upgrade-controller/releases/download/v0.20.1/crd.yaml',
  /** Namespace and ServiceAccount the upstream manifest creates. */
  namespace: 'system-upgrade',
  serviceAccount: 'system-upgrade',
} as const;

/** Image that replaces the k3s binary on a node; the controller tags it with the Plan's version (`+` → `-`). */
export const K3S_UPGRADE_IMAGE = 'rancher/k3s-upgrade';

/** Image of the OS security update job (it chroots into the host, Ubuntu 24.04 like the servers). */
export const OS_UPDATE_IMAGE = 'ubuntu:24.04';
