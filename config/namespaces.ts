/**
 * The platform's namespaces: which exist, under what name, at which Pod Security
 * level and whether the mesh injects them. Charts create them (with guardrails);
 * add-ons install into them; the gate checks what runs in them against the level.
 */
import type { PodSecurityLevel } from './schema';

export const PLATFORM_NAMESPACE_KEYS = [
  'control-plane',
  'agents',
  'ingress',
  'vault',
  'monitoring',
  'node-monitoring',
  'falco',
  'istio-system',
  'keda',
  'vpa',
  'system-upgrade',
  'cert-manager',
  'external-dns',
  'logging',
  'backup',
] as const;
export type PlatformNamespaceKey = (typeof PLATFORM_NAMESPACE_KEYS)[number];

/** What an enabled-check needs to know; kept minimal so config/ has no cycle. */
export interface NamespaceEnablement {
  readonly agents: boolean;
  /** k3s on Hetzner: nodes upgrade in place through system-upgrade-controller. */
  readonly inPlaceNodeUpgrades?: boolean;
  readonly addons: {
    readonly vault: boolean;
    readonly kubePrometheusStack: boolean;
    readonly falco: boolean;
    readonly istio: boolean;
    readonly keda: boolean;
    readonly vpa: boolean;
    readonly certManager: boolean;
    readonly externalDns: boolean;
    readonly fluentBit: boolean;
    /** Velero (where the environment declares `backup`). */
    readonly backup: boolean;
  };
}

export interface PlatformNamespaceDefinition {
  readonly key: PlatformNamespaceKey;
  /** false for names add-ons expect verbatim (istio-system). */
  readonly prefixed: boolean;
  readonly podSecurity: PodSecurityLevel;
  readonly mesh: boolean;
  readonly purpose: string;
  /** Why a level below restricted is unavoidable; required for anything but restricted. */
  readonly exception?: string;
  readonly enabled: (e: NamespaceEnablement) => boolean;
}

export const PLATFORM_NAMESPACES: readonly PlatformNamespaceDefinition[] = [
  {
    key: 'control-plane',
    prefixed: true,
    podSecurity: 'restricted',
    mesh: true,
    purpose: 'the control-plane API (orchestrator)',
    enabled: () => true,
  },
  {
    key: 'agents',
    prefixed: true,
    podSecurity: 'restricted',
    // Agent pods run under gVisor and reach only the API and the internet on 443;
    // they are isolated by NetworkPolicy, not by sidecars.
    mesh: false,
    purpose: 'agent session pods and the warm pool (gVisor)',
    enabled: (e) => e.agents,
  },
  {
    key: 'ingress',
    prefixed: true,
    podSecurity: 'restricted',
    mesh: true,
    purpose: 'the Istio ingress gateway',
    enabled: (e) => e.addons.istio,
  },
  {
    key: 'vault',
    prefixed: true,
    podSecurity: 'restricted',
    mesh: false,
    purpose: 'Vault HA (integrated storage) and its agent injector',
    enabled: (e) => e.addons.vault,
  },
  {
    key: 'monitoring',
    prefixed: true,
    podSecurity: 'restricted',
    mesh: false,
    purpose: 'Prometheus, Alertmanager, the operator, kube-state-metrics and prometheus-adapter',
    enabled: (e) => e.addons.kubePrometheusStack,
  },
  {
    key: 'node-monitoring',
    prefixed: true,
    podSecurity: 'privileged',
    mesh: false,
    purpose: 'the Prometheus node exporter DaemonSet',
    exception:
      'node-exporter reads the host through hostNetwork, hostPID and hostPath mounts of /proc, /sys and /, which baseline forbids; it is isolated here so that monitoring stays restricted',
    enabled: (e) => e.addons.kubePrometheusStack,
  },
  {
    key: 'falco',
    prefixed: true,
    podSecurity: 'privileged',
    mesh: false,
    purpose: 'Falco runtime security DaemonSet',
    exception:
      'Falco loads an eBPF probe and reads host state: it needs privileged containers and hostPath mounts; it is alone in this namespace',
    enabled: (e) => e.addons.falco,
  },
  {
    key: 'istio-system',
    prefixed: false,
    podSecurity: 'restricted',
    mesh: false,
    purpose: 'istiod (the Istio CNI node agent runs in kube-system, so meshed pods need no NET_ADMIN)',
    enabled: (e) => e.addons.istio,
  },
  {
    key: 'keda',
    prefixed: false,
    podSecurity: 'restricted',
    mesh: false,
    purpose: 'KEDA operator, metrics API server and admission webhooks',
    enabled: (e) => e.addons.keda,
  },
  {
    key: 'vpa',
    prefixed: false,
    podSecurity: 'restricted',
    mesh: false,
    purpose: 'Vertical Pod Autoscaler recommender (and updater/admission controller where enabled)',
    enabled: (e) => e.addons.vpa,
  },
  {
    key: 'system-upgrade',
    // The name rancher/system-upgrade-controller's release manifest uses.
    prefixed: false,
    podSecurity: 'privileged',
    mesh: false,
    purpose: 'system-upgrade-controller and its node upgrade Jobs (k3s releases, OS security updates)',
    exception:
      'each upgrade Job replaces the k3s binary or patches and reboots its node: upstream runs it privileged with hostPID, hostIPC, hostNetwork and the host root mounted (rancher/system-upgrade-controller pkg/upgrade/job/job.go); only the controller and those Jobs run here',
    enabled: (e) => e.inPlaceNodeUpgrades === true,
  },
  {
    key: 'cert-manager',
    prefixed: false,
    podSecurity: 'restricted',
    mesh: false,
    purpose: 'cert-manager: controller, webhook and CA injector; the internal CA key lives here',
    enabled: (e) => e.addons.certManager,
  },
  {
    key: 'external-dns',
    prefixed: false,
    podSecurity: 'restricted',
    mesh: false,
    purpose: "external-dns: the API host's record in the environment's zone",
    enabled: (e) => e.addons.externalDns,
  },
  {
    key: 'logging',
    prefixed: true,
    podSecurity: 'privileged',
    mesh: false,
    purpose: 'the Fluent Bit DaemonSet shipping container and audit logs',
    exception:
      'Fluent Bit reads container logs and the API audit log from the node through hostPath mounts (/var/log, the k3s audit directory), which baseline forbids; it is alone in this namespace',
    enabled: (e) => e.addons.fluentBit,
  },
  {
    key: 'backup',
    prefixed: true,
    podSecurity: 'privileged',
    mesh: false,
    purpose: 'Velero: scheduled backups of objects and volumes to the object storage',
    exception:
      "Velero's node agent reads every pod's volumes through a hostPath mount of /var/lib/kubelet/pods, as root, to back them up file by file (Kopia); baseline forbids hostPath. Only Velero runs here",
    enabled: (e) => e.addons.backup,
  },
];
