/**
 * The Istio ingress gateway in the ingress namespace, scaled by its own HPA
 * (`addons.istio.gatewayReplicas`), its pods labelled with the contract's
 * INGRESS_GATEWAY_LABELS so charts-src's Gateway selects them.
 */
import { INGRESS_GATEWAY_LABELS, namespaceOf, type EnvironmentSpec } from '../../config';
import { resources, systemPlacement, pod } from './common';
import type { AddonDefinition } from './types';

const GATEWAY = resources('100m', '128Mi', '2', '1Gi');

/** Service annotations for the cloud's load balancer. */
function serviceAnnotations(spec: EnvironmentSpec): Record<string, string> {
  if (spec.cloud.provider === 'hcloud') {
    return {
      'load-balancer.hetzner.cloud/name': `${spec.name}-${spec.stack}-ingress`,
      'load-balancer.hetzner.cloud/location': spec.cloud.locations[0]!,
      'load-balancer.hetzner.cloud/use-private-ip': 'true',
    };
  }
  return {
    'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
    'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
    'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
  };
}

export const istioGateway: AddonDefinition = {
  name: 'istioGateway',
  release: 'istio-ingressgateway',
  purpose: 'Istio ingress gateway (public entry point), autoscaled by its HPA',
  enabled: (spec) => spec.addons.istio.enabled,
  chartVersionOverride: (spec) => spec.addons.istio.chartVersion,
  namespace: (spec) => namespaceOf(spec, 'ingress').name,
  // Injected by istiod's `gateway` template; its LoadBalancer needs the CCM (Hetzner) or
  // the AWS Load Balancer Controller (EKS: the NLB annotations below, its Service webhook).
  dependsOn: () => ['istiod', 'hcloudCcm', 'awsLoadBalancerController'],
  crdGroups: [],
  admissionWebhooks: () => false,
  placement: 'system',
  // At the most its HPA allows.
  pods: (spec) => [pod('gateway', spec.addons.istio.gatewayReplicas.max, GATEWAY)],
  values: ({ spec }) => {
    const replicas = spec.addons.istio.gatewayReplicas;
    return {
      labels: { ...INGRESS_GATEWAY_LABELS },
      autoscaling: {
        enabled: true,
        minReplicas: replicas.min,
        maxReplicas: replicas.max,
        targetCPUUtilizationPercentage: 70,
      },
      podDisruptionBudget: { minAvailable: 1 },
      resources: GATEWAY,
      ...systemPlacement(spec),
      securityContext: {
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
        // Binds 80/443 without NET_BIND_SERVICE (a safe sysctl under restricted).
        sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }],
      },
      service: { type: 'LoadBalancer', annotations: serviceAnnotations(spec) },
    };
  },
};
