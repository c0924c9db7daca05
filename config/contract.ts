/**
 * The contract between the two engines. Pulumi puts these labels and taints on
 * nodes; cdk8s puts the matching nodeSelector and tolerations on pods. Both import
 * them from here and nowhere else, so a pod always matches the pool it is meant for.
 */
import type { PoolRole, Taint } from './schema';

/** Node label: the pool a node belongs to. Pods select pools by this label only. */
export const POOL_LABEL = 'agent-platform.io/pool';
/** Node label: the pool's role. */
export const ROLE_LABEL = 'agent-platform.io/role';
/** Node label: `spot` or `on-demand`. */
export const CAPACITY_LABEL = 'agent-platform.io/capacity';
/** Node label: `true` on nodes where containerd has the runsc runtime. */
export const GVISOR_LABEL = 'agent-platform.io/gvisor';
/** Taint key that reserves a pool for the workloads meant for it. */
export const DEDICATED_TAINT = 'agent-platform.io/dedicated';
/**
 * Node label (hcloud): the k3s release a node booted with (`v1.35.8-k3s1`: label values
 * cannot hold `+`). Upgrade Plans skip nodes that booted with the release they roll out.
 */
export const K3S_BOOT_RELEASE_LABEL = 'agent-platform.io/k3s-boot-release';

/** `v1.35.8+k3s1` → `v1.35.8-k3s1`, as a label value (and as the controller tags images). */
export function k3sReleaseLabelValue(release: string): string {
  return release.replace('+', '-');
}

/** k3s's own taint for servers that run only critical add-ons. */
export const CRITICAL_ADDONS_TAINT = 'CriticalAddonsOnly';

/** RuntimeClass of agent pods and the containerd handler the nodes register. */
export const GVISOR_RUNTIME_CLASS = 'gvisor';
export const GVISOR_HANDLER = 'runsc';

/** Pod label the network policies select agent session and warm-pool pods by. */
export const AGENT_POD_LABEL = 'agent-platform.io/agent';
/** Pod label naming the tier of an agent pod. */
export const AGENT_TIER_LABEL = 'agent-platform.io/tier';

/**
 * Labels of the Istio ingress gateway pods: infra/ sets them on the gateway chart,
 * charts-src selects them (Istio `Gateway.spec.selector`, network policies).
 */
export const INGRESS_GATEWAY_LABELS: Readonly<Record<string, string>> = { istio: 'ingressgateway' };

/** The taints a pool gets when the stack file does not list its own. */
export function defaultTaints(role: PoolRole): Taint[] {
  switch (role) {
    case 'control-plane':
      return [{ key: CRITICAL_ADDONS_TAINT, value: 'true', effect: 'NoExecute' }];
    case 'agents':
    case 'data':
    case 'gpu':
    case 'batch':
      return [{ key: DEDICATED_TAINT, value: role, effect: 'NoSchedule' }];
    default:
      return [];
  }
}

export interface PoolIdentity {
  readonly name: string;
  readonly role: PoolRole;
  readonly capacity: 'on-demand' | 'spot';
  readonly gvisor: boolean;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
}

/** Every label a node of this pool carries (contract labels win over extra labels). */
export function nodeLabels(pool: PoolIdentity): Record<string, string> {
  return {
    ...pool.labels,
    [POOL_LABEL]: pool.name,
    [ROLE_LABEL]: pool.role,
    [CAPACITY_LABEL]: pool.capacity,
    ...(pool.gvisor ? { [GVISOR_LABEL]: 'true' } : {}),
  };
}

/** `key=value:Effect`, the form kubelet's --register-with-taints and k3s's --node-taint take. */
export function taintString(taint: Taint): string {
  return `${taint.key}${taint.value === undefined ? '' : `=${taint.value}`}:${taint.effect}`;
}

export interface Toleration {
  readonly key: string;
  readonly operator: 'Equal' | 'Exists';
  readonly value?: string;
  readonly effect: Taint['effect'];
}

/** The tolerations that admit a pod onto this pool: one per taint, exact match. */
export function tolerationsFor(pool: Pick<PoolIdentity, 'taints'>): Toleration[] {
  return pool.taints.map((t) =>
    t.value === undefined
      ? { key: t.key, operator: 'Exists', effect: t.effect }
      : { key: t.key, operator: 'Equal', value: t.value, effect: t.effect },
  );
}

/** nodeSelector + tolerations that place a pod on exactly this pool. */
export function schedulingFor(pool: PoolIdentity): {
  nodeSelector: Record<string, string>;
  tolerations: Toleration[];
} {
  return { nodeSelector: { [POOL_LABEL]: pool.name }, tolerations: tolerationsFor(pool) };
}

/** `<prefix>-<suffix>`, or the bare suffix when the prefix is empty. */
export function prefixedName(prefix: string, suffix: string): string {
  return prefix ? `${prefix}-${suffix}` : suffix;
}
