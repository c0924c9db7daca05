/**
 * The sandbox of every pod created in the agents namespace, whoever creates it (the
 * orchestrator, the warm pool's ReplicaSet, anyone holding their credentials): gVisor,
 * the agent pool only, the agent identity without a token, the agent priority, allowed
 * images, exactly one tier's size, bounded scratch space, and the labels the network
 * policies and the orchestrator rely on.
 *
 * Validating admission runs after every mutating step (kubernetes
 * staging/src/k8s.io/apiserver/pkg/admission/plugin/policy/validating, v1.31): the policy
 * sees the RuntimeClass's nodeSelector and tolerations merged in (plugin/pkg/admission/
 * runtimeclass), the not-ready/unreachable tolerations (plugin/pkg/admission/
 * defaulttolerationseconds) and the Vault agent init container and its in-memory volumes
 * (hashicorp/vault-k8s agent-inject/agent/container_volume.go). Quantities are in the API
 * server's canonical form (k8s.io/apimachinery pkg/api/resource Quantity.ToUnstructured).
 */
import {
  ADMISSION_POLICIES,
  AGENT_SESSION_LABEL,
  AGENT_TIER_LABEL,
  AGENT_WARM_POOL_LABEL,
  bytes,
  canonicalQuantity,
  GVISOR_RUNTIME_CLASS,
  schedulingFor,
  SESSION_SECRET_PREFIX,
  VAULT_CA_SECRET,
  type AgentTier,
  type PoolIdentity,
} from '../../config';
import { and, BYTE_QUANTITY_PATTERN, bytesOf, label, or, str, strList, strMap } from './cel';
import { coreRule, namespacesNamed, type AdmissionPolicyDefinition } from './policy-definition';

/** Tolerations the DefaultTolerationSeconds admission plugin adds to every pod (NoExecute, Exists). */
export const API_SERVER_TOLERATION_KEYS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

/** In-memory emptyDirs the Vault injector adds without a sizeLimit (pre-populate-only: no home-sidecar). */
export const VAULT_INJECTED_VOLUMES = ['home-init', 'vault-secrets'];
/**
 * The Secret volume the injector adds for `vault.hashicorp.com/tls-secret` (vault-k8s
 * agent-inject/agent/container_volume.go `tlsSecretVolumeName`), mounted at /vault/tls by
 * the vault-agent containers only: the internal CA Vault's certificate is verified with.
 */
export const VAULT_TLS_VOLUME = 'vault-tls-secrets';
/** The only containers that may mount it (the injector's init container and sidecar). */
export const VAULT_AGENT_CONTAINERS = ['vault-agent-init', 'vault-agent'];

export interface AgentPodPolicyProps {
  /** The agents namespace. */
  readonly namespace: string;
  /** The agent pool: its nodeSelector and tolerations are the only ones allowed. */
  readonly pool: PoolIdentity;
  readonly tiers: Readonly<Record<string, AgentTier>>;
  readonly allowedRegistries: readonly string[];
  readonly serviceAccount: string;
  readonly priorityClass: string;
  /** Injected by the Vault agent injector, when Vault is on. @default - no injection allowed */
  readonly vault?: {
    readonly image: string;
    readonly resources: { readonly requests: Record<string, string>; readonly limits: Record<string, string> };
    /** Audience of the only projected token a pod may carry (the one vault-agent logs in with). */
    readonly tokenAudience: string;
  };
}

const canonical = (r: Readonly<Record<string, string>>) =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, canonicalQuantity(v)]));

function tierTable(tiers: AgentPodPolicyProps['tiers'], pick: (t: AgentTier) => string): string {
  return `{${Object.entries(tiers)
    .map(([name, t]) => `${str(name)}: ${pick(t)}`)
    .join(', ')}}`;
}

/** A toleration `t` equal to one the pool's RuntimeClass merges in. */
function poolToleration(t: { key: string; operator: string; value?: string; effect: string }): string {
  return t.operator === 'Exists'
    ? and(
        `has(t.key) && t.key == ${str(t.key)}`,
        `has(t.operator) && t.operator == 'Exists'`,
        `has(t.effect) && t.effect == ${str(t.effect)}`,
      )
    : and(
        `has(t.key) && t.key == ${str(t.key)}`,
        `!has(t.operator) || t.operator == 'Equal'`,
        `has(t.value) && t.value == ${str(t.value ?? '')}`,
        `has(t.effect) && t.effect == ${str(t.effect)}`,
      );
}

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

export function agentPodPolicy(props: AgentPodPolicyProps): AdmissionPolicyDefinition {
  const session = label('object.metadata', AGENT_SESSION_LABEL);
  const { nodeSelector, tolerations } = schedulingFor(props.pool);
  const tierNames = Object.keys(props.tiers);
  const vault = props.vault;
  const imageAllowed = or(
    ...props.allowedRegistries.map((r) => `c.image.startsWith(${str(`${r}/`)})`),
    ...(vault ? [`c.image == ${str(vault.image)}`] : []),
  );
  const allowedImages = [...props.allowedRegistries.map((r) => `${r}/…`), ...(vault ? [vault.image] : [])].join(', ');
  const tolerationAllowed = or(
    ...tolerations.map(poolToleration),
    and(
      `has(t.key) && t.key in ${strList(API_SERVER_TOLERATION_KEYS)}`,
      `has(t.operator) && t.operator == 'Exists'`,
      `has(t.effect) && t.effect == 'NoExecute'`,
    ),
  );
  const resourcesOf = (c: string, requests: string, limits: string) =>
    and(
      `has(${c}.resources.requests) && ${c}.resources.requests == ${requests}`,
      `has(${c}.resources.limits) && ${c}.resources.limits == ${limits}`,
    );
  const vaultVolume = vault
    ? ` || (v.name in ${strList(VAULT_INJECTED_VOLUMES)} && has(v.emptyDir.medium) && v.emptyDir.medium == 'Memory' && !has(v.emptyDir.sizeLimit))`
    : '';
  // Vault speaks TLS only: the injector mounts the namespace's CA Secret into its own containers.
  const vaultCaVolume = vault
    ? ` || (v.name == ${str(VAULT_TLS_VOLUME)} && v.secret.secretName == ${str(VAULT_CA_SECRET)})`
    : '';
  const tokenAudience = vault
    ? `has(s.serviceAccountToken.audience) && s.serviceAccountToken.audience == ${str(vault.tokenAudience)}`
    : 'false';
  const tierList = tierNames.join(', ');

  return {
    name: ADMISSION_POLICIES.agentPods.name,
    description: `pods in ${props.namespace}: gVisor, the ${props.pool.name} pool, the ${props.serviceAccount} identity without a token, priority ${props.priorityClass}, allowed images, one tier's size`,
    resourceRules: [coreRule(['pods'], ['CREATE'])],
    namespaceSelector: namespacesNamed([props.namespace]),
    variables: [
      { name: 'tier', expression: label('object.metadata', AGENT_TIER_LABEL) },
      { name: 'tierRequests', expression: tierTable(props.tiers, (t) => strMap(canonical(t.requests))) },
      { name: 'tierLimits', expression: tierTable(props.tiers, (t) => strMap(canonical(t.limits))) },
      { name: 'tierWorkspaceBytes', expression: tierTable(props.tiers, (t) => String(bytes(t.workspace))) },
      {
        // The one Secret a pod may read: its own session's (none for a warm-pool pod).
        name: 'sessionSecret',
        expression: `${session} != '' ? ${str(SESSION_SECRET_PREFIX)} + ${session} : ''`,
      },
    ],
    validations: [
      {
        expression: `variables.tier in ${strList(tierNames)}`,
        message: `agent pods carry the label ${AGENT_TIER_LABEL} with a tier of this environment (allowed: ${tierList})`,
      },
      {
        expression: or(
          and(
            `${label('object.metadata', AGENT_SESSION_LABEL)} != ''`,
            `${label('object.metadata', AGENT_WARM_POOL_LABEL)} == ''`,
          ),
          and(
            `${label('object.metadata', AGENT_WARM_POOL_LABEL)} == 'true'`,
            `${label('object.metadata', AGENT_SESSION_LABEL)} == ''`,
          ),
        ),
        message: `agent pods carry either the label ${AGENT_SESSION_LABEL} (a session pod) or ${AGENT_WARM_POOL_LABEL}: "true" (a warm-pool pod), not both`,
      },
      {
        expression: `has(object.spec.runtimeClassName) && object.spec.runtimeClassName == ${str(GVISOR_RUNTIME_CLASS)}`,
        message: `agent pods run in the gVisor sandbox: spec.runtimeClassName must be "${GVISOR_RUNTIME_CLASS}" (runc would run untrusted code on the host kernel)`,
        reason: 'Forbidden',
      },
      {
        expression: `has(object.spec.serviceAccountName) && object.spec.serviceAccountName == ${str(props.serviceAccount)}`,
        message: `agent pods run as the ServiceAccount "${props.serviceAccount}" (no RBAC rights); no other identity is allowed`,
        reason: 'Forbidden',
      },
      {
        expression: `has(object.spec.automountServiceAccountToken) && object.spec.automountServiceAccountToken == false`,
        message: 'agent pods set spec.automountServiceAccountToken: false; agents never hold a Kubernetes API token',
        reason: 'Forbidden',
      },
      {
        expression: `!has(object.spec.volumes) || object.spec.volumes.all(v, !has(v.projected) || !has(v.projected.sources) || v.projected.sources.all(s, !has(s.serviceAccountToken) || (${tokenAudience})))`,
        message: vault
          ? `agent pods project a ServiceAccount token only with audience "${vault.tokenAudience}" (the Vault login); no token for the Kubernetes API`
          : 'agent pods project no ServiceAccount token',
        reason: 'Forbidden',
      },
      {
        expression: and(
          `!has(object.spec.volumes) || object.spec.volumes.all(v, (!has(v.secret) || (has(v.secret.secretName) && (v.secret.secretName == variables.sessionSecret${vaultCaVolume}))) && (!has(v.projected) || !has(v.projected.sources) || v.projected.sources.all(s, !has(s.secret) || (has(s.secret.name) && s.secret.name == variables.sessionSecret))))`,
          ...CONTAINER_LISTS.map(
            (list) =>
              `!has(object.spec.${list}) || object.spec.${list}.all(c, c.name in ${strList(VAULT_AGENT_CONTAINERS)} || !has(c.volumeMounts) || c.volumeMounts.all(m, m.name != ${str(VAULT_TLS_VOLUME)}))`,
          ),
          ...CONTAINER_LISTS.map(
            (list) =>
              `!has(object.spec.${list}) || object.spec.${list}.all(c, (!has(c.envFrom) || c.envFrom.all(e, !has(e.secretRef) || (has(e.secretRef.name) && e.secretRef.name == variables.sessionSecret))) && (!has(c.env) || c.env.all(e, !has(e.valueFrom) || !has(e.valueFrom.secretKeyRef) || (has(e.valueFrom.secretKeyRef.name) && e.valueFrom.secretKeyRef.name == variables.sessionSecret))))`,
          ),
        ),
        message: `agent pods read no Secret but their own session's (${SESSION_SECRET_PREFIX}<value of ${AGENT_SESSION_LABEL}>), by volume, projection, envFrom or env; warm-pool pods read none (the KEDA connection and other sessions' Secrets stay out)`,
        reason: 'Forbidden',
      },
      {
        expression: `!has(object.spec.resourceClaims) || size(object.spec.resourceClaims) == 0`,
        message:
          'agent pods claim no devices (spec.resourceClaims: GPUs and other DRA devices are not part of any tier)',
        reason: 'Forbidden',
      },
      {
        expression: `!has(object.spec.nodeName) || object.spec.nodeName == ''`,
        message:
          'agent pods never set spec.nodeName: the scheduler places them on the agent pool (nodeName bypasses it, taints included)',
        reason: 'Forbidden',
      },
      {
        expression: `has(object.spec.nodeSelector) && object.spec.nodeSelector == ${strMap(nodeSelector)}`,
        message: `agent pods select exactly the agent pool: spec.nodeSelector must be ${JSON.stringify(nodeSelector)} (the gVisor RuntimeClass adds it); no other node labels`,
        reason: 'Forbidden',
      },
      {
        expression: `!has(object.spec.tolerations) || object.spec.tolerations.all(t, ${tolerationAllowed})`,
        message: `agent pods tolerate only the agent pool's taints (${tolerations.map((t) => `${t.key}${t.value !== undefined ? `=${t.value}` : ''}:${t.effect}`).join(', ') || 'none'}) and the API server's ${API_SERVER_TOLERATION_KEYS.join('/')} NoExecute tolerations`,
        reason: 'Forbidden',
      },
      {
        expression: `has(object.spec.priorityClassName) && object.spec.priorityClassName == ${str(props.priorityClass)}`,
        message: `agent pods use the PriorityClass "${props.priorityClass}"; any other class could preempt the platform`,
        reason: 'Forbidden',
      },
      {
        expression: and(
          `object.spec.containers.all(c, has(c.image) && (${imageAllowed}))`,
          `!has(object.spec.initContainers) || object.spec.initContainers.all(c, has(c.image) && (${imageAllowed}))`,
          `!has(object.spec.ephemeralContainers) || object.spec.ephemeralContainers.all(c, has(c.image) && (${imageAllowed}))`,
        ),
        message: `every image of an agent pod (init containers included) comes from an allowed registry or is injected by the platform (allowed: ${allowedImages})`,
        reason: 'Forbidden',
      },
      {
        expression: and(
          `size(object.spec.containers) == 1`,
          `variables.tier in variables.tierRequests`,
          resourcesOf(
            'object.spec.containers[0]',
            'variables.tierRequests[variables.tier]',
            'variables.tierLimits[variables.tier]',
          ),
        ),
        message: `an agent pod has one container whose CPU and memory requests and limits are exactly those of its tier (${tierList}, in agents.tiers); nothing else`,
        reason: 'Forbidden',
      },
      {
        expression: `!has(object.spec.initContainers) || object.spec.initContainers.all(c, ${or(
          and(
            'variables.tier in variables.tierRequests',
            resourcesOf('c', 'variables.tierRequests[variables.tier]', 'variables.tierLimits[variables.tier]'),
          ),
          ...(vault
            ? [resourcesOf('c', strMap(canonical(vault.resources.requests)), strMap(canonical(vault.resources.limits)))]
            : []),
        )})`,
        message: `init containers of agent pods request and limit exactly the tier's resources${vault ? ` or the Vault agent's (${JSON.stringify(vault.resources)})` : ''}`,
        reason: 'Forbidden',
      },
      {
        expression: `!has(object.spec.volumes) || object.spec.volumes.all(v, !has(v.emptyDir) || (has(v.emptyDir.sizeLimit) && string(v.emptyDir.sizeLimit).matches(${str(BYTE_QUANTITY_PATTERN)}) && variables.tier in variables.tierWorkspaceBytes && ${bytesOf('string(v.emptyDir.sizeLimit)')} <= variables.tierWorkspaceBytes[variables.tier])${vaultVolume})`,
        message: `every emptyDir of an agent pod has a sizeLimit (in bytes: digits and an optional Ki..Ei or k..E suffix) no larger than its tier's workspace (agents.tiers.<tier>.workspace)${vault ? "; only the Vault agent's in-memory volumes have none" : ''}`,
        reason: 'Forbidden',
      },
    ],
  };
}
