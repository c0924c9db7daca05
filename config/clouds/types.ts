/**
 * The shape of a cloud profile: everything the model, the cloud modules and the cost
 * tool need to know about one cloud, as data. Adding a cloud is one profile here
 * (`config/clouds/<cloud>.ts`, listed in `index.ts`) plus one folder under `infra/`.
 */

/** The clouds the model supports (`cloud.provider`). */
export const CLOUDS = ['hcloud', 'aws'] as const;
export type Cloud = (typeof CLOUDS)[number];
export type Architecture = 'x86_64' | 'arm64';
export type Currency = 'EUR' | 'USD';

export interface InstanceType {
  readonly cloud: Cloud;
  readonly name: string;
  readonly vcpu: number;
  readonly memoryGiB: number;
  readonly gpus: number;
  readonly architecture: Architecture;
  /** List price per month, on demand, in `currency`, when known. */
  readonly monthlyPrice?: number;
  readonly currency: Currency;
  /** Set on types the provider no longer sells: the current equivalent. */
  readonly deprecatedBy?: string;
}

export type ServicePriceUnit = 'month' | 'GiB-month';

export interface ServicePrice {
  readonly cloud: Cloud;
  /** Stable key: `load-balancer:lb11`, `volume`, `eks-cluster`, `nat-gateway`, `nlb`, `ebs-gp3`. */
  readonly key: string;
  readonly description: string;
  readonly price: number;
  readonly unit: ServicePriceUnit;
  readonly currency: Currency;
}

/** A problem with `cloud.*`, relative to the cloud section (`path` follows `cloud`). */
export interface CloudProblem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly input?: unknown;
}

/** The `cloud` section of a stack file, as the profile rules read it. */
export interface CloudSection {
  readonly region: string;
  readonly locations: readonly string[];
  readonly networkCidr: string;
}

/** How the cloud runs the Kubernetes control plane. */
export type ControlPlane =
  /** Servers of a `control-plane` pool run it (k3s): a fixed, odd count for etcd. */
  | { readonly kind: 'servers'; readonly serverCounts: readonly number[]; readonly what: string }
  /** The provider runs it (EKS): a `control-plane` pool is refused with `refusal`. */
  | { readonly kind: 'managed'; readonly refusal: string };

export interface CloudProfile {
  readonly id: Cloud;
  /** `Hetzner Cloud`, `AWS`: for messages and reports. */
  readonly displayName: string;
  /** The Kubernetes distribution the cloud module installs. */
  readonly distribution: 'k3s' | 'eks';
  /** Rules on `cloud.locations`, `cloud.region` and `cloud.networkCidr` (run by the resolver). */
  readonly cloudProblems: (cloud: CloudSection) => CloudProblem[];
  readonly controlPlane: ControlPlane;
  /** Why a `capacity: spot` pool is refused; undefined when the cloud sells spot capacity. */
  readonly spotRefusal?: string;
  /** Why `alternativeInstanceTypes` is refused; undefined when node groups may mix types. */
  readonly alternativeTypesRefusal?: string;
  /** Warn when a gVisor pool runs on arm64 (runsc works there, but is less tested). */
  readonly warnGvisorOnArm64: boolean;
  /** Nodes are upgraded in place (system-upgrade-controller Plans), not replaced by the provider. */
  readonly inPlaceNodeUpgrades: boolean;
  /** Add-ons that exist only on this cloud (on by default here, refused elsewhere): key → what it is. */
  readonly ownAddons: Readonly<Record<string, string>>;
  /** Where metrics-server comes from unless the stack file says: bundled by the distribution, or a chart. */
  readonly metricsServerSource: 'distribution' | 'chart';
  /** Volume backups: Velero file-system backups, or CSI snapshots. */
  readonly volumeBackups: 'file-system' | 'csi-snapshots';
  /** How backup jobs reach the bucket: keys in a Secret, or the cloud's workload identity (EKS Pod Identity). */
  readonly backupCredentials: 'secret' | 'workload-identity';
  /**
   * The source addresses a pod on one node sees when a host-network pod (or any host
   * process) on another node connects to it: NetworkPolicy matches those, never the
   * sending pod's labels, so an ingress that admits a host-network client lists them.
   */
  readonly hostTrafficSources: (cloud: CloudSection) => readonly string[];
  /** Fixed limits of the cloud (checked by the cloud module's spec check). */
  readonly limits: Readonly<Record<string, number>>;
  readonly catalogue: {
    readonly instanceTypes: readonly InstanceType[];
    readonly currency: Currency;
    /** The date the instance prices were recorded, and where. */
    readonly pricesAsOf: string;
    readonly priceSource: string;
    readonly servicePrices: readonly ServicePrice[];
    readonly servicePricesAsOf: string;
    readonly servicePriceSource: string;
    /** A node's root volume, when the cloud bills it apart from the server: its service price (per GiB) and name. */
    readonly rootVolume?: { readonly priceKey: string; readonly name: string };
  };
}
