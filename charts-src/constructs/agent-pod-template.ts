import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import {
  AGENT_POD_LABEL,
  AGENT_TIER_LABEL,
  GVISOR_RUNTIME_CLASS,
  bytes,
  cpuMillis,
  limitsBelowRequests,
  type AgentTier,
  VAULT_CA_SECRET,
} from '../../config';
import { AGENT_SERVICE_ACCOUNT, PRIORITY_AGENT, agentTemplateName } from '../names';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from './pod-security';

/** An HTTP probe as the model describes it. */
export interface AgentProbe {
  readonly path: string;
  readonly periodSeconds: number;
  readonly failureThreshold: number;
  readonly initialDelaySeconds: number;
  readonly timeoutSeconds: number;
}

/** Vault agent injection of an agent pod. */
export interface AgentVaultInjection {
  /** Vault Kubernetes-auth role the pod logs in as. */
  readonly role: string;
  /** File name under /vault/secrets → Vault path. Paths only, never values. */
  readonly secrets: Readonly<Record<string, string>>;
  /**
   * Requests and limits of the injected vault-agent init container. They count in the pod's
   * effective requests (max of init and regular containers), so they are kept below every tier.
   * @default - requests 50m/64Mi, limits 250m/128Mi
   */
  readonly resources?: AgentContainerResources;
  /** @default 'vault' (the audience the Vault role must list) */
  readonly tokenAudience?: string;
}

export interface AgentContainerResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

export const DEFAULT_VAULT_AGENT_RESOURCES: AgentContainerResources = {
  requests: { cpu: '50m', memory: '64Mi' },
  limits: { cpu: '250m', memory: '128Mi' },
};

/** Where the tier's workspace emptyDir is mounted. */
export const WORKSPACE_PATH = '/workspace';
/** Name of the projected token volume only the vault-agent container mounts. */
export const VAULT_TOKEN_VOLUME = 'vault-token';
/** Container name of the agent (the KEDA cpu trigger and the PodMonitor refer to it). */
export const AGENT_CONTAINER = 'agent';
export const HTTP_PORT_NAME = 'http';
export const METRICS_PORT_NAME = 'metrics';

export interface AgentPodSpecProps {
  /** Tier name (label value and template name suffix). */
  readonly tier: string;
  /** The tier's requests, limits and workspace size. */
  readonly resources: AgentTier;
  /** Agent image, pinned. */
  readonly image: string;
  /** Port the orchestrator talks to. */
  readonly port: number;
  /** @default - same as port */
  readonly metricsPort?: number;
  /** Non-zero UID the pod runs as. */
  readonly runAsUser: number;
  /**
   * How agents reach the platform API: `PLATFORM_API_URL` (and, when the API sits behind the
   * mesh gateway, `PLATFORM_API_CONNECT_TO`, the in-cluster address to dial with that URL's host).
   * @default - no API environment variables
   */
  readonly api?: { readonly url: string; readonly connectTo?: string };
  /** Startup, liveness and readiness probes on the `http` port. */
  readonly probes: { readonly startup: AgentProbe; readonly liveness: AgentProbe; readonly readiness: AgentProbe };
  /** Vault agent injection (an init container renders the secrets). @default - no injection (Vault disabled) */
  readonly vault?: AgentVaultInjection;
  /** `Never` for session pods (a finished session is not restarted); `Always` for the warm pool. */
  readonly restartPolicy: 'Never' | 'Always';
  /** Extra pod labels (the warm-pool marker). @default {} */
  readonly extraLabels?: Readonly<Record<string, string>>;
  /** sizeLimit of the /tmp emptyDir. @default - 1Gi, or the workspace size when that is smaller (admission caps every emptyDir at it) */
  readonly tmpSizeLimit?: string;
  /** Seconds a stopping agent gets before it is killed. @default 30 */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Whether the cluster autoscaler may evict the pod to remove its node (pods with emptyDir
   * volumes block scale-down unless annotated).
   * @default - true for the warm pool (restartPolicy Always: disposable, replaced elsewhere),
   * false for sessions (evicting one ends a user's session)
   */
  readonly safeToEvict?: boolean;
}

/** Cluster autoscaler annotation deciding whether a pod may be evicted to remove its node. */
export const SAFE_TO_EVICT = 'cluster-autoscaler.kubernetes.io/safe-to-evict';

/** The labels every agent pod carries: the network policies, PodMonitor and quota alerts select on them. */
export function agentPodLabels(tier: string): Record<string, string> {
  return { [AGENT_POD_LABEL]: 'true', [AGENT_TIER_LABEL]: tier, 'app.kubernetes.io/name': 'agent' };
}

/** Vault agent injector annotations: an init container renders the secrets; no long-running sidecar. */
export function vaultAnnotations(vault: AgentVaultInjection): Record<string, string> {
  const r = vault.resources ?? DEFAULT_VAULT_AGENT_RESOURCES;
  const annotations: Record<string, string> = {
    'vault.hashicorp.com/agent-inject': 'true',
    'vault.hashicorp.com/role': vault.role,
    // Sessions are short-lived: secrets are rendered once before the agent starts, so no sidecar
    // runs next to untrusted code and the pod's resources stay exactly the tier's.
    'vault.hashicorp.com/agent-pre-populate-only': 'true',
    // The agent container has no Kubernetes token; only vault-agent mounts this projected one.
    'vault.hashicorp.com/agent-service-account-token-volume-name': VAULT_TOKEN_VOLUME,
    'vault.hashicorp.com/agent-requests-cpu': r.requests.cpu,
    'vault.hashicorp.com/agent-requests-mem': r.requests.memory,
    'vault.hashicorp.com/agent-limits-cpu': r.limits.cpu,
    'vault.hashicorp.com/agent-limits-mem': r.limits.memory,
    // Vault serves TLS from the internal CA: vault-agent mounts this namespace's CA Secret at
    // /vault/tls and verifies with it (hashicorp/vault-k8s agent-inject/agent/annotations.go).
    'vault.hashicorp.com/tls-secret': VAULT_CA_SECRET,
    'vault.hashicorp.com/ca-cert': '/vault/tls/ca.crt',
  };
  for (const [file, path] of Object.entries(vault.secrets).sort(([a], [b]) => a.localeCompare(b))) {
    annotations[`vault.hashicorp.com/agent-inject-secret-${file}`] = path;
  }
  return annotations;
}

function probe(p: AgentProbe): k8s.Probe {
  return {
    httpGet: { path: p.path, port: k8s.IntOrString.fromString(HTTP_PORT_NAME) },
    periodSeconds: p.periodSeconds,
    failureThreshold: p.failureThreshold,
    initialDelaySeconds: p.initialDelaySeconds,
    timeoutSeconds: p.timeoutSeconds,
  };
}

const quantities = (r: { cpu: string; memory: string }) => ({
  cpu: k8s.Quantity.fromString(r.cpu),
  memory: k8s.Quantity.fromString(r.memory),
});

/** 1Gi of /tmp, or the tier's workspace when smaller: no emptyDir of an agent pod exceeds the workspace. */
function defaultTmpSize(workspace: string): string {
  return bytes(workspace) < bytes('1Gi') ? workspace : '1Gi';
}

/**
 * The pod template of one agent tier: gVisor, restricted, the tier's resources, a bounded
 * workspace, no Kubernetes token. Shared by the tier's PodTemplate and the warm pool, so a
 * warm pod is exactly a session pod of its tier.
 */
export function agentPodTemplateSpec(props: AgentPodSpecProps): k8s.PodTemplateSpec {
  const metricsPort = props.metricsPort ?? props.port;
  if (bytes(props.resources.workspace) <= 0) {
    throw new Error(`tier ${props.tier}: workspace (${props.resources.workspace}) must be greater than 0`);
  }
  // A value that is not a quantity throws here (cpuMillis/bytes), as it always did.
  const strictAmount = (resource: string, value: string) => (resource === 'cpu' ? cpuMillis(value) : bytes(value));
  const [below] = limitsBelowRequests(props.resources.requests, props.resources.limits, strictAmount);
  if (below) {
    throw new Error(
      `tier ${props.tier}: limits.${below.resource} (${below.limit}) must be >= requests.${below.resource} (${below.request})`,
    );
  }
  const ports: k8s.ContainerPort[] = [{ name: HTTP_PORT_NAME, containerPort: props.port, protocol: 'TCP' }];
  if (metricsPort !== props.port) ports.push({ name: METRICS_PORT_NAME, containerPort: metricsPort, protocol: 'TCP' });
  const volumes: k8s.Volume[] = [
    { name: 'workspace', emptyDir: { sizeLimit: k8s.Quantity.fromString(props.resources.workspace) } },
    {
      name: 'tmp',
      emptyDir: { sizeLimit: k8s.Quantity.fromString(props.tmpSizeLimit ?? defaultTmpSize(props.resources.workspace)) },
    },
  ];
  if (props.vault) {
    volumes.push({
      name: VAULT_TOKEN_VOLUME,
      projected: {
        sources: [
          {
            serviceAccountToken: {
              audience: props.vault.tokenAudience ?? 'vault',
              expirationSeconds: 600,
              path: 'token',
            },
          },
        ],
      },
    });
  }
  return {
    metadata: {
      labels: { ...agentPodLabels(props.tier), ...(props.extraLabels ?? {}) },
      annotations: {
        [SAFE_TO_EVICT]: String(props.safeToEvict ?? props.restartPolicy === 'Always'),
        ...(props.vault ? vaultAnnotations(props.vault) : {}),
      },
    },
    spec: {
      runtimeClassName: GVISOR_RUNTIME_CLASS,
      priorityClassName: PRIORITY_AGENT,
      serviceAccountName: AGENT_SERVICE_ACCOUNT,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      restartPolicy: props.restartPolicy,
      terminationGracePeriodSeconds: props.terminationGracePeriodSeconds ?? 30,
      securityContext: restrictedPodSecurityContext(props.runAsUser),
      containers: [
        {
          name: AGENT_CONTAINER,
          image: props.image,
          imagePullPolicy: 'IfNotPresent',
          ports,
          env: [
            { name: 'AGENT_TIER', value: props.tier },
            { name: 'AGENT_WORKSPACE', value: WORKSPACE_PATH },
            ...(props.api ? [{ name: 'PLATFORM_API_URL', value: props.api.url }] : []),
            ...(props.api?.connectTo ? [{ name: 'PLATFORM_API_CONNECT_TO', value: props.api.connectTo }] : []),
          ],
          resources: {
            requests: quantities(props.resources.requests),
            limits: quantities(props.resources.limits),
          },
          securityContext: restrictedContainerSecurityContext(props.runAsUser),
          startupProbe: probe(props.probes.startup),
          livenessProbe: probe(props.probes.liveness),
          readinessProbe: probe(props.probes.readiness),
          volumeMounts: [
            { name: 'workspace', mountPath: WORKSPACE_PATH },
            { name: 'tmp', mountPath: '/tmp' },
          ],
        },
      ],
      volumes,
    },
  };
}

export interface AgentPodTemplateProps extends Omit<AgentPodSpecProps, 'restartPolicy'> {
  /** Namespace of the template (the agents namespace). */
  readonly namespace: string;
}

/**
 * A PodTemplate object per tier (`agent-<tier>`), which the orchestrator reads and stamps
 * out as a session pod (adding the session's labels, Secret and Service).
 */
export class AgentPodTemplate extends Construct {
  readonly resource: ApiObject;
  readonly name: string;

  constructor(scope: Construct, id: string, props: AgentPodTemplateProps) {
    super(scope, id);
    this.name = agentTemplateName(props.tier);
    const { namespace, ...spec } = props;
    const template = agentPodTemplateSpec({ ...spec, restartPolicy: 'Never' });
    this.resource = new k8s.KubePodTemplate(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace,
        labels: agentPodLabels(props.tier),
        annotations: { 'agent-platform.io/description': `pod template of agent tier ${props.tier} (sessions)` },
      },
      template,
    });
  }
}
