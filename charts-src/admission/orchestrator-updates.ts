/**
 * What the orchestrator may change on a running agent pod: labels and annotations
 * (claiming a warm-pool pod swaps the warm-pool label for the session label), never the
 * spec (an image, a toleration), and never the tier. RBAC cannot say "patch labels only";
 * this policy does, for the orchestrator's identity.
 */
import { ADMISSION_POLICIES, AGENT_SESSION_LABEL, AGENT_TIER_LABEL, AGENT_WARM_POOL_LABEL } from '../../config';
import { and, label, or, str } from './cel';
import { coreRule, namespacesNamed, type AdmissionPolicyDefinition } from './policy-definition';

export interface OrchestratorIdentity {
  /** The agents namespace. */
  readonly namespace: string;
  /** The orchestrator's ServiceAccount. */
  readonly serviceAccount: { readonly name: string; readonly namespace: string };
}

/** The username the API server gives a ServiceAccount's requests. */
export function serviceAccountUsername(sa: OrchestratorIdentity['serviceAccount']): string {
  return `system:serviceaccount:${sa.namespace}:${sa.name}`;
}

export function orchestratorUpdatesPolicy(props: OrchestratorIdentity): AdmissionPolicyDefinition {
  const username = serviceAccountUsername(props.serviceAccount);
  const session = label('object.metadata', AGENT_SESSION_LABEL);
  const warm = label('object.metadata', AGENT_WARM_POOL_LABEL);
  return {
    name: ADMISSION_POLICIES.orchestratorUpdates.name,
    description: `updates of agent pods by ${username}: labels and annotations only`,
    resourceRules: [coreRule(['pods'], ['UPDATE'])],
    namespaceSelector: namespacesNamed([props.namespace]),
    matchConditions: [{ name: 'by-the-orchestrator', expression: `request.userInfo.username == ${str(username)}` }],
    validations: [
      {
        expression: 'object.spec == oldObject.spec',
        message:
          'the orchestrator changes only labels and annotations of a running agent pod; its spec (images, resources, scheduling) is immutable to it',
        reason: 'Forbidden',
      },
      {
        expression: `${label('object.metadata', AGENT_TIER_LABEL)} == ${label('oldObject.metadata', AGENT_TIER_LABEL)}`,
        message: `the orchestrator never changes the ${AGENT_TIER_LABEL} label of a pod (its resources are that tier's)`,
        reason: 'Forbidden',
      },
      {
        expression: or(and(`${session} != ''`, `${warm} == ''`), and(`${warm} == 'true'`, `${session} == ''`)),
        message: `an agent pod keeps either the ${AGENT_SESSION_LABEL} label or ${AGENT_WARM_POOL_LABEL}: "true" (a claim replaces the second by the first)`,
        reason: 'Forbidden',
      },
    ],
  };
}
