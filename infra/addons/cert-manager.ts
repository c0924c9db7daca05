/**
 * cert-manager: issues the API host's public certificate (ACME) and the platform's
 * internal certificates (Vault's serving certificate) from the issuers and
 * Certificates in dist/<stack>/certificates.yaml. Controller, webhook, CA injector
 * and the start-up API check run restricted on the system pool; the internal CA's
 * key Secret lives in its namespace (the ClusterIssuer "cluster resource namespace").
 *
 * Values checked against cert-manager/cert-manager deploy/charts/cert-manager
 * values.yaml at v1.21.1 (../shared/charts/cert-manager/1.21.1).
 */
import {
  CERT_MANAGER_SERVICE_ACCOUNT,
  EDGE_ADDON_PORTS,
  certManagerEnabled,
  namespaceOf,
  type EnvironmentSpec,
} from '../../config';
import { haReplicas, pod, resources, restrictedContainer, restrictedPod, systemPlacement } from './common';
import type { AddonDefinition } from './types';

export const CERT_MANAGER_RELEASE = 'cert-manager';
/** The chart's webhook listens on this pod port (`webhook.securePort`, default 10250). */
export const CERT_MANAGER_WEBHOOK_PORT = EDGE_ADDON_PORTS.certManager.webhook;

const CONTROLLER = resources('50m', '128Mi', '500m', '512Mi');
const WEBHOOK = resources('20m', '32Mi', '200m', '128Mi');
const CAINJECTOR = resources('20m', '128Mi', '200m', '512Mi');
const STARTUP_CHECK = resources('10m', '32Mi', '100m', '64Mi');

export const certManagerNamespace = (spec: EnvironmentSpec) => namespaceOf(spec, 'cert-manager').name;

export const certManager: AddonDefinition = {
  name: 'certManager',
  release: CERT_MANAGER_RELEASE,
  purpose: 'certificates: ACME for the API host, an internal CA for Vault and other in-cluster TLS',
  enabled: (spec) => certManagerEnabled(spec),
  chartVersionOverride: (spec) => spec.addons.certManager.chartVersion,
  namespace: certManagerNamespace,
  // Its ServiceMonitor needs the Prometheus operator's CRDs.
  dependsOn: () => ['kubePrometheusStack'],
  crdGroups: ['cert-manager.io', 'acme.cert-manager.io'],
  usesCrdGroups: (spec) => (spec.addons.kubePrometheusStack.enabled ? ['monitoring.coreos.com'] : []),
  // The webhook validates and mutates cert-manager resources.
  admissionWebhooks: () => true,
  placement: 'system',
  // The start-up API check is a post-install hook Job (chart values.yaml `startupapicheck.jobAnnotations`), not a running pod.
  pods: (spec) => [
    pod('controller', haReplicas(spec), CONTROLLER),
    pod('webhook', haReplicas(spec), WEBHOOK),
    pod('cainjector', 1, CAINJECTOR),
  ],
  values: ({ spec, cluster }) => {
    const { nodeSelector, tolerations } = systemPlacement(spec);
    const podContext = restrictedPod(1000);
    const container = restrictedContainer();
    const replicas = haReplicas(spec);
    const dns01Role = cluster.dnsRoles?.certManager;
    return {
      crds: { enabled: true, keep: true },
      // Leader election in its own namespace, not the chart's default kube-system.
      global: { leaderElection: { namespace: certManagerNamespace(spec) } },
      replicaCount: replicas,
      podDisruptionBudget: { enabled: replicas > 1, minAvailable: 1 },
      resources: CONTROLLER,
      nodeSelector,
      tolerations,
      securityContext: podContext,
      containerSecurityContext: container,
      // Route 53 DNS-01 (aws): the controller assumes the role through IRSA (ambient credentials).
      serviceAccount: {
        create: true,
        name: CERT_MANAGER_SERVICE_ACCOUNT,
        ...(dns01Role ? { annotations: { 'eks.amazonaws.com/role-arn': dns01Role } } : {}),
      },
      prometheus: {
        enabled: true,
        servicemonitor: { enabled: spec.addons.kubePrometheusStack.enabled },
      },
      webhook: {
        replicaCount: replicas,
        podDisruptionBudget: { enabled: replicas > 1, minAvailable: 1 },
        resources: WEBHOOK,
        nodeSelector,
        tolerations,
        securityContext: podContext,
        containerSecurityContext: container,
      },
      cainjector: {
        replicaCount: 1,
        resources: CAINJECTOR,
        nodeSelector,
        tolerations,
        securityContext: podContext,
        containerSecurityContext: container,
      },
      startupapicheck: {
        resources: STARTUP_CHECK,
        nodeSelector,
        tolerations,
        securityContext: podContext,
        containerSecurityContext: container,
      },
    };
  },
};
