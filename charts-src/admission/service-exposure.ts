/**
 * Cluster-wide: no Service may carry externalIPs (CVE-2020-8554), and only the ingress
 * namespace (the Istio gateway) may expose a Service on the nodes or a load balancer.
 */
import { ADMISSION_POLICIES } from '../../config';
import { str } from './cel';
import { coreRule, type AdmissionPolicyDefinition } from './policy-definition';

/** @param ingressNamespace the one namespace allowed NodePort/LoadBalancer Services; none when undefined */
export function serviceExposurePolicy(ingressNamespace: string | undefined): AdmissionPolicyDefinition {
  const exposed = `has(object.spec.type) && object.spec.type in ['NodePort', 'LoadBalancer']`;
  return {
    name: ADMISSION_POLICIES.serviceExposure.name,
    description: `Services cluster-wide: no externalIPs; NodePort/LoadBalancer only in ${ingressNamespace ?? 'no namespace'}`,
    resourceRules: [coreRule(['services'], ['CREATE', 'UPDATE'])],
    validations: [
      {
        expression: `!has(object.spec.externalIPs) || size(object.spec.externalIPs) == 0`,
        message:
          'no Service sets spec.externalIPs: they let the Service intercept traffic to those addresses (CVE-2020-8554)',
        reason: 'Forbidden',
      },
      {
        expression:
          ingressNamespace === undefined
            ? `!(${exposed})`
            : `!(${exposed}) || request.namespace == ${str(ingressNamespace)}`,
        message:
          ingressNamespace === undefined
            ? 'no Service is type NodePort or LoadBalancer in this cluster (it has no ingress namespace); use ClusterIP'
            : `Services of type NodePort or LoadBalancer are allowed only in the ingress namespace "${ingressNamespace}" (the gateway); elsewhere use ClusterIP behind the gateway`,
        reason: 'Forbidden',
      },
    ],
  };
}
