/**
 * external-dns: keeps the API host's record in the environment's zone pointing at
 * the Istio ingress gateway's load balancer. It reads only the Gateways of the
 * ingress namespace (`namespaced`, a Role there, no cluster-wide read), may change
 * only `dns.zone` (`--domain-filter`, and the hosted zone ID on Route 53), and
 * marks its records with a TXT owner so it never deletes records it did not create.
 *
 * Credentials: Route 53 through an IRSA role the aws module creates for exactly
 * this ServiceAccount (ClusterResult.dnsRoles.externalDns); Hetzner through the
 * external-dns-hetzner-webhook sidecar reading the Cloud API token from the Secret
 * `dns.tokenSecret` (Hetzner's DNS moved to the Cloud API; the legacy DNS API
 * ends in May 2026: mconfalonieri/external-dns-hetzner-webhook README, v0.11.0).
 *
 * Values checked against kubernetes-sigs/external-dns charts/external-dns 1.21.1
 * (values.yaml, values.schema.json, templates/deployment.yaml, templates/clusterrole.yaml).
 */
import { EXTERNAL_DNS_SERVICE_ACCOUNT, externalDnsEnabled, namespaceOf, type EnvironmentSpec } from '../../config';
import { pod, resources, restrictedContainer, restrictedPod, systemPlacement } from './common';
import type { AddonDefinition } from './types';

export const EXTERNAL_DNS_RELEASE = 'external-dns';
/** The Hetzner webhook sidecar: its image (pinned) and its metrics/health port. */
export const HETZNER_WEBHOOK_IMAGE = {
  repository: 'ghcr.io/mconfalonieri/external-dns-hetzner-webhook',
  tag: 'v0.11.0',
};
export const HETZNER_WEBHOOK_METRICS_PORT = 8080;

const CONTROLLER = resources('20m', '64Mi', '200m', '128Mi');
const WEBHOOK = resources('10m', '32Mi', '100m', '64Mi');

/** The registry owner of this environment's records (one per cluster, never shared). */
export const txtOwnerId = (spec: EnvironmentSpec) => `${spec.name}-${spec.stack}`;

function requireDns(spec: EnvironmentSpec): NonNullable<EnvironmentSpec['dns']> {
  if (!spec.dns) throw new Error('addons.externalDns runs only with `dns` set in the environment');
  return spec.dns;
}

function providerValues(spec: EnvironmentSpec, roleArn: unknown): Record<string, unknown> {
  const dns = requireDns(spec);
  if (dns.provider === 'route53') {
    if (!roleArn) {
      throw new Error(
        'dns.provider is route53 but the cluster has no IRSA role for external-dns (ClusterResult.dnsRoles.externalDns); it is created by infra/aws',
      );
    }
    return {
      provider: { name: 'aws' },
      env: [{ name: 'AWS_DEFAULT_REGION', value: spec.cloud.region }],
      extraArgs: { 'aws-zone-type': 'public', 'zone-id-filter': dns.hostedZoneId! },
      serviceAccount: {
        create: true,
        name: EXTERNAL_DNS_SERVICE_ACCOUNT,
        annotations: { 'eks.amazonaws.com/role-arn': roleArn },
      },
    };
  }
  const token = dns.tokenSecret!;
  return {
    provider: {
      name: 'webhook',
      webhook: {
        image: HETZNER_WEBHOOK_IMAGE,
        env: [
          { name: 'HETZNER_API_KEY', valueFrom: { secretKeyRef: { name: token.name, key: token.key } } },
          { name: 'USE_CLOUD_API', value: 'true' },
          { name: 'DOMAIN_FILTER', value: dns.zone },
        ],
        resources: WEBHOOK,
        securityContext: restrictedContainer(),
        // The chart's `http-webhook` port is 8080, the webhook's metrics socket, which serves
        // /health and /ready (the webhook API itself stays on localhost:8888).
        livenessProbe: { httpGet: { path: '/health', port: 'http-webhook' } },
        readinessProbe: { httpGet: { path: '/ready', port: 'http-webhook' } },
      },
    },
    serviceAccount: { create: true, name: EXTERNAL_DNS_SERVICE_ACCOUNT },
  };
}

export const externalDns: AddonDefinition = {
  name: 'externalDns',
  release: EXTERNAL_DNS_RELEASE,
  purpose: "DNS: the API host's record in the environment's zone, pointing at the ingress gateway",
  enabled: (spec) => externalDnsEnabled(spec),
  chartVersionOverride: (spec) => spec.addons.externalDns.chartVersion,
  namespace: (spec) => namespaceOf(spec, 'external-dns').name,
  // The record follows the ingress gateway's load balancer; its ServiceMonitor needs the operator's CRDs.
  dependsOn: () => ['istioGateway', 'kubePrometheusStack'],
  crdGroups: [],
  usesCrdGroups: (spec) => (spec.addons.kubePrometheusStack.enabled ? ['monitoring.coreos.com'] : []),
  admissionWebhooks: () => false,
  placement: 'system',
  // One pod; on Hetzner with the DNS webhook as a sidecar.
  pods: (spec) =>
    spec.dns?.provider === 'hetzner' ? [pod('controller', 1, CONTROLLER, WEBHOOK)] : [pod('controller', 1, CONTROLLER)],
  values: ({ spec, cluster }) => {
    const dns = requireDns(spec);
    const { nodeSelector, tolerations } = systemPlacement(spec);
    return {
      // external-dns has no leader election: one replica (the chart allows 0 or 1).
      replicaCount: 1,
      sources: ['istio-gateway'],
      namespaced: true,
      sourceNamespace: namespaceOf(spec, 'ingress').name,
      policy: 'sync',
      registry: 'txt',
      txtOwnerId: txtOwnerId(spec),
      domainFilters: [dns.zone],
      nodeSelector,
      tolerations,
      resources: CONTROLLER,
      podSecurityContext: restrictedPod(65532),
      securityContext: restrictedContainer(),
      serviceMonitor: { enabled: spec.addons.kubePrometheusStack.enabled },
      ...providerValues(spec, cluster.dnsRoles?.externalDns),
    };
  },
};
