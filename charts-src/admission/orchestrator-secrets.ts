/**
 * The orchestrator's Secrets: it creates and deletes one Opaque Secret per session, named
 * `agent-session-<id>`, and nothing else. RBAC cannot restrict create/delete by a name
 * pattern (resourceNames does not apply to create) nor by type; this policy does, so the
 * orchestrator can neither mint a `kubernetes.io/service-account-token` Secret nor delete
 * the KEDA database connection or another Secret it does not own.
 */
import { ADMISSION_POLICIES, SESSION_SECRET_PREFIX } from '../../config';
import { str } from './cel';
import { coreRule, namespacesNamed, type AdmissionPolicyDefinition } from './policy-definition';
import { serviceAccountUsername, type OrchestratorIdentity } from './orchestrator-updates';

export function orchestratorSecretsPolicy(props: OrchestratorIdentity): AdmissionPolicyDefinition {
  const username = serviceAccountUsername(props.serviceAccount);
  const prefix = str(SESSION_SECRET_PREFIX);
  return {
    name: ADMISSION_POLICIES.orchestratorSecrets.name,
    description: `Secrets of ${username}: Opaque, named ${SESSION_SECRET_PREFIX}<session>, created and deleted only`,
    resourceRules: [coreRule(['secrets'], ['CREATE', 'UPDATE', 'DELETE'])],
    namespaceSelector: namespacesNamed([props.namespace]),
    matchConditions: [{ name: 'by-the-orchestrator', expression: `request.userInfo.username == ${str(username)}` }],
    validations: [
      {
        expression: `request.operation == 'DELETE' ? oldObject.metadata.name.startsWith(${prefix}) : object.metadata.name.startsWith(${prefix})`,
        message: `the orchestrator creates and deletes only session Secrets, named ${SESSION_SECRET_PREFIX}<session id>; other Secrets of the namespace are not its own`,
        reason: 'Forbidden',
      },
      {
        expression: `request.operation == 'DELETE' || (has(object.type) && object.type == 'Opaque')`,
        message:
          'session Secrets are type Opaque; the orchestrator never creates ServiceAccount tokens or other typed Secrets',
        reason: 'Forbidden',
      },
      {
        expression: `request.operation != 'UPDATE'`,
        message: 'the orchestrator never changes an existing Secret (create a new session Secret instead)',
        reason: 'Forbidden',
      },
    ],
  };
}
