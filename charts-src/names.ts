/**
 * Names of platform objects that more than one chart refers to (the API's
 * ServiceAccount is bound by the agent runtime's RBAC, the warm pool is the target
 * of a ScaledObject, ...). Object names are API: changing one replaces the object.
 */
export const API_NAME = 'api';
/** The API's ServiceAccount: the orchestrator identity that creates agent pods. */
export const API_SERVICE_ACCOUNT = 'api';
export const WARM_POOL_NAME = 'agent-warm-pool';
/** PodTemplate of a tier: `agent-<tier>`. */
export const agentTemplateName = (tier: string) => `agent-${tier}`;
/** PriorityClass names. */
export const PRIORITY_PLATFORM_CRITICAL = 'platform-critical';
export const PRIORITY_AGENT = 'agent';
export const PRIORITY_BATCH = 'batch';
/** Istio ingress gateway pods carry this label (istio/gateway chart default `istio: <release>`). */
export { INGRESS_GATEWAY_LABELS } from '../config';

// ---------------------------------------------------------------------------
// Pod labels of workloads other charts (or add-ons) run, that network policies,
// AuthorizationPolicies and monitors select on. Each must match what the
// workload really carries: a wrong label silently opens or closes a flow.
// ---------------------------------------------------------------------------

/** Labels every API pod carries (selector of its Service, PDB, HPA target, policies). */
export const API_POD_LABELS = { 'app.kubernetes.io/name': API_NAME } as const;
/** Name of the API's Service port (Istio reads the protocol from the `http` prefix). */
export const HTTP_PORT_NAME = 'http';
/** Name of a workload's Prometheus port, where it differs from the HTTP port. */
export const METRICS_PORT_NAME = 'metrics';
/** The agent pods' own ServiceAccount (no token: agents never call the Kubernetes API). */
export const AGENT_SERVICE_ACCOUNT = 'agent';
/** Role and RoleBinding that let the API (orchestrator) manage agent sessions. */
export const AGENT_ORCHESTRATOR_ROLE = 'agent-orchestrator';
/**
 * Pod label of warm-pool pods (`true`). The orchestrator claims a warm pod by removing this
 * label: the ReplicaSet releases it and KEDA/the ReplicaSet start a replacement.
 */
export { AGENT_WARM_POOL_LABEL } from '../config';
/** Prometheus pods (prometheus-operator labels every Prometheus pod with this). */
export const PROMETHEUS_POD_LABELS = { 'app.kubernetes.io/name': 'prometheus' } as const;
/** Alertmanager pods (prometheus-operator): they send notifications to receivers on the internet. */
export const ALERTMANAGER_POD_LABELS = { 'app.kubernetes.io/name': 'alertmanager' } as const;
/**
 * Label of the kube-prometheus-stack release on ServiceMonitors and PrometheusRules: the
 * chart's default selector (`release: <helm release>`). The add-on also selects monitors
 * cluster-wide (`*SelectorNilUsesHelmValues: false`); the label keeps them picked up either way.
 */
export const MONITORING_SELECTOR_LABELS = { release: 'kube-prometheus-stack' } as const;
/** Vault server pods (hashicorp/vault chart) and the port clients log in on. */
export const VAULT_POD_LABELS = { 'app.kubernetes.io/name': 'vault' } as const;
export const VAULT_PORT = 8200;
/** CoreDNS pods (k3s and most distributions) in kube-system. */
export const DNS_POD_LABELS = { 'k8s-app': 'kube-dns' } as const;
export const DNS_NAMESPACE = 'kube-system';
/**
 * ServiceAccount of the Istio ingress gateway (istio/gateway chart: the release name,
 * `istio-ingressgateway`, whose pods are labelled INGRESS_GATEWAY_LABELS). The API's
 * AuthorizationPolicy admits exactly this identity.
 */
export const INGRESS_GATEWAY_SERVICE_ACCOUNT = 'istio-ingressgateway';
/** Service of the Istio ingress gateway (the istio/gateway chart names it after the release). */
export const INGRESS_GATEWAY_SERVICE = 'istio-ingressgateway';
/** Istio trust domain (the mesh default); SPIFFE principals are `<domain>/ns/<ns>/sa/<sa>`. */
export const MESH_TRUST_DOMAIN = 'cluster.local';

// ---------------------------------------------------------------------------
// Objects every namespace's guardrails create.
// ---------------------------------------------------------------------------

export const NAMESPACE_QUOTA = 'namespace-quota';
export const NAMESPACE_LIMITS = 'namespace-limits';
/** NetworkPolicy selecting every pod for ingress and egress with no rule: deny by default. */
export const DEFAULT_DENY_POLICY = 'default-deny';
export const ALLOW_DNS_POLICY = 'allow-dns';
export const ALLOW_SAME_NAMESPACE_POLICY = 'allow-same-namespace';
/** Tenant RoleBindings to the built-in `admin` and `view` ClusterRoles. */
export const TENANT_ADMINS_BINDING = 'tenant-admins';
export const TENANT_VIEWERS_BINDING = 'tenant-viewers';
/** The platform's alert rules. */
export const PLATFORM_ALERTS = 'platform-alerts';
