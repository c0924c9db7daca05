/**
 * The types of the resolved environment (what charts, infra and the gate read), apart
 * from the resolver so that its modules (config/resolve/) and config/environment.ts,
 * which composes them, share them without importing each other.
 */
import type { PoolIdentity } from './contract';
import type { InstanceType } from './clouds/types';
import type { LimitRangeSpec, ParsedEnvironment, PodSecurityLevel, PoolRole, Quota, Taint } from './schema';

export interface NodePool extends PoolIdentity {
  readonly name: string;
  readonly role: PoolRole;
  readonly instanceType: string;
  readonly instance: InstanceType;
  readonly min: number;
  readonly max: number;
  readonly initial: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly capacity: 'on-demand' | 'spot';
  readonly gvisor: boolean;
  readonly gpu: boolean;
  readonly locations: readonly string[];
  readonly volumeSizeGiB: number;
  /** true when the cluster autoscaler may change the size (min < max). */
  readonly autoscaled: boolean;
}

export interface NamespaceSpec {
  /** Platform key (`agents`) or tenant name. */
  readonly key: string;
  /** Full Kubernetes name (`lobstack-agents`). */
  readonly name: string;
  readonly kind: 'platform' | 'tenant';
  readonly podSecurity: PodSecurityLevel;
  readonly mesh: boolean;
  readonly quota: Quota;
  readonly limitRange: LimitRangeSpec;
  readonly purpose: string;
  /** Why the namespace is below restricted (platform exceptions only). */
  readonly exception?: string;
  /** Group names as the cluster sees them (`oidc.groupsPrefix` applied). */
  readonly adminGroups: readonly string[];
  readonly viewGroups: readonly string[];
}

type ParsedAddons = ParsedEnvironment['addons'];
export interface AddonsSpec extends Omit<
  ParsedAddons,
  'metricsServer' | 'hcloudCcm' | 'hcloudCsi' | 'velero' | 'awsLoadBalancerController' | 'nvidiaDevicePlugin' | 'pool'
> {
  readonly awsLoadBalancerController: { enabled: boolean; chartVersion?: string };
  readonly nvidiaDevicePlugin: { enabled: boolean; chartVersion?: string };
  readonly velero: { enabled: boolean; chartVersion?: string };
  readonly metricsServer: ParsedAddons['metricsServer'] & { source: 'chart' | 'distribution' };
  readonly hcloudCcm: { enabled: boolean; chartVersion?: string };
  readonly hcloudCsi: { enabled: boolean; chartVersion?: string };
}

/** The validated, fully resolved environment: what charts, infra and the gate read. */
export interface EnvironmentSpec extends Omit<
  ParsedEnvironment,
  'nodePools' | 'namespaces' | 'tenants' | 'protect' | 'addons' | 'tenantDefaults'
> {
  /** Stack name (`staging`): the dist/ folder and the Pulumi stack. */
  readonly stack: string;
  readonly protect: boolean;
  readonly nodePools: readonly NodePool[];
  /** Every namespace the platform creates, platform first, then tenants, in stable order. */
  readonly namespaces: readonly NamespaceSpec[];
  readonly addons: AddonsSpec;
  /** The pools workloads are placed on. */
  readonly placement: {
    readonly system: NodePool;
    readonly api: NodePool;
    readonly agents?: NodePool;
  };
}
