/**
 * The NVIDIA device plugin: advertises `nvidia.com/gpu` on GPU nodes, without which every
 * pod requesting a GPU stays Pending. A DaemonSet on exactly the pools
 * config/cluster-needs.ts `devicePluginPools` names (every `gpu: true` pool); the policy
 * gate uses the same function to refuse GPU pods that could land anywhere else.
 *
 * The chart's default affinity selects nodes by Node Feature Discovery labels
 * (`feature.node.kubernetes.io/pci-10de.present`, `nvidia.com/gpu.present`), which nothing
 * here installs; it is replaced by the contract's pool label. Its default tolerations
 * (`CriticalAddonsOnly`, `nvidia.com/gpu`) are replaced by the GPU pools' own taints.
 * EKS's NVIDIA AMIs make the NVIDIA runtime containerd's default (nodeadm
 * internal/containerd/runtime_config_nvidia.go). k3s ships an `nvidia` RuntimeClass
 * (k3s-io/k3s manifests/runtimes.yaml) whose handler it registers with containerd when it
 * finds the NVIDIA container toolkit on the node, so on k3s the plugin runs in that class
 * (and fails visibly where the toolkit is missing).
 */
import {
  cloudProfile,
  devicePluginPools,
  POOL_LABEL,
  tolerationsFor,
  type EnvironmentSpec,
  type Toleration,
} from '../../config';
import { pod, resources } from './common';
import type { AddonDefinition } from './types';

const PLUGIN = resources('50m', '64Mi', '200m', '128Mi');
/** The RuntimeClass k3s creates for the NVIDIA container runtime. */
export const K3S_NVIDIA_RUNTIME_CLASS = 'nvidia';

/** Tolerations of every GPU pool's taints, each once. */
function gpuPoolTolerations(spec: EnvironmentSpec): Toleration[] {
  const seen = new Set<string>();
  return devicePluginPools(spec)
    .flatMap((pool) => tolerationsFor(pool))
    .filter((t) => {
      const key = JSON.stringify(t);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

function pluginValues(spec: EnvironmentSpec): Record<string, unknown> {
  const pools = devicePluginPools(spec).map((p) => p.name);
  return {
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: POOL_LABEL, operator: 'In', values: pools }] }],
        },
      },
    },
    tolerations: gpuPoolTolerations(spec),
    priorityClassName: 'system-node-critical',
    resources: PLUGIN,
    ...(cloudProfile(spec.cloud.provider).distribution === 'k3s' ? { runtimeClassName: K3S_NVIDIA_RUNTIME_CLASS } : {}),
    gfd: { enabled: false },
  };
}

export const nvidiaDevicePlugin: AddonDefinition = {
  name: 'nvidiaDevicePlugin',
  release: 'nvidia-device-plugin',
  purpose: 'advertises nvidia.com/gpu on the GPU pools',
  enabled: (spec) => devicePluginPools(spec).length > 0,
  chartVersionOverride: (spec) => spec.addons.nvidiaDevicePlugin.chartVersion,
  namespace: () => 'kube-system',
  dependsOn: () => [],
  crdGroups: [],
  admissionWebhooks: () => false,
  placement: 'gpu-nodes',
  pods: () => [pod('device-plugin', 'per-node', PLUGIN)],
  values: ({ spec }) => pluginValues(spec),
};
