/**
 * What every add-on definition declares: its chart (from config/versions.ts), the
 * namespace it installs into, when it is enabled, what it depends on, which CRD
 * API groups and admission webhooks it brings, where its pods run, and its Helm
 * values derived from the environment model. One file per add-on implements this.
 */
import type * as pulumi from '@pulumi/pulumi';
import type { AddonName, ChartPin, EnvironmentSpec } from '../../config';
import type { ClusterResult } from '../cluster';

/**
 * Where an add-on's pods run.
 * - `system`: every pod on `spec.placement.system` (nodeSelector + tolerations of that pool).
 * - `workload-nodes`: a node agent (DaemonSet) needed on every node that may run meshed or
 *   volume-using pods: every pool except the agent pools.
 * - `every-node`: a node observer (DaemonSet) that must see every node, the agent pool
 *   included (node metrics, runtime security); its Deployments, if any, stay on the system pool.
 * - `gpu-nodes`: a node agent (DaemonSet) on the GPU pools only (config/cluster-needs.ts).
 * - `gvisor-nodes`: a node agent (DaemonSet) on the gVisor pools only (`gvisor: true`, the
 *   nodes labelled `agent-platform.io/gvisor=true`): Falco's gVisor-driver release.
 * - `none`: the chart installs no pods (CRDs and cluster objects only).
 */
export type AddonPlacement = 'system' | 'workload-nodes' | 'every-node' | 'gpu-nodes' | 'gvisor-nodes' | 'none';

/** Inputs a definition derives its values from. */
export interface AddonContext {
  readonly spec: EnvironmentSpec;
  readonly cluster: ClusterResult;
  /** The namespace the release installs into. */
  readonly namespace: string;
  /** Namespace of every enabled add-on, by name (for cross-add-on URLs). */
  readonly namespaces: Readonly<Partial<Record<AddonName, string>>>;
  /**
   * A pod-template checksum of an environment a pod reads from a Secret (config-checksum.ts),
   * given by the Pulumi layer so that definitions (which synth loads) import no Pulumi code.
   */
  readonly checksum: (env: Readonly<Record<string, pulumi.Input<string>>>) => pulumi.Input<string>;
}

/** Resources an add-on needs before its release (a Secret, say), created by the add-on layer. */
export interface AddonPrerequisiteArgs {
  readonly ctx: AddonContext;
  /** Logical-name prefix for the resources (`<component>-<addon>`). */
  readonly name: string;
  readonly opts: pulumi.CustomResourceOptions;
  /**
   * Creates an Opaque Secret whose data is a Pulumi secret. Definitions create resources
   * only through this, so they load without Pulumi and synth can read the catalogue.
   */
  readonly secret: (args: SecretArgs) => pulumi.Resource;
}

export interface SecretArgs {
  /** Logical name of the resource. */
  readonly name: string;
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly stringData: Readonly<Record<string, pulumi.Input<string>>>;
}

export interface AddonDefinition {
  readonly name: AddonName;
  /** Helm release name: stable, it names the objects the chart creates. */
  readonly release: string;
  /** What the add-on is for (shown in the catalogue and the offline plan). */
  readonly purpose: string;
  readonly enabled: (spec: EnvironmentSpec) => boolean;
  /** Chart version override from the stack file (`addons.<key>.chartVersion`), if any. */
  readonly chartVersionOverride: (spec: EnvironmentSpec) => string | undefined;
  readonly namespace: (spec: EnvironmentSpec) => string;
  /** Other namespaces the chart installs into (a sub-chart's namespaceOverride). @default - none */
  readonly otherNamespaces?: (spec: EnvironmentSpec) => readonly string[];
  /**
   * Add-ons this one must be installed after. Dependencies that are disabled in the
   * environment are dropped (a hard requirement is validated by config/environment.ts).
   */
  readonly dependsOn: (spec: EnvironmentSpec) => readonly AddonName[];
  /** API groups whose CRDs this chart installs (manifests using them wait for it). */
  readonly crdGroups: readonly string[];
  /**
   * API groups of other add-ons' CRDs this chart creates objects of (ServiceMonitors,
   * say); each must be provided by a (transitive) dependency. @default - none
   */
  readonly usesCrdGroups?: (spec: EnvironmentSpec) => readonly string[];
  /** true when the chart registers admission webhooks that act on other workloads' pods. */
  readonly admissionWebhooks: (spec: EnvironmentSpec) => boolean;
  readonly placement: AddonPlacement;
  readonly values: (ctx: AddonContext) => pulumi.Input<Record<string, unknown>>;
  /**
   * The pods its values make, for the capacity check at synth and deploy
   * (infra/addons/capacity.ts): Deployments and StatefulSets on `spec.placement.system`,
   * DaemonSets (`per-node`) on the pools `placement` says. @default - none (placement `none` only)
   */
  readonly pods?: (spec: EnvironmentSpec) => readonly AddonPod[];
  readonly prerequisites?: (args: AddonPrerequisiteArgs) => pulumi.Resource[];
}

/** The chart pin of a definition, with the stack file's version override applied. */
export interface ResolvedChart extends ChartPin {
  /** true when the version comes from the stack file rather than config/versions.ts. */
  readonly overridden: boolean;
}

/** Requests of one container, in the shape every chart takes. */
export interface ContainerRequests {
  readonly cpu: string;
  readonly memory: string;
}

/**
 * One kind of pod an add-on runs, for capacity: the requests of its containers as our
 * values set them, and how many run (`per-node` for a DaemonSet). Containers a chart
 * adds without requests (config reloaders) count as nothing, like the scheduler counts them.
 */
export interface AddonPod {
  /** What it is, e.g. `prometheus`. */
  readonly component: string;
  readonly containers: readonly ContainerRequests[];
  /** Pods at the most the values allow (an HPA's max), or one per node. */
  readonly replicas: number | 'per-node';
  /** Where a `per-node` pod runs. @default - the definition's placement */
  readonly on?: AddonPlacement;
}
