import { NON_PUBLIC_IPV4 } from '../support/non-public-ranges';
import { App } from 'cdk8s';
import { AgentRuntimeChart } from '../../charts-src/charts/agent-runtime';
import { buildApp, CHARTS } from '../../charts-src/app';
import { AGENT_POD_LABEL, AGENT_TIER_LABEL, type EnvironmentSpec } from '../../config';
import { configErrorOf, parseRaw, rawStack, stackSpec } from '../support/environments';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

function render(spec: EnvironmentSpec): Obj[] {
  return new AgentRuntimeChart(new App(), 'agent-runtime', spec).toJson();
}
const find = (objects: Obj[], kind: string, name?: string): Obj => {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (!found) throw new Error(`no ${kind} ${name ?? ''}`);
  return found;
};
const all = (objects: Obj[], kind: string): Obj[] => objects.filter((o) => o.kind === kind);

const rendered: Record<'staging' | 'prod', Obj[]> = { staging: [], prod: [] };
beforeAll(() => {
  rendered.staging = render(stackSpec('staging'));
  rendered.prod = render(stackSpec('prod'));
});

describe('agent runtime chart, per environment', () => {
  it('is registered after namespaces and only built when agents are defined', () => {
    const ids = CHARTS.map((c) => c.id);
    expect(ids.indexOf('agent-runtime')).toBeGreaterThan(ids.indexOf('namespaces'));
    const raw = rawStack();
    delete raw.agents;
    delete raw.namespaces.agents;
    const app = buildApp(parseRaw(raw));
    expect(app.node.tryFindChild('agent-runtime')).toBeUndefined();
  });

  it.each(['staging', 'prod'] as const)('%s: RuntimeClass gvisor on the agents pool with the pod overhead', (stack) => {
    const rc = find(rendered[stack], 'RuntimeClass', 'gvisor');
    expect(rc.apiVersion).toBe('node.k8s.io/v1');
    expect(rc.handler).toBe('runsc');
    expect(rc.overhead).toEqual({ podFixed: { cpu: '100m', memory: '64Mi' } });
    expect(rc.scheduling).toEqual({
      nodeSelector: { 'agent-platform.io/pool': 'agents' },
      tolerations: [{ key: 'agent-platform.io/dedicated', operator: 'Equal', value: 'agents', effect: 'NoSchedule' }],
    });
  });

  it.each(['staging', 'prod'] as const)('%s: one PodTemplate per tier with the tier resources', (stack) => {
    const templates = all(rendered[stack], 'PodTemplate');
    expect(templates.map((t) => t.metadata.name)).toEqual([
      'agent-starter',
      'agent-standard',
      'agent-performance',
      'agent-enterprise',
    ]);
    const tiers = stackSpec(stack).agents!.tiers;
    for (const t of templates) {
      const tier = t.metadata.name.replace('agent-', '');
      expect(t.metadata.namespace).toBe('lobstack-agents');
      const pod = t.template.spec;
      expect(t.template.metadata.labels).toEqual({
        [AGENT_POD_LABEL]: 'true',
        [AGENT_TIER_LABEL]: tier,
        'app.kubernetes.io/name': 'agent',
      });
      expect(pod.containers[0].resources).toEqual({ requests: tiers[tier]!.requests, limits: tiers[tier]!.limits });
      expect(pod.volumes[0]).toEqual({ name: 'workspace', emptyDir: { sizeLimit: tiers[tier]!.workspace } });
    }
    expect(templates[3].template.spec.volumes[0].emptyDir.sizeLimit).toBe('50Gi');
  });

  it('PodTemplate: gVisor, restricted, read-only root, no token, priority, probes, Vault annotations', () => {
    const t = find(rendered.staging, 'PodTemplate', 'agent-starter').template;
    const pod = t.spec;
    expect(pod).toMatchObject({
      runtimeClassName: 'gvisor',
      priorityClassName: 'agent',
      serviceAccountName: 'agent',
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      restartPolicy: 'Never',
      securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    });
    // Scheduling comes from the RuntimeClass; the pod carries none that could conflict.
    expect(pod.nodeSelector).toBeUndefined();
    expect(pod.tolerations).toBeUndefined();
    const c = pod.containers[0];
    expect(c.image).toBe('ghcr.io/lobstack/agent-runtime:2.8.1');
    expect(c.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(c.volumeMounts).toEqual([
      { name: 'workspace', mountPath: '/workspace' },
      { name: 'tmp', mountPath: '/tmp' },
    ]);
    expect(c.startupProbe).toMatchObject({
      httpGet: { path: '/healthz', port: 'http' },
      periodSeconds: 5,
      failureThreshold: 12,
    });
    expect(c.livenessProbe.httpGet.path).toBe('/healthz');
    expect(c.readinessProbe.httpGet.path).toBe('/readyz');
    expect(c.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(t.metadata.annotations).toMatchObject({
      'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false',
      'vault.hashicorp.com/agent-inject': 'true',
      'vault.hashicorp.com/role': 'lobstack-agent',
      'vault.hashicorp.com/agent-pre-populate-only': 'true',
      'vault.hashicorp.com/agent-service-account-token-volume-name': 'vault-token',
    });
    // Only vault-agent mounts the projected token; the agent container has none.
    expect(pod.volumes[2]).toEqual({
      name: 'vault-token',
      projected: { sources: [{ serviceAccountToken: { audience: 'vault', expirationSeconds: 600, path: 'token' } }] },
    });
    expect(c.volumeMounts.map((m: Obj) => m.name)).not.toContain('vault-token');
    const sa = find(rendered.staging, 'ServiceAccount', 'agent');
    expect(sa.automountServiceAccountToken).toBe(false);
  });

  it.each([
    ['staging', 100],
    ['prod', 200],
  ] as const)('%s: warm pool Deployment without replicas, scaled by KEDA 0..%d', (stack, max) => {
    const d = find(rendered[stack], 'Deployment', 'agent-warm-pool');
    expect(d.spec).not.toHaveProperty('replicas');
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '25%' } });
    expect(d.spec.template.spec.restartPolicy).toBe('Always');
    // Warm pods are disposable: they never pin a node the autoscaler wants to remove.
    expect(d.spec.template.metadata.annotations['cluster-autoscaler.kubernetes.io/safe-to-evict']).toBe('true');
    expect(d.spec.template.metadata.labels).toMatchObject({
      [AGENT_TIER_LABEL]: 'starter',
      'agent-platform.io/warm-pool': 'true',
    });
    // Same pod as the warm tier's template, bar the restart policy and the warm-pool label.
    const template = find(rendered[stack], 'PodTemplate', 'agent-starter').template;
    expect({ ...d.spec.template.spec, restartPolicy: 'Never' }).toEqual(template.spec);

    const so = find(rendered[stack], 'ScaledObject', 'agent-warm-pool');
    expect(so.spec).toMatchObject({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'agent-warm-pool' },
      minReplicaCount: 0,
      maxReplicaCount: max,
      pollingInterval: 15,
      cooldownPeriod: 120,
    });
    expect(so.spec.triggers).toEqual([
      {
        type: 'postgresql',
        name: 'provisioning-requests',
        metadata: {
          query: "SELECT COUNT(*) FROM agent_instances WHERE status = 'provisioning'",
          targetQueryValue: '1',
        },
        authenticationRef: { name: 'agent-warm-pool-database', kind: 'TriggerAuthentication' },
      },
      {
        type: 'cpu',
        name: 'cpu-utilization',
        metricType: 'Utilization',
        metadata: { value: '75', containerName: 'agent' },
      },
    ]);
    const ta = find(rendered[stack], 'TriggerAuthentication', 'agent-warm-pool-database');
    expect(ta.spec).toEqual({
      secretTargetRef: [{ parameter: 'connection', name: 'agent-db-connection', key: 'connection' }],
    });
  });

  it('orchestrator RBAC: a Role in the agents namespace only, no wildcards, exec or attach', () => {
    const role = find(rendered.staging, 'Role', 'agent-orchestrator');
    expect(role.metadata.namespace).toBe('lobstack-agents');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['create', 'get', 'list', 'watch', 'patch', 'delete'] },
      { apiGroups: [''], resources: ['services'], verbs: ['create', 'delete'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['create', 'delete'] },
      { apiGroups: [''], resources: ['podtemplates'], verbs: ['get', 'list'] },
    ]);
    const binding = find(rendered.staging, 'RoleBinding', 'agent-orchestrator');
    expect(binding.metadata.namespace).toBe('lobstack-agents');
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: 'agent-orchestrator',
    });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'api', namespace: 'lobstack-control-plane' }]);
    expect(all(rendered.staging, 'ClusterRole')).toEqual([]);
    expect(all(rendered.staging, 'ClusterRoleBinding')).toEqual([]);
  });

  it.each(['staging', 'prod'] as const)('%s: agents accept only the API and Prometheus', (stack) => {
    const ingress = find(rendered[stack], 'NetworkPolicy', 'agent-ingress');
    expect(ingress.spec.podSelector).toEqual({ matchLabels: { [AGENT_POD_LABEL]: 'true' } });
    expect(ingress.spec.policyTypes).toEqual(['Ingress']);
    expect(ingress.spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'lobstack-control-plane' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
          },
        ],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'lobstack-monitoring' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
          },
        ],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ]);
    // No rule admits other agent pods (or any pod of the agents namespace).
    expect(JSON.stringify(ingress.spec.ingress)).not.toContain('lobstack-agents');
  });

  it.each(['staging', 'prod'] as const)(
    '%s: agents reach only DNS, the API (through the mesh gateway), Vault and the internet on 443',
    (stack) => {
      const egress = find(rendered[stack], 'NetworkPolicy', 'agent-egress');
      expect(egress.spec.policyTypes).toEqual(['Egress']);
      const rules = egress.spec.egress;
      expect(rules).toHaveLength(4);
      expect(rules[0].ports).toEqual([
        { protocol: 'UDP', port: 53 },
        { protocol: 'TCP', port: 53 },
      ]);
      expect(rules[0].to[0].podSelector).toEqual({ matchLabels: { 'k8s-app': 'kube-dns' } });
      // The API is meshed (STRICT mTLS, only the gateway admitted): agents call it through the gateway.
      expect(rules[1]).toEqual({
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'lobstack-ingress' } },
            podSelector: { matchLabels: { istio: 'ingressgateway' } },
          },
        ],
        ports: [{ protocol: 'TCP', port: 443 }],
      });
      const env = find(rendered[stack], 'PodTemplate', 'agent-starter').template.spec.containers[0].env;
      const host = stack === 'prod' ? 'api.lobstack.dev' : 'api.staging.lobstack.dev';
      expect(env).toEqual(
        expect.arrayContaining([
          { name: 'PLATFORM_API_URL', value: `https://${host}` },
          {
            name: 'PLATFORM_API_CONNECT_TO',
            value: 'istio-ingressgateway.lobstack-ingress.svc.cluster.local:443',
          },
        ]),
      );
      expect(rules[2].to[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name']).toBe('lobstack-vault');
      expect(rules[2].ports).toEqual([{ protocol: 'TCP', port: 8200 }]);
      expect(rules[3]).toEqual({
        to: [
          {
            ipBlock: {
              cidr: '0.0.0.0/0',
              except: NON_PUBLIC_IPV4,
            },
          },
        ],
        ports: [{ protocol: 'TCP', port: 443 }],
      });
    },
  );

  it('PodMonitor scrapes agent pods on their metrics port', () => {
    const pm = find(rendered.prod, 'PodMonitor', 'agent-pods');
    expect(pm.metadata.namespace).toBe('lobstack-agents');
    expect(pm.spec).toEqual({
      selector: { matchLabels: { [AGENT_POD_LABEL]: 'true' } },
      namespaceSelector: { matchNames: ['lobstack-agents'] },
      podTargetLabels: [AGENT_TIER_LABEL],
      podMetricsEndpoints: [{ port: 'http', path: '/metrics', interval: '30s' }],
    });
  });
});

describe('agent runtime chart options', () => {
  it('a separate metrics port gets its own container port, policy port and PodMonitor port', () => {
    const raw = rawStack();
    raw.agents.metricsPort = 9090;
    const objects = render(parseRaw(raw));
    const c = find(objects, 'PodTemplate', 'agent-starter').template.spec.containers[0];
    expect(c.ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
    ]);
    expect(find(objects, 'NetworkPolicy', 'agent-ingress').spec.ingress[1].ports).toEqual([
      { protocol: 'TCP', port: 9090 },
    ]);
    expect(find(objects, 'PodMonitor').spec.podMetricsEndpoints[0].port).toBe('metrics');
  });

  it('without kube-prometheus-stack: no PodMonitor and no scrape ingress', () => {
    const raw = rawStack();
    raw.addons.kubePrometheusStack = { enabled: false };
    raw.addons.prometheusAdapter = { enabled: false };
    delete raw.controlPlaneApi.autoscaling.requestsPerSecond;
    const objects = render(parseRaw(raw));
    expect(all(objects, 'PodMonitor')).toEqual([]);
    expect(find(objects, 'NetworkPolicy', 'agent-ingress').spec.ingress).toHaveLength(1);
  });

  it('without Vault: no injection annotations, no token volume, no Vault egress', () => {
    const raw = rawStack();
    raw.addons.vault = { enabled: false };
    const objects = render(parseRaw(raw));
    const t = find(objects, 'PodTemplate', 'agent-starter').template;
    expect(t.metadata.annotations).toEqual({ 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false' });
    expect(t.spec.volumes.map((v: Obj) => v.name)).toEqual(['workspace', 'tmp']);
    const egress = find(objects, 'NetworkPolicy', 'agent-egress').spec.egress;
    expect(JSON.stringify(egress)).not.toContain('vault');
  });

  it('a Vault role and secret paths from the stack file', () => {
    const raw = rawStack();
    raw.agents.vault = { role: 'agents-staging', secrets: { 'model-keys.env': 'secret/data/agents/model-keys' } };
    const t = find(render(parseRaw(raw)), 'PodTemplate', 'agent-standard').template;
    expect(t.metadata.annotations).toMatchObject({
      'vault.hashicorp.com/role': 'agents-staging',
      'vault.hashicorp.com/agent-inject-secret-model-keys.env': 'secret/data/agents/model-keys',
    });
  });

  it('more egress ports, and a cluster network outside the private ranges is excluded too', () => {
    const raw = rawStack();
    raw.agents.egressPorts = [443, 8443, 443];
    raw.cloud.networkCidr = '203.0.113.0/24';
    const rules = find(render(parseRaw(raw)), 'NetworkPolicy', 'agent-egress').spec.egress;
    const internet = rules[rules.length - 1];
    expect(internet.ports).toEqual([
      { protocol: 'TCP', port: 443 },
      { protocol: 'TCP', port: 8443 },
    ]);
    expect(internet.to[0].ipBlock.except).toContain('203.0.113.0/24');
  });

  it('without the mesh, agents call the API pods directly on the API port', () => {
    const raw = rawStack();
    raw.addons = { ...raw.addons, istio: { enabled: false } };
    raw.tenants = raw.tenants.map((t: { name: string }) => ({ ...t, mesh: false }));
    const objects = render(parseRaw(raw));
    const rules = find(objects, 'NetworkPolicy', 'agent-egress').spec.egress;
    expect(rules[1]).toEqual({
      to: [
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'lobstack-control-plane' } },
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
        },
      ],
      ports: [{ protocol: 'TCP', port: 3000 }],
    });
    const env = find(objects, 'PodTemplate', 'agent-starter').template.spec.containers[0].env;
    expect(env).toContainEqual({
      name: 'PLATFORM_API_URL',
      value: 'http://api.lobstack-control-plane.svc.cluster.local:3000',
    });
    expect(env.map((e: { name: string }) => e.name)).not.toContain('PLATFORM_API_CONNECT_TO');
  });

  it('UDP egress ports are allowed to the internet with the same exclusions', () => {
    const raw = rawStack();
    raw.agents.egressUdpPorts = [443];
    const rules = find(render(parseRaw(raw)), 'NetworkPolicy', 'agent-egress').spec.egress;
    const internet = rules[rules.length - 1];
    expect(internet.ports).toEqual([
      { protocol: 'TCP', port: 443 },
      { protocol: 'UDP', port: 443 },
    ]);
    expect(internet.to[0].ipBlock.except).toContain('169.254.0.0/16');
  });

  it('without a warm pool: no Deployment, ScaledObject or TriggerAuthentication, and KEDA may be off', () => {
    const raw = rawStack();
    delete raw.agents.warmPool;
    raw.addons = { ...raw.addons, keda: { enabled: false } };
    const objects = render(parseRaw(raw));
    expect(all(objects, 'Deployment')).toEqual([]);
    expect(all(objects, 'ScaledObject')).toEqual([]);
    expect(all(objects, 'TriggerAuthentication')).toEqual([]);
    expect(all(objects, 'PodTemplate').map((t) => t.metadata.name)).toEqual([
      'agent-starter',
      'agent-standard',
      'agent-performance',
      'agent-enterprise',
    ]);
  });

  it('the warm pool uses the tier and bounds from the stack file', () => {
    const raw = rawStack();
    raw.agents.warmPool = { ...raw.agents.warmPool, tier: 'standard', minReplicas: 2, maxReplicas: 10 };
    const objects = render(parseRaw(raw));
    const d = find(objects, 'Deployment', 'agent-warm-pool');
    expect(d.spec.selector.matchLabels[AGENT_TIER_LABEL]).toBe('standard');
    expect(d.spec.template.spec.containers[0].resources.requests).toEqual({ cpu: '500m', memory: '1Gi' });
    expect(find(objects, 'ScaledObject').spec).toMatchObject({ minReplicaCount: 2, maxReplicaCount: 10 });
  });
});

describe('agent runtime errors', () => {
  it('refuses a tier limit below its request', () => {
    const raw = rawStack();
    raw.agents.tiers.starter.limits.cpu = '100m';
    raw.agents.tiers.standard.limits.memory = '512Mi';
    const message = configErrorOf(raw);
    expect(message).toContain('agents.tiers.starter.limits.cpu ("100m") must be >= requests.cpu (250m)');
    expect(message).toContain('agents.tiers.standard.limits.memory ("512Mi") must be >= requests.memory (1Gi)');
  });

  it('refuses a workspace of 0', () => {
    const raw = rawStack();
    raw.agents.tiers.starter.workspace = '0Gi';
    expect(configErrorOf(raw)).toContain('agents.tiers.starter.workspace ("0Gi") must be greater than 0');
  });

  it('refuses an unknown tier referenced by the warm pool or the sessions', () => {
    const raw = rawStack();
    raw.agents.warmPool.tier = 'premium';
    raw.agents.sessions.gold = 3;
    const message = configErrorOf(raw);
    expect(message).toContain(
      'agents.warmPool.tier ("premium") is not a tier defined in agents.tiers (starter, standard, performance, enterprise)',
    );
    expect(message).toContain('agents.sessions.gold is not a tier defined in agents.tiers');
  });

  it('refuses a bad Vault secret path', () => {
    const raw = rawStack();
    raw.agents.vault = { secrets: { keys: '/absolute/path' } };
    expect(configErrorOf(raw)).toContain('must be a Vault path such as secret/data/agents/ai');
  });

  it('fails synth with the arithmetic when the quota cannot admit the warm pool plus the sessions', () => {
    const raw = rawStack();
    raw.namespaces.agents.quota.requestsCpu = '60';
    let message = '';
    try {
      buildApp(parseRaw(raw));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(
      'agent-runtime/QuotaBudget: the ResourceQuota of namespace lobstack-agents cannot admit the warm pool at its KEDA max plus every session agents.sessions allows:',
    );
    expect(message).toContain(
      'requests.cpu: warm pool starter 100 × (250m + 100m overhead) + sessions starter 40 × (250m + 100m overhead) + standard 20 × (500m + 100m overhead) + performance 5 × (1 + 100m overhead) + enterprise 2 × (2 + 100m overhead) = 70.7 > quota 60',
    );
    expect(message).toContain('Raise namespaces.agents.quota (or guardrails.quota)');
    expect(message).not.toContain('requests.memory');
  });
});
