import { peer } from '../../../charts-src/constructs/network-flow';
import { StatelessService, type StatelessServiceProps } from '../../../charts-src/constructs/stateless-service';
import { errorOf, find, objectsOf, ofKind, testChart, type Obj } from '../support/objects';

const base: StatelessServiceProps = {
  name: 'web',
  namespace: 'shop',
  image: 'ghcr.io/acme/web:1.0.0',
  replicas: { min: 3, max: 6 },
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
};

function render(extra: Partial<StatelessServiceProps> = {}) {
  const chart = testChart();
  new StatelessService(chart, 'web', { ...base, ...extra });
  return objectsOf(chart);
}
const pod = (objects: Obj[]) => find(objects, 'Deployment', 'web', 'shop').spec.template.spec;
const container = (objects: Obj[]) => pod(objects).containers[0];

describe('StatelessService defaults', () => {
  const objects = render();

  it('emits exactly Deployment, Service, ServiceAccount, HPA, PDB, VPA and one ingress policy', () => {
    expect(objects.map((o: Obj) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/web',
      'Deployment/web',
      'Service/web',
      'HorizontalPodAutoscaler/web',
      'PodDisruptionBudget/web',
      'VerticalPodAutoscaler/web',
      'NetworkPolicy/web-allow-ingress',
    ]);
  });

  it('leaves spec.replicas to the HPA and rolls out one extra pod at a time', () => {
    const deployment = find(objects, 'Deployment', 'web');
    expect(deployment.spec).not.toHaveProperty('replicas');
    expect(deployment.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    });
    expect(deployment.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'web' } });
  });

  it('spreads pods over zones (hard, maxSkew 1) and hosts (soft)', () => {
    const spec = pod(objects);
    expect(spec.topologySpreadConstraints).toEqual([
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'DoNotSchedule',
        labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
      },
    ]);
    expect(spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([
      {
        weight: 100,
        podAffinityTerm: {
          topologyKey: 'kubernetes.io/hostname',
          labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
        },
      },
    ]);
  });

  it('runs restricted: non-root UID 10001, no escalation, no capabilities, RuntimeDefault, read-only root', () => {
    const spec = pod(objects);
    expect(spec.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      fsGroup: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container(objects).securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(spec.initContainers).toBeUndefined();
  });

  it('mounts /tmp as a size-limited emptyDir (the root filesystem is read-only)', () => {
    expect(container(objects).volumeMounts).toEqual([{ name: 'scratch-0', mountPath: '/tmp' }]);
    expect(pod(objects).volumes).toEqual([{ name: 'scratch-0', emptyDir: { sizeLimit: '1Gi' } }]);
  });

  it('uses its own ServiceAccount without an API token', () => {
    expect(find(objects, 'ServiceAccount', 'web').automountServiceAccountToken).toBe(false);
    expect(pod(objects).serviceAccountName).toBe('web');
    expect(pod(objects).automountServiceAccountToken).toBe(false);
    expect(pod(objects).priorityClassName).toBeUndefined();
    expect(pod(objects).nodeSelector).toBeUndefined();
  });

  it('probes: startup /healthz every 5 s × 12, liveness /healthz, readiness /readyz', () => {
    const c = container(objects);
    expect(c.startupProbe).toEqual({
      httpGet: { path: '/healthz', port: 'http' },
      periodSeconds: 5,
      failureThreshold: 12,
      initialDelaySeconds: 0,
      timeoutSeconds: 3,
    });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
  });

  it('serves port 8080 named http on the container and the Service', () => {
    expect(container(objects).ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(find(objects, 'Service', 'web').spec).toEqual({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'web' },
      ports: [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }],
    });
  });

  it('autoscales on CPU 70 % and memory 80 % between the bounds, with no behaviour override', () => {
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'web');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 3,
      maxReplicas: 6,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
      ],
    });
  });

  it("keeps two pods through disruptions (the model's default, config/rules/disruption.ts) and recommends (never applies) resources", () => {
    expect(find(objects, 'PodDisruptionBudget', 'web').spec).toEqual({
      minAvailable: 2,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
    });
    const vpa = find(objects, 'VerticalPodAutoscaler', 'web');
    expect(vpa.spec.updatePolicy).toEqual({ updateMode: 'Off' });
    expect(vpa.spec.targetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' });
    expect(vpa.spec.resourcePolicy.containerPolicies[0]).toMatchObject({
      containerName: 'web',
      controlledResources: ['cpu', 'memory'],
      maxAllowed: { cpu: '500m', memory: '256Mi' },
    });
  });

  it('admits callers from its own namespace only', () => {
    expect(find(objects, 'NetworkPolicy', 'web-allow-ingress').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 8080, protocol: 'TCP' }] }],
    });
  });
});

describe('StatelessService options', () => {
  it('port, metricsPort and runAsUser', () => {
    const objs = render({ port: 3000, metricsPort: 9090, runAsUser: 20000 });
    expect(container(objs).ports).toEqual([
      { name: 'http', containerPort: 3000, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
    ]);
    expect(find(objs, 'Service', 'web').spec.ports[1]).toEqual({
      name: 'metrics',
      port: 9090,
      targetPort: 'metrics',
      protocol: 'TCP',
    });
    expect(pod(objs).securityContext.runAsUser).toBe(20000);
    expect(container(objs).securityContext.runAsUser).toBe(20000);
  });

  it('autoscaling: pods metric and behaviour', () => {
    const behavior = {
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max' as const,
        policies: [{ type: 'Pods' as const, value: 4, periodSeconds: 60 }],
      },
      scaleDown: {
        stabilizationWindowSeconds: 300,
        selectPolicy: 'Min' as const,
        policies: [{ type: 'Percent' as const, value: 50, periodSeconds: 60 }],
      },
    };
    const hpa = find(
      render({ autoscaling: { cpuUtilization: 60, requestsPerSecond: 100, behavior } }),
      'HorizontalPodAutoscaler',
      'web',
    );
    expect(hpa.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
      {
        type: 'Pods',
        pods: { metric: { name: 'http_requests_per_second' }, target: { type: 'AverageValue', averageValue: '100' } },
      },
    ]);
    expect(hpa.spec.behavior).toEqual(behavior);
  });

  it('pdbMinAvailable, probes and scratch paths', () => {
    const probe = { path: '/live', periodSeconds: 7, failureThreshold: 2, initialDelaySeconds: 1, timeoutSeconds: 2 };
    const objs = render({
      replicas: { min: 3, max: 5 },
      pdbMinAvailable: 2,
      probes: { startup: probe, liveness: probe, readiness: { ...probe, path: '/ready' } },
      scratchPaths: ['/tmp', '/var/cache/app'],
      scratchSizeLimit: '256Mi',
    });
    expect(find(objs, 'PodDisruptionBudget', 'web').spec.minAvailable).toBe(2);
    expect(container(objs).readinessProbe).toEqual({
      ...{ httpGet: { path: '/ready', port: 'http' } },
      periodSeconds: 7,
      failureThreshold: 2,
      initialDelaySeconds: 1,
      timeoutSeconds: 2,
    });
    expect(container(objs).volumeMounts.map((m: Obj) => m.mountPath)).toEqual(['/tmp', '/var/cache/app']);
    expect(pod(objs).volumes[1]).toEqual({ name: 'scratch-1', emptyDir: { sizeLimit: '256Mi' } });
  });

  it('env and secrets by reference (never a value)', () => {
    const objs = render({
      env: { Z_MODE: 'prod', A_LEVEL: 'info' },
      secrets: [{ name: 'web-db', keys: ['DATABASE_URL'] }],
    });
    expect(container(objs).env).toEqual([
      { name: 'A_LEVEL', value: 'info' },
      { name: 'Z_MODE', value: 'prod' },
      { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'web-db', key: 'DATABASE_URL' } } },
    ]);
  });

  it('scheduling, priority class, service account and token', () => {
    const objs = render({
      scheduling: {
        nodeSelector: { 'agent-platform.io/pool': 'api' },
        tolerations: [{ key: 'agent-platform.io/dedicated', operator: 'Equal', value: 'api', effect: 'NoSchedule' }],
      },
      priorityClassName: 'platform-critical',
      serviceAccountName: 'web-sa',
      automountServiceAccountToken: true,
    });
    expect(pod(objs).nodeSelector).toEqual({ 'agent-platform.io/pool': 'api' });
    expect(pod(objs).tolerations).toEqual([
      { key: 'agent-platform.io/dedicated', operator: 'Equal', value: 'api', effect: 'NoSchedule' },
    ]);
    expect(pod(objs).priorityClassName).toBe('platform-critical');
    expect(pod(objs).serviceAccountName).toBe('web-sa');
    expect(find(objs, 'ServiceAccount', 'web-sa').automountServiceAccountToken).toBe(true);
  });

  it('no tolerations field for an untainted pool', () => {
    expect(pod(render({ scheduling: { nodeSelector: { pool: 'a' }, tolerations: [] } }))).not.toHaveProperty(
      'tolerations',
    );
  });

  it('verticalPodAutoscaler: false and serviceMonitor', () => {
    const objs = render({ verticalPodAutoscaler: false, serviceMonitor: { labels: { release: 'kps' } } });
    expect(ofKind(objs, 'VerticalPodAutoscaler')).toEqual([]);
    const monitor = find(objs, 'ServiceMonitor', 'web');
    expect(monitor.metadata.labels).toMatchObject({ release: 'kps' });
    expect(monitor.spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
      endpoints: [{ port: 'http', path: '/metrics', interval: '30s' }],
    });
    expect(find(objs, 'Service', 'web').metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'web' });
  });

  it('mesh: Prometheus scrapes the sidecar merged metrics (plaintext is refused under STRICT mTLS)', () => {
    const prometheus = peer.pods('mon', { 'app.kubernetes.io/name': 'prometheus' });
    const objs = render({ mesh: true, serviceMonitor: { labels: {} }, prometheus });
    expect(find(objs, 'Deployment', 'web').spec.template.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '8080',
      'prometheus.io/path': '/metrics',
    });
    expect(find(objs, 'Service', 'web').spec.ports).toContainEqual({
      name: 'http-merged-metrics',
      port: 15020,
      targetPort: 15020,
      protocol: 'TCP',
    });
    expect(find(objs, 'ServiceMonitor', 'web').spec.endpoints).toEqual([
      { port: 'http-merged-metrics', path: '/stats/prometheus', interval: '30s' },
    ]);
    expect(find(objs, 'NetworkPolicy', 'web-allow-prometheus').spec.ingress[0].ports).toEqual([
      { port: 8080, protocol: 'TCP' },
      { port: 15020, protocol: 'TCP' },
    ]);
  });

  it('ingressFrom, prometheus and egress become the service policies', () => {
    const objs = render({
      ingressFrom: [peer.pods('edge', { istio: 'ingressgateway' })],
      prometheus: peer.pods('mon', { app: 'prometheus' }),
      egress: [{ name: 'db', description: 'the database', peers: [peer.cidr('10.1.0.0/16')], ports: [{ port: 5432 }] }],
    });
    expect(ofKind(objs, 'NetworkPolicy').map((p: Obj) => p.metadata.name)).toEqual([
      'web-allow-ingress',
      'web-allow-prometheus',
      'web-allow-db',
    ]);
    expect(find(objs, 'NetworkPolicy', 'web-allow-ingress').spec.ingress[0].from).toEqual([
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'edge' } },
        podSelector: { matchLabels: { istio: 'ingressgateway' } },
      },
    ]);
    expect(find(objs, 'NetworkPolicy', 'web-allow-db').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '10.1.0.0/16' } }], ports: [{ port: 5432, protocol: 'TCP' }] }],
    });
  });

  it('ingressFrom: [] leaves the HTTP port closed (default-deny)', () => {
    expect(ofKind(render({ ingressFrom: [] }), 'NetworkPolicy')).toEqual([]);
  });

  it('kind worker: no Service, monitor or ingress; exec probes; a metrics port only', () => {
    const objects = render({
      kind: 'worker',
      probeCommand: ['celery', 'inspect', 'ping'],
      serviceMonitor: { labels: {} },
    });
    expect(ofKind(objects, 'Service')).toEqual([]);
    expect(ofKind(objects, 'ServiceMonitor')).toEqual([]);
    expect(ofKind(objects, 'NetworkPolicy')).toEqual([]);
    const c = container(objects);
    expect(c.livenessProbe.exec).toEqual({ command: ['celery', 'inspect', 'ping'] });
    expect(c.readinessProbe.httpGet).toBeUndefined();
    expect(c.ports).toEqual([{ name: 'metrics', containerPort: 8080, protocol: 'TCP' }]);
    expect(find(objects, 'HorizontalPodAutoscaler', 'web', 'shop').spec.scaleTargetRef.name).toBe('web');
  });

  it('gpus: nvidia.com/gpu in requests and limits', () => {
    const c = container(render({ gpus: 1 }));
    expect(c.resources.requests['nvidia.com/gpu']).toBe(1);
    expect(c.resources.limits['nvidia.com/gpu']).toBe(1);
  });

  it('keda: a ScaledObject on Redis list length (password by reference) instead of an HPA', () => {
    const objects = render({
      keda: {
        pollingInterval: 15,
        cooldownPeriod: 120,
        redisLists: [
          {
            address: 'redis.cache.svc.cluster.local:6379',
            listName: 'tasks',
            listLength: 20,
            passwordSecret: { name: 'redis-auth', key: 'password' },
          },
        ],
        cpuUtilization: 80,
      },
    });
    expect(ofKind(objects, 'HorizontalPodAutoscaler')).toEqual([]);
    const so = find(objects, 'ScaledObject', 'web', 'shop');
    expect(so.spec).toMatchObject({ minReplicaCount: 3, maxReplicaCount: 6, pollingInterval: 15, cooldownPeriod: 120 });
    expect(so.spec.triggers[0]).toEqual({
      type: 'redis',
      name: 'queue-tasks',
      metadata: { address: 'redis.cache.svc.cluster.local:6379', listName: 'tasks', listLength: '20' },
      authenticationRef: { name: 'web-redis-0', kind: 'TriggerAuthentication' },
    });
    expect(so.spec.triggers[1]).toMatchObject({ type: 'cpu', metricType: 'Utilization', metadata: { value: '80' } });
    expect(find(objects, 'TriggerAuthentication', 'web-redis-0', 'shop').spec.secretTargetRef).toEqual([
      { parameter: 'password', name: 'redis-auth', key: 'password' },
    ]);
    expect(find(objects, 'Deployment', 'web', 'shop').spec.replicas).toBeUndefined();
  });

  it('external metrics: AverageValue per pod with a label selector', () => {
    const objects = render({
      autoscaling: {
        external: [{ metric: 'rabbitmq_queue_messages', selector: { queue: 'tasks' }, averageValue: '10' }],
      },
    });
    expect(find(objects, 'HorizontalPodAutoscaler', 'web', 'shop').spec.metrics).toEqual([
      {
        type: 'External',
        external: {
          metric: { name: 'rabbitmq_queue_messages', selector: { matchLabels: { queue: 'tasks' } } },
          target: { type: 'AverageValue', averageValue: '10' },
        },
      },
    ]);
  });
});

describe('StatelessService errors name the construct path, the value and the rule', () => {
  const cases: [string, Partial<StatelessServiceProps>, string][] = [
    [
      'worker without a probe command',
      { kind: 'worker' },
      'test/web: probeCommand is required for kind "worker" (exec liveness/readiness probe)',
    ],
    [
      'min replicas above max',
      { replicas: { min: 5, max: 3 } },
      'test/web: replicas.min (5) must be <= replicas.max (3)',
    ],
    [
      'an invalid CPU quantity',
      { resources: { requests: { cpu: '250 millicores', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } },
      'test/web: resources.requests.cpu ("250 millicores") must be a CPU quantity such as 250m, 1 or 1.5',
    ],
    [
      'a limit below its request',
      { resources: { requests: { cpu: '2', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } },
      'test/web: resources.limits.cpu ("1") must be >= requests.cpu (2)',
    ],
    [
      'a namespace that is not a DNS label',
      { namespace: 'Shop.Front' },
      'test/web: namespace ("Shop.Front") must be a DNS label (RFC 1123): at most 63 lower-case letters, digits or "-", starting and ending with a letter or digit',
    ],
    [
      'a PDB at the autoscaler floor',
      { pdbMinAvailable: 3 },
      'test/web: pdbMinAvailable (3) must be < replicas.min (3): a PDB at the autoscaler floor blocks every node drain',
    ],
    [
      'the latest tag',
      { image: 'ghcr.io/acme/web:latest' },
      'test/web: image ("ghcr.io/acme/web:latest") must not use the floating tag "latest"',
    ],
    ['a port out of range', { port: 0 }, 'test/web: port (0) must be an integer between 1 and 65535'],
    [
      'no autoscaling metric',
      { autoscaling: {} },
      'test/web: autoscaling ({}) must set at least one of cpuUtilization, memoryUtilization, requestsPerSecond, external',
    ],
    [
      'a utilization above 100',
      { autoscaling: { cpuUtilization: 150 } },
      'test/web: autoscaling.cpuUtilization (150) must be an integer between 1 and 100',
    ],
    [
      'a relative scratch path',
      { scratchPaths: ['tmp'] },
      'test/web: scratchPaths[0] ("tmp") must be an absolute path',
    ],
    [
      'a secret key that cannot be an env var',
      { secrets: [{ name: 'db', keys: ['database-url'] }] },
      'test/web: secrets[0].keys[0] ("database-url") must be usable as an environment variable name',
    ],
  ];
  it.each(cases)('%s', (_what, extra, message) => {
    expect(errorOf(() => render(extra))).toBe(message);
  });
});
