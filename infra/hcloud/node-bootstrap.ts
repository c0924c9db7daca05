/**
 * What a pool's nodes boot with, derived from the environment model: the pinned k3s
 * release, the contract's node labels and taints (config/contract.ts), gVisor on
 * gVisor pools. Static servers and the autoscaler's node configs both go through
 * `poolBootstrap`, then `renderCloudInit`.
 */
import {
  GVISOR_RELEASE,
  K3S_RELEASES,
  nodeLabels,
  taintString,
  type EnvironmentSpec,
  type NodePool,
} from '../../config';
import type { NodeBootstrap } from './cloud-init';

export type PoolBootstrapBase = Omit<NodeBootstrap, 'token' | 'serverUrl' | 'server' | 'role'>;

export function poolBootstrap(spec: Pick<EnvironmentSpec, 'kubernetes' | 'cloud'>, pool: NodePool): PoolBootstrapBase {
  return {
    k3sRelease: K3S_RELEASES[spec.kubernetes.version],
    networkCidr: spec.cloud.networkCidr,
    labels: nodeLabels(pool),
    taints: pool.taints.map(taintString),
    ...(pool.gvisor ? { gvisorRelease: GVISOR_RELEASE } : {}),
  };
}

/**
 * Packaged k3s components the platform replaces: Traefik (Istio's gateway serves
 * ingress), ServiceLB (the hcloud CCM provisions load balancers), metrics-server
 * when the add-on layer installs the chart instead, and local-path storage when the
 * hcloud CSI driver provides the default StorageClass.
 */
export function disabledK3sComponents(spec: Pick<EnvironmentSpec, 'addons'>): string[] {
  return [
    'traefik',
    'servicelb',
    ...(spec.addons.metricsServer.enabled && spec.addons.metricsServer.source === 'chart' ? ['metrics-server'] : []),
    ...(spec.addons.hcloudCsi.enabled ? ['local-storage'] : []),
  ];
}
