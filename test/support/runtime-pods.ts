/**
 * Agent pods as they reach validating admission at run time: stamped out by the
 * orchestrator from a tier's PodTemplate (or by the warm pool's ReplicaSet), then
 * mutated by what runs before validation in the API server:
 * - ServiceAccount admission (plugin/pkg/admission/serviceaccount): `default` when unset;
 *   a `kube-api-access-*` projected token volume unless automount is false;
 * - RuntimeClass admission (plugin/pkg/admission/runtimeclass): the class's
 *   scheduling.nodeSelector merged in (a conflicting key is refused), its tolerations
 *   appended, its overhead set;
 * - DefaultTolerationSeconds (plugin/pkg/admission/defaulttolerationseconds): not-ready
 *   and unreachable NoExecute tolerations, 300 s, unless present;
 * - Priority (plugin/pkg/admission/priority): `priority` from the class;
 * - the Vault agent injector webhook (hashicorp/vault-k8s agent-inject/agent,
 *   container_init_sidecar.go, container_volume.go): init container `vault-agent-init`
 *   with the configured image (or the `vault.hashicorp.com/agent-image` annotation),
 *   resources from the annotations, in-memory `home-init` and `vault-secrets` volumes, and
 *   with `vault.hashicorp.com/tls-secret` the Secret volume `vault-tls-secrets` at /vault/tls;
 * - quantities re-serialized in canonical form (Quantity.ToUnstructured).
 */
import { canonicalQuantity, SESSION_SECRET_PREFIX, AGENT_SESSION_LABEL } from '../../config';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const clone = <T>(v: T): T => structuredClone(v);

export interface ClusterObjects {
  readonly runtimeClasses: readonly Any[];
  readonly priorityClasses: readonly Any[];
  /** Image the Vault injector is configured with (injector.agentImage); undefined: no injector. */
  readonly vaultImage?: string;
}

/** The orchestrator's session pod: the tier template, a name, the session label and Secret. */
export function stampSession(template: Any, sessionId: string): Any {
  const t = clone(template.template);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${template.metadata.name}-${sessionId}`,
      namespace: template.metadata.namespace,
      labels: { ...t.metadata.labels, [AGENT_SESSION_LABEL]: sessionId },
      annotations: { ...(t.metadata.annotations ?? {}) },
    },
    spec: {
      ...t.spec,
      containers: t.spec.containers.map((c: Any) => ({
        ...c,
        envFrom: [{ secretRef: { name: `${SESSION_SECRET_PREFIX}${sessionId}` } }],
      })),
    },
  };
}

/** A warm-pool pod as the Deployment's ReplicaSet creates it. */
export function replicaSetPod(deployment: Any): Any {
  const t = clone(deployment.spec.template);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${deployment.metadata.name}-7d9f8b6c5-x2k4q`,
      namespace: deployment.metadata.namespace,
      labels: { ...t.metadata.labels, 'pod-template-hash': '7d9f8b6c5' },
      annotations: { ...(t.metadata.annotations ?? {}) },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: `${deployment.metadata.name}-7d9f8b6c5`,
          uid: 'u',
          controller: true,
        },
      ],
    },
    spec: t.spec,
  };
}

function canonicalResources(r: Any): Any {
  if (!r) return r;
  const out: Any = {};
  for (const key of ['requests', 'limits']) {
    if (r[key])
      out[key] = Object.fromEntries(Object.entries(r[key]).map(([k, v]) => [k, canonicalQuantity(String(v))]));
  }
  return out;
}

function canonicalize(pod: Any): void {
  for (const list of ['containers', 'initContainers']) {
    for (const c of pod.spec[list] ?? []) if (c.resources) c.resources = canonicalResources(c.resources);
  }
  for (const v of pod.spec.volumes ?? []) {
    if (v.emptyDir?.sizeLimit !== undefined) v.emptyDir.sizeLimit = canonicalQuantity(String(v.emptyDir.sizeLimit));
  }
}

const sameToleration = (a: Any, b: Any) =>
  a.key === b.key &&
  (a.operator ?? 'Equal') === (b.operator ?? 'Equal') &&
  a.value === b.value &&
  a.effect === b.effect;

function injectVault(pod: Any, image: string): void {
  const a = pod.metadata.annotations ?? {};
  if (a['vault.hashicorp.com/agent-inject'] !== 'true') return;
  const tlsSecret: string | undefined = a['vault.hashicorp.com/tls-secret'];
  const resources = {
    requests: {
      cpu: a['vault.hashicorp.com/agent-requests-cpu'] ?? '250m',
      memory: a['vault.hashicorp.com/agent-requests-mem'] ?? '64Mi',
    },
    limits: {
      cpu: a['vault.hashicorp.com/agent-limits-cpu'] ?? '500m',
      memory: a['vault.hashicorp.com/agent-limits-mem'] ?? '128Mi',
    },
  };
  pod.spec.initContainers = [
    ...(pod.spec.initContainers ?? []),
    {
      name: 'vault-agent-init',
      image: a['vault.hashicorp.com/agent-image'] ?? image,
      command: ['/bin/sh', '-ec'],
      args: [
        'echo ${VAULT_CONFIG?} | base64 -d > /home/vault/config.json && vault agent -config=/home/vault/config.json',
      ],
      resources,
      volumeMounts: [
        { name: 'home-init', mountPath: '/home/vault' },
        {
          name: a['vault.hashicorp.com/agent-service-account-token-volume-name'] ?? 'token',
          mountPath: '/var/run/secrets/vault.hashicorp.com/serviceaccount',
          readOnly: true,
        },
        { name: 'vault-secrets', mountPath: '/vault/secrets' },
        ...(tlsSecret ? [{ name: 'vault-tls-secrets', mountPath: '/vault/tls', readOnly: true }] : []),
      ],
    },
  ];
  pod.spec.volumes = [
    ...(pod.spec.volumes ?? []),
    { name: 'home-init', emptyDir: { medium: 'Memory' } },
    { name: 'vault-secrets', emptyDir: { medium: 'Memory' } },
    ...(tlsSecret ? [{ name: 'vault-tls-secrets', secret: { secretName: tlsSecret } }] : []),
  ];
  pod.metadata.annotations = { ...a, 'vault.hashicorp.com/agent-inject-status': 'injected' };
}

/** The pod after every mutating admission step, as validating admission sees it. */
export function mutateLikeApiServer(input: Any, cluster: ClusterObjects): Any {
  const pod = clone(input);
  const spec = pod.spec;
  spec.serviceAccountName = spec.serviceAccountName ?? 'default';
  if (spec.automountServiceAccountToken !== false) {
    spec.volumes = [
      ...(spec.volumes ?? []),
      {
        name: 'kube-api-access-7xk2p',
        projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }] },
      },
    ];
  }
  const runtimeClass = cluster.runtimeClasses.find((rc) => rc.metadata.name === spec.runtimeClassName);
  if (spec.runtimeClassName && !runtimeClass) throw new Error(`RuntimeClass ${spec.runtimeClassName} not found`);
  if (runtimeClass?.scheduling) {
    for (const [k, v] of Object.entries(runtimeClass.scheduling.nodeSelector ?? {})) {
      if (spec.nodeSelector?.[k] !== undefined && spec.nodeSelector[k] !== v) {
        throw new Error(`conflict: RuntimeClass nodeSelector ${k}=${String(v)}`);
      }
    }
    spec.nodeSelector = { ...(spec.nodeSelector ?? {}), ...runtimeClass.scheduling.nodeSelector };
    const tolerations: Any[] = spec.tolerations ?? [];
    for (const t of runtimeClass.scheduling.tolerations ?? []) {
      if (!tolerations.some((x) => sameToleration(x, t))) tolerations.push(clone(t));
    }
    spec.tolerations = tolerations;
  }
  if (runtimeClass?.overhead) spec.overhead = runtimeClass.overhead.podFixed;
  const tolerations: Any[] = spec.tolerations ?? [];
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (!tolerations.some((t) => t.key === key && t.effect === 'NoExecute')) {
      tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
    }
  }
  spec.tolerations = tolerations;
  const priority = cluster.priorityClasses.find((p) => p.metadata.name === spec.priorityClassName);
  if (priority) spec.priority = priority.value;
  if (cluster.vaultImage) injectVault(pod, cluster.vaultImage);
  canonicalize(pod);
  return pod;
}
