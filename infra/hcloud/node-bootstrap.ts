/**
 * What a pool's nodes boot with, derived from the environment model: the pinned k3s
 * release, the contract's node labels and taints (config/contract.ts), gVisor on
 * gVisor pools. Static servers and the autoscaler's node configs both go through
 * `poolBootstrap`, then `renderCloudInit`.
 */
import {
  GVISOR_RELEASE,
  K3S_BOOT_RELEASE_LABEL,
  K3S_RELEASES,
  k3sReleaseLabelValue,
  nodeLabels,
  taintString,
  type EnvironmentSpec,
  type NodePool,
} from '../../config';
import type { NodeBootstrap } from './cloud-init';

export type PoolBootstrapBase = Omit<NodeBootstrap, 'token' | 'serverUrl' | 'server' | 'role'>;

export function poolBootstrap(spec: Pick<EnvironmentSpec, 'kubernetes' | 'cloud'>, pool: NodePool): PoolBootstrapBase {
  const k3sRelease = K3S_RELEASES[spec.kubernetes.version];
  return {
    k3sRelease,
    networkCidr: spec.cloud.networkCidr,
    // The boot release lets the upgrade Plans (charts-src/charts/upgrades.ts) skip nodes that
    // already booted the release they roll out: new and autoscaled nodes are not drained for nothing.
    labels: { ...nodeLabels(pool), [K3S_BOOT_RELEASE_LABEL]: k3sReleaseLabelValue(k3sRelease) },
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
