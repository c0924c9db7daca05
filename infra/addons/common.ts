/**
 * Helpers shared by the add-on definitions: placement on the system pool, resource
 * blocks, and security contexts that satisfy the `restricted` Pod Security Standard
 * (infra/ never imports chart code, so these mirror charts-src/constructs/pod-security.ts).
 */
import { limitsBelowRequests, POOL_LABEL, schedulingFor, type EnvironmentSpec, type Toleration } from '../../config';
import type { AddonPlacement, AddonPod } from './types';

export interface ResourceBlock {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/**
 * Requests and limits in the shape every chart takes. Throws at once (when the add-on's
 * module loads) on a limit below its request: the API server would refuse the chart's
 * pods (config/rules/resources.ts).
 */
export function resources(requestCpu: string, requestMemory: string, limitCpu: string, limitMemory: string) {
  const block = {
    requests: { cpu: requestCpu, memory: requestMemory },
    limits: { cpu: limitCpu, memory: limitMemory },
  } satisfies ResourceBlock;
  const [v] = limitsBelowRequests(block.requests, block.limits);
  if (v)
    throw new Error(
      `add-on resources: limits.${v.resource} (${v.limit}) must be >= requests.${v.resource} (${v.request})`,
    );
  return block;
}

/** A pod of an add-on for the capacity check: its containers' requests and how many run. */
export function pod(component: string, replicas: AddonPod['replicas'], ...blocks: readonly ResourceBlock[]): AddonPod {
  return { component, replicas, containers: blocks.map((b) => b.requests) };
}

/** A node agent of an add-on whose controllers run on the system pool (Velero's node agent). */
export function nodeAgent(component: string, on: AddonPlacement, ...blocks: readonly ResourceBlock[]): AddonPod {
  return { ...pod(component, 'per-node', ...blocks), on };
}

/** nodeSelector + tolerations of the system pool: where add-on controllers run. */
export function systemPlacement(spec: EnvironmentSpec): {
  nodeSelector: Record<string, string>;
  tolerations: Toleration[];
} {
  const { nodeSelector, tolerations } = schedulingFor(spec.placement.system);
  return { nodeSelector, tolerations: [...tolerations] };
}

/** Tolerations that admit a node agent onto every pool except the agent pools. */
export function workloadNodeTolerations(spec: EnvironmentSpec): Toleration[] {
  const seen = new Set<string>();
  const out: Toleration[] = [];
  for (const pool of spec.nodePools) {
    if (pool.role === 'agents') continue;
    for (const toleration of schedulingFor(pool).tolerations) {
      const key = JSON.stringify(toleration);
      if (!seen.has(key)) {
        seen.add(key);
        out.push(toleration);
      }
    }
  }
  return out;
}

/** Node affinity that keeps a node agent off the agent pools (whatever it tolerates). */
export function notOnAgentPools(spec: EnvironmentSpec): Record<string, unknown> {
  const agentPools = spec.nodePools.filter((p) => p.role === 'agents').map((p) => p.name);
  if (agentPools.length === 0) return {};
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: POOL_LABEL, operator: 'NotIn', values: agentPools }] }],
      },
    },
  };
}

/** Tolerate every taint (an empty key with `Exists`): for node observers that must run on every node. */
export const TOLERATE_EVERYTHING: readonly { readonly operator: 'Exists' }[] = [{ operator: 'Exists' }];

/** Pod-level security context that satisfies `restricted`. */
export function restrictedPod(uid: number, gid = uid) {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: gid,
    fsGroup: gid,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Container-level security context that satisfies `restricted`. */
export function restrictedContainer(readOnlyRootFilesystem = true) {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    privileged: false,
    readOnlyRootFilesystem,
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Replicas of an add-on controller that should survive a node loss in prod. */
export function haReplicas(spec: EnvironmentSpec, prod = 2, other = 1): number {
  return spec.stage === 'prod' ? prod : other;
}
