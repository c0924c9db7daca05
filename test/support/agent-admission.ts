/**
 * One environment's rendered objects, the cluster objects admission reads, and request
 * builders for the admission tests.
 */
import { namespaceOf, VAULT_AGENT_IMAGE_REF, type EnvironmentSpec } from '../../config';
import type { AdmissionRequest } from './admission-cel';
import { objectsOf, type Any } from './render';
import { mutateLikeApiServer, type ClusterObjects } from './runtime-pods';

/** PriorityClasses every cluster has (kubernetes pkg/apis/scheduling SystemPriorityClasses). */
const SYSTEM_PRIORITY_CLASSES = [
  { metadata: { name: 'system-node-critical' }, value: 2000001000 },
  { metadata: { name: 'system-cluster-critical' }, value: 2000000000 },
];

/** A plain runc RuntimeClass an attacker might pick (exists on many clusters). */
const RUNC = { metadata: { name: 'runc' }, handler: 'runc' };

export interface AgentAdmissionFixture {
  readonly spec: EnvironmentSpec;
  readonly objects: Any[];
  readonly cluster: ClusterObjects;
  readonly agentsNamespace: string;
  readonly orchestrator: string;
}

export function agentAdmissionFixture(spec: EnvironmentSpec): AgentAdmissionFixture {
  const objects = objectsOf(spec) as Any[];
  return {
    spec,
    objects,
    cluster: {
      runtimeClasses: [...objects.filter((o) => o.kind === 'RuntimeClass'), RUNC],
      priorityClasses: [...objects.filter((o) => o.kind === 'PriorityClass'), ...SYSTEM_PRIORITY_CLASSES],
      ...(spec.addons.vault.enabled ? { vaultImage: VAULT_AGENT_IMAGE_REF } : {}),
    },
    agentsNamespace: namespaceOf(spec, 'agents').name,
    orchestrator: `system:serviceaccount:${namespaceOf(spec, 'control-plane').name}:api`,
  };
}

export function podCreate(f: AgentAdmissionFixture, pod: Any, username = f.orchestrator): AdmissionRequest {
  return {
    operation: 'CREATE',
    resource: 'pods',
    namespace: pod.metadata.namespace,
    object: mutateLikeApiServer(pod, f.cluster),
    oldObject: null,
    userInfo: { username, groups: ['system:serviceaccounts', 'system:authenticated'] },
  };
}

export function objectRequest(
  operation: AdmissionRequest['operation'],
  resource: string,
  namespace: string,
  object: Any | null,
  oldObject: Any | null,
  username: string,
  groups: readonly string[] = ['system:authenticated'],
  group = '',
): AdmissionRequest {
  return { operation, resource, group, namespace, object, oldObject, userInfo: { username, groups } };
}
