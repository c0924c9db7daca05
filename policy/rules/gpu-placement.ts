/**
 * Rule family 7, GPU placement (needs the environment model). A pod that requests
 * `nvidia.com/gpu` is schedulable only on nodes where the NVIDIA device plugin advertises
 * that resource; elsewhere it stays Pending with "Insufficient nvidia.com/gpu" and, worse,
 * the cluster autoscaler may add nodes of the wrong pool for it. The plugin runs on the
 * pools config/cluster-needs.ts `devicePluginPools` names (the same function places the
 * add-on), so every pool such a pod can land on must be one of them.
 */
import { devicePluginPools, NVIDIA_GPU_RESOURCE, type NodePool } from '../../config';
import { asObject, metadataOf } from '../manifests';
import type { ContainerRef, PodTemplate } from '../workloads';
import { poolMismatch, schedulingOf } from './cross-layer';
import type { GateContext, Manifest, RuleFamily } from '../types';
import { ofKind } from './object-index';
import { podTemplates } from './reference-index';

/** The containers of a template that ask for GPUs (a request or a limit). */
function gpuContainers(t: PodTemplate): ContainerRef[] {
  return t.containers.filter((c) => {
    const resources = asObject(c.container.resources);
    return [resources.requests, resources.limits].some((r) => asObject(r)[NVIDIA_GPU_RESOURCE] !== undefined);
  });
}

const describePools = (pools: readonly NodePool[]) => pools.map((p) => p.name).join(', ') || 'none';

export const gpuPlacementRules: RuleFamily = {
  name: 'gpu-placement',
  needsEnvironment: true,
  rules: [
    {
      id: 'cross.gpu-device-plugin',
      severity: 'error',
      description: 'a pod requesting nvidia.com/gpu can land only on pools where the NVIDIA device plugin runs',
    },
  ],
  check(ctx: GateContext, report) {
    const spec = ctx.spec;
    if (!spec) return;
    const pluginPools = devicePluginPools(spec);
    const runtimeClasses = new Map<string, Manifest>();
    for (const m of ofKind(ctx, 'RuntimeClass')) runtimeClasses.set(metadataOf(m.object).name, m);

    for (const t of podTemplates(ctx)) {
      const asking = gpuContainers(t);
      if (asking.length === 0) continue;
      const scheduling = schedulingOf(t, runtimeClasses);
      const lands = spec.nodePools.filter((p) => poolMismatch(scheduling, p) === undefined);
      // Landing nowhere at all is cross.scheduling's finding.
      const without = lands.filter((p) => !pluginPools.includes(p));
      if (without.length === 0) continue;
      report(t.manifest, {
        rule: 'cross.gpu-device-plugin',
        path: [...asking[0]!.path, 'resources'],
        message:
          `container "${asking[0]!.name}" requests ${NVIDIA_GPU_RESOURCE}, but its pods can land on ` +
          `${describePools(without)}, where no NVIDIA device plugin runs (it runs on: ${describePools(pluginPools)}); ` +
          'there the pods stay Pending',
        fix:
          pluginPools.length === 0
            ? 'declare a pool with gpu: true (its nodes get the device plugin) and schedule the pods there with schedulingFor(pool)'
            : `schedule the pods on a gpu: true pool only, with schedulingFor(pool) of ${describePools(pluginPools)}`,
      });
    }
  },
};
