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
export const INGRESS_GATEWAY_LABELS = { istio: 'ingressgateway' } as const;
/** Labels every API pod carries; the agents' network policies admit traffic from / to exactly these pods. */
export const API_POD_LABELS = { 'app.kubernetes.io/name': API_NAME } as const;
/** The agent pods' own ServiceAccount (no token: agents never call the Kubernetes API). */
export const AGENT_SERVICE_ACCOUNT = 'agent';
/** Role and RoleBinding that let the API (orchestrator) manage agent sessions. */
export const AGENT_ORCHESTRATOR_ROLE = 'agent-orchestrator';
/**
 * Pod label of warm-pool pods (`true`). The orchestrator claims a warm pod by removing this
 * label: the ReplicaSet releases it and KEDA/the ReplicaSet start a replacement.
 */
export const AGENT_WARM_POOL_LABEL = 'agent-platform.io/warm-pool';
/** Prometheus pods (kube-prometheus-stack) carry this label; they scrape agent metrics. */
export const PROMETHEUS_POD_LABELS = { 'app.kubernetes.io/name': 'prometheus' } as const;
/** Vault server pods (hashicorp/vault chart) and the port agents' Vault agent logs in on. */
export const VAULT_POD_LABELS = { 'app.kubernetes.io/name': 'vault' } as const;
export const VAULT_PORT = 8200;
/** CoreDNS pods (k3s and most distributions) in kube-system. */
export const DNS_POD_LABELS = { 'k8s-app': 'kube-dns' } as const;
