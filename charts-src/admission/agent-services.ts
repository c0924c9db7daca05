/**
 * Services in the agents namespace (one per session, created by the orchestrator) stay
 * inside the cluster: ClusterIP only, no externalIPs (CVE-2020-8554: a Service's
 * externalIPs let its creator intercept traffic to those addresses cluster-wide).
 */
import { ADMISSION_POLICIES } from '../../config';
import { coreRule, namespacesNamed, type AdmissionPolicyDefinition } from './policy-definition';

export function agentServicesPolicy(namespace: string): AdmissionPolicyDefinition {
  return {
    name: ADMISSION_POLICIES.agentServices.name,
    description: `Services in ${namespace}: ClusterIP only, no externalIPs`,
    resourceRules: [coreRule(['services'], ['CREATE', 'UPDATE'])],
    namespaceSelector: namespacesNamed([namespace]),
    validations: [
      {
        expression: `!has(object.spec.type) || object.spec.type == 'ClusterIP'`,
        message: `Services in ${namespace} are type ClusterIP (session Services are reached from inside the cluster only); NodePort, LoadBalancer and ExternalName are not allowed`,
        reason: 'Forbidden',
      },
      {
        expression: `!has(object.spec.externalIPs) || size(object.spec.externalIPs) == 0`,
        message: `Services in ${namespace} set no spec.externalIPs (they would intercept traffic to those addresses, CVE-2020-8554)`,
        reason: 'Forbidden',
      },
    ],
  };
}
