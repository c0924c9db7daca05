import {
  AgentPodTemplate,
  agentPodTemplateSpec,
  vaultAnnotations,
  type AgentPodTemplateProps,
} from '../../../charts-src/constructs/agent-pod-template';
import { chart, errorOf, type Obj } from './helpers';

const probe = (path: string) => ({
  path,
  periodSeconds: 10,
  failureThreshold: 3,
  initialDelaySeconds: 0,
  timeoutSeconds: 3,
});
const props = (over: Partial<AgentPodTemplateProps> = {}): AgentPodTemplateProps => ({
  namespace: 'agents',
  tier: 'small',
  resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '1Gi' }, workspace: '2Gi' },
  image: 'ghcr.io/example/agent:1.0.0',
  port: 8080,
  runAsUser: 20000,
  probes: { startup: probe('/healthz'), liveness: probe('/healthz'), readiness: probe('/readyz') },
  ...over,
});
const render = (p: AgentPodTemplateProps): Obj => {
  const c = chart();
  new AgentPodTemplate(c, 'Tier', p);
  return (c.toJson() as Obj[])[0];
};

describe('AgentPodTemplate', () => {
  it('defaults: named agent-<tier>, restricted gVisor pod, session restart policy, 1Gi /tmp, 30 s grace, no Vault', () => {
    const t = render(props());
    expect(t.kind).toBe('PodTemplate');
    expect(t.metadata).toMatchObject({ name: 'agent-small', namespace: 'agents' });
    const spec = t.template.spec;
    expect(spec).toMatchObject({
      runtimeClassName: 'gvisor',
      priorityClassName: 'agent',
      serviceAccountName: 'agent',
      automountServiceAccountToken: false,
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 30,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 20000,
        runAsGroup: 20000,
        seccompProfile: { type: 'RuntimeDefault' },
      },
    });
    expect(spec.volumes).toEqual([
      { name: 'workspace', emptyDir: { sizeLimit: '2Gi' } },
      { name: 'tmp', emptyDir: { sizeLimit: '1Gi' } },
    ]);
    const c = spec.containers[0];
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '1Gi' } });
    expect(c.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      runAsUser: 20000,
    });
    expect(c.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(t.template.metadata.annotations).toEqual({ 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false' });
  });

  it('options: metrics port, /tmp size, grace period, safe to evict', () => {
    const t = render(
      props({ metricsPort: 9100, tmpSizeLimit: '256Mi', terminationGracePeriodSeconds: 5, safeToEvict: true }),
    );
    expect(t.template.metadata.annotations['cluster-autoscaler.kubernetes.io/safe-to-evict']).toBe('true');
    const spec = t.template.spec;
    expect(spec.containers[0].ports[1]).toEqual({ name: 'metrics', containerPort: 9100, protocol: 'TCP' });
    expect(spec.volumes[1]).toEqual({ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } });
    expect(spec.terminationGracePeriodSeconds).toBe(5);
  });

  it('option vault: init-only injection with bounded resources, secrets by path, a projected token for vault-agent only', () => {
    const t = render(
      props({
        vault: {
          role: 'agents',
          secrets: { 'b.env': 'kv/data/b', 'a.env': 'kv/data/a' },
          resources: { requests: { cpu: '20m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
          tokenAudience: 'https://vault.example',
        },
      }),
    );
    expect(t.template.metadata.annotations).toEqual({
      'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false',
      'vault.hashicorp.com/agent-inject': 'true',
      'vault.hashicorp.com/role': 'agents',
      'vault.hashicorp.com/agent-pre-populate-only': 'true',
      'vault.hashicorp.com/agent-service-account-token-volume-name': 'vault-token',
      'vault.hashicorp.com/agent-requests-cpu': '20m',
      'vault.hashicorp.com/agent-requests-mem': '32Mi',
      'vault.hashicorp.com/agent-limits-cpu': '100m',
      'vault.hashicorp.com/agent-limits-mem': '64Mi',
      // Vault serves TLS from the internal CA: vault-agent verifies with this namespace's vault-ca.
      'vault.hashicorp.com/tls-secret': 'vault-ca',
      'vault.hashicorp.com/ca-cert': '/vault/tls/ca.crt',
      'vault.hashicorp.com/agent-inject-secret-a.env': 'kv/data/a',
      'vault.hashicorp.com/agent-inject-secret-b.env': 'kv/data/b',
    });
    expect(t.template.spec.volumes[2].projected.sources[0].serviceAccountToken.audience).toBe('https://vault.example');
    expect(vaultAnnotations({ role: 'r', secrets: {} })['vault.hashicorp.com/agent-requests-cpu']).toBe('50m');
  });

  it('the warm-pool variant differs only in restart policy and labels', () => {
    const { namespace: _ns, ...p } = props();
    void _ns;
    const warm = agentPodTemplateSpec({ ...p, restartPolicy: 'Always', extraLabels: { warm: 'true' } });
    const session = agentPodTemplateSpec({ ...p, restartPolicy: 'Never' });
    expect(warm.metadata!.labels).toEqual({ ...session.metadata!.labels, warm: 'true' });
    expect(warm.metadata!.annotations).toEqual({ 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'true' });
    expect({ ...warm.spec!, restartPolicy: 'Never' }).toEqual(session.spec);
  });

  it('refuses a limit below the request', () => {
    const resources = {
      requests: { cpu: '1', memory: '256Mi' },
      limits: { cpu: '500m', memory: '1Gi' },
      workspace: '1Gi',
    };
    expect(errorOf(() => render(props({ resources })))).toBe(
      'tier small: limits.cpu (500m) must be >= requests.cpu (1)',
    );
  });

  it('refuses a workspace of 0', () => {
    const resources = { requests: { cpu: '1', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' }, workspace: '0' };
    expect(errorOf(() => render(props({ resources })))).toBe('tier small: workspace (0) must be greater than 0');
  });
});
