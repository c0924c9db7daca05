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
