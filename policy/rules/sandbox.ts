/**
 * Rule family sandbox: what keeps untrusted agent code and noisy pods contained. The
 * gVisor RuntimeClass must run runsc (k3s and containerd run whatever handler it names,
 * runc included); agent pod templates must name it explicitly; the `system-*` priority
 * classes (which preempt everything but the node itself) stay in kube-system; every
 * emptyDir has a sizeLimit (without one a pod fills the node's disk and the kubelet
 * evicts its neighbours).
 */
import { GVISOR_HANDLER, GVISOR_RUNTIME_CLASS } from '../../config';
import { asArray, asObject, asString, metadataOf } from '../manifests';
import { ruleFamily, type GateRule, type Hit } from '../rule';
import type { GateContext } from '../types';
import type { PodTemplate } from '../workloads';
import { agentTemplates } from './content-scope';
import { ofKind } from './object-index';
import { podTemplates } from './reference-index';
import { shown } from '../values';

const SYSTEM_NAMESPACE = 'kube-system';

/** The handler of each RuntimeClass in the set, by name. */
function runtimeHandlers(ctx: GateContext): Map<string, unknown> {
  return new Map(ofKind(ctx, 'RuntimeClass').map((m) => [metadataOf(m.object).name, m.object.handler] as const));
}

export const gvisorHandlerRule: GateRule = {
  id: 'sandbox.gvisor-handler',
  severity: 'error',
  description: `the RuntimeClass ${GVISOR_RUNTIME_CLASS} runs the ${GVISOR_HANDLER} handler`,
  fix: `set handler: ${GVISOR_HANDLER} (the containerd runtime the gVisor nodes configure)`,
  check: (ctx) =>
    ofKind(ctx, 'RuntimeClass')
      .filter((m) => metadataOf(m.object).name === GVISOR_RUNTIME_CLASS)
      .filter((m) => m.object.handler !== GVISOR_HANDLER)
      .map((m) => ({
        manifest: m,
        path: ['handler'],
        message: `RuntimeClass ${GVISOR_RUNTIME_CLASS} has handler ${JSON.stringify(m.object.handler)}: pods that ask for the sandbox run under that runtime instead, on the host kernel unless it is ${GVISOR_HANDLER}`,
      })),
};

function agentGvisorHit(t: PodTemplate, handlers: Map<string, unknown>): Hit[] {
  const runtimeClass = asString(t.spec.runtimeClassName);
  const path = [...t.specPath, 'runtimeClassName'];
  if (runtimeClass === undefined) {
    return [
      {
        manifest: t.manifest,
        path,
        message: `agent pods of ${t.owner.kind} ${t.owner.name} set no runtimeClassName: untrusted code runs under runc, on the host kernel`,
      },
    ];
  }
  const handler = handlers.get(runtimeClass);
  if (runtimeClass === GVISOR_RUNTIME_CLASS || handler === GVISOR_HANDLER) return [];
  return [
    {
      manifest: t.manifest,
      path,
      message: `agent pods of ${t.owner.kind} ${t.owner.name} run under RuntimeClass ${runtimeClass}${handler === undefined ? '' : ` (handler ${shown(handler)})`}, not the gVisor sandbox`,
    },
  ];
}

export const agentGvisorRule: GateRule = {
  id: 'sandbox.agent-gvisor',
  severity: 'error',
  description: `agent pod templates run in the gVisor sandbox (runtimeClassName ${GVISOR_RUNTIME_CLASS})`,
  fix: `set runtimeClassName: ${GVISOR_RUNTIME_CLASS} on the agent pod template`,
  check: (ctx) => {
    const handlers = runtimeHandlers(ctx);
    return agentTemplates(ctx).flatMap((t) => agentGvisorHit(t, handlers));
  },
};

export const systemPriorityRule: GateRule = {
  id: 'sandbox.system-priority',
  severity: 'error',
  description: 'system-* priority classes only in kube-system',
  fix: 'use one of the platform PriorityClasses (e.g. platform-critical), never system-node-critical or system-cluster-critical',
  check: (ctx) =>
    podTemplates(ctx)
      .filter((t) => asString(t.spec.priorityClassName)?.startsWith('system-') && t.namespace !== SYSTEM_NAMESPACE)
      .map((t) => ({
        manifest: t.manifest,
        path: [...t.specPath, 'priorityClassName'],
        message: `priorityClassName ${shown(t.spec.priorityClassName)} in namespace ${t.namespace ?? 'default'}: these pods preempt the cluster's own components (DNS, CNI, metrics) when nodes are full`,
      })),
};

function emptyDirHits(t: PodTemplate): Hit[] {
  return asArray(t.spec.volumes).flatMap((volume, i) => {
    const v = asObject(volume);
    if (!('emptyDir' in v) || asObject(v.emptyDir).sizeLimit !== undefined) return [];
    const medium = asObject(v.emptyDir).medium === 'Memory' ? ' (medium Memory: it counts against node memory)' : '';
    return [
      {
        manifest: t.manifest,
        path: [...t.specPath, 'volumes', i, 'emptyDir'],
        message: `emptyDir volume "${asString(v.name) ?? i}" has no sizeLimit${medium}: one pod can fill the node's disk and get its neighbours evicted`,
      },
    ];
  });
}

export const emptyDirSizeRule: GateRule = {
  id: 'sandbox.emptydir-size',
  severity: 'error',
  description: 'every emptyDir volume has a sizeLimit',
  fix: 'set emptyDir.sizeLimit (e.g. 1Gi for scratch space)',
  check: (ctx) => podTemplates(ctx).flatMap(emptyDirHits),
};

export const sandboxRules = ruleFamily('sandbox', [
  gvisorHandlerRule,
  agentGvisorRule,
  systemPriorityRule,
  emptyDirSizeRule,
]);
