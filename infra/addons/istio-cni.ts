/**
 * The Istio CNI node agent: sets up each meshed pod's traffic redirection at network
 * setup, so injected pods carry no `istio-init` container with NET_ADMIN/NET_RAW and
 * meshed namespaces stay `restricted`. It runs in kube-system (privileged by nature)
 * on every pool that can run meshed pods: every pool except the agent pools.
 */
import { cloudProfile, type EnvironmentSpec } from '../../config';
import { notOnAgentPools, resources, workloadNodeTolerations, pod } from './common';
import { ISTIO_NAMESPACE } from './istio-base';
import type { AddonDefinition } from './types';

const CNI = resources('50m', '64Mi', '200m', '256Mi');

/** Where k3s keeps CNI binaries and configuration (not the /opt/cni/bin default). */
export const K3S_CNI_BIN_DIR = '/var/lib/rancher/k3s/data/cni';
export const K3S_CNI_CONF_DIR = '/var/lib/rancher/k3s/agent/etc/cni/net.d';

function cniDirs(spec: EnvironmentSpec): Record<string, string> {
  // hcloud clusters run k3s; EKS uses the chart's defaults.
  return cloudProfile(spec.cloud.provider).distribution === 'k3s'
    ? { cniBinDir: K3S_CNI_BIN_DIR, cniConfDir: K3S_CNI_CONF_DIR }
    : {};
}

export const istioCni: AddonDefinition = {
  name: 'istioCni',
  release: 'istio-cni',
  purpose: 'Istio CNI node agent: traffic redirection without NET_ADMIN in meshed pods',
  enabled: (spec) => spec.addons.istio.enabled,
  chartVersionOverride: (spec) => spec.addons.istio.chartVersion,
  namespace: () => 'kube-system',
  dependsOn: () => ['istioBase'],
  crdGroups: [],
  admissionWebhooks: () => false,
  placement: 'workload-nodes',
  pods: () => [pod('cni-node', 'per-node', CNI)],
  // The cni chart (1.30.3) reads no `global.istioNamespace`: its templates never refer to it.
  values: ({ spec }) => ({
    cni: {
      ...cniDirs(spec),
      excludeNamespaces: ['kube-system', ISTIO_NAMESPACE],
      resources: CNI,
      affinity: notOnAgentPools(spec),
      tolerations: workloadNodeTolerations(spec),
    },
  }),
};
