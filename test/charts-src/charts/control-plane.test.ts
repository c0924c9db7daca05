import { Testing } from 'cdk8s';
import { ControlPlaneChart } from '../../../charts-src/charts/control-plane';
import { API_SERVICE_ACCOUNT } from '../../../charts-src/names';
import { stackSpec } from '../../support/environments';
import { find, ofKind, type Obj } from '../support/objects';

const expected = {
  staging: {
    max: 20,
    requests: { cpu: '250m', memory: '512Mi' },
    limits: { cpu: '1', memory: '1Gi' },
    cidr: '10.10.0.0/16',
  },
  prod: {
    max: 50,
    requests: { cpu: '500m', memory: '1Gi' },
    limits: { cpu: '2', memory: '2Gi' },
    cidr: '10.20.0.0/16',
  },
} as const;

describe.each(['staging', 'prod'] as const)('the control-plane API in %s', (stack) => {
  const spec = stackSpec(stack);
  const objects: Obj[] = new ControlPlaneChart(Testing.app(), 'control-plane', spec).toJson();
  const ns = 'lobstack-control-plane';
  const deployment = find(objects, 'Deployment', 'api', ns);
  const podSpec = deployment.spec.template.spec;
  const want = expected[stack];

  it('has no spec.replicas (the HPA owns it) and rolls out with maxSurge 1 / maxUnavailable 0', () => {
    expect(deployment.spec).not.toHaveProperty('replicas');
    expect(deployment.spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
  });

  it(`autoscales 3–${want.max} on CPU 70 %, memory 80 % and 100 requests/s per pod, with seed 004 behaviour`, () => {
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'api', ns).spec;
    expect(hpa.minReplicas).toBe(3);
    expect(hpa.maxReplicas).toBe(want.max);
    expect(hpa.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
      {
        type: 'Pods',
        pods: { metric: { name: 'http_requests_per_second' }, target: { type: 'AverageValue', averageValue: '100' } },
      },
    ]);
    expect(hpa.behavior.scaleDown).toEqual({
      stabilizationWindowSeconds: 300,
      selectPolicy: 'Min',
      policies: [
        { type: 'Percent', value: 50, periodSeconds: 60 },
        { type: 'Pods', value: 2, periodSeconds: 60 },
      ],
    });
    expect(hpa.behavior.scaleUp.stabilizationWindowSeconds).toBe(0);
  });

  it('requests and limits per environment (seed 000)', () => {
    expect(podSpec.containers[0].resources).toEqual({ requests: want.requests, limits: want.limits });
  });

  it('PDB minAvailable 2, VPA in recommendation mode', () => {
    expect(find(objects, 'PodDisruptionBudget', 'api', ns).spec.minAvailable).toBe(2);
    expect(find(objects, 'VerticalPodAutoscaler', 'api', ns).spec.updatePolicy.updateMode).toBe('Off');
  });

  it('lands on the API pool with the platform-critical priority and startup probe 5 s × 12', () => {
    expect(podSpec.nodeSelector).toEqual({ 'agent-platform.io/pool': 'api' });
    expect(podSpec.priorityClassName).toBe('platform-critical');
    expect(podSpec.containers[0].startupProbe).toMatchObject({ periodSeconds: 5, failureThreshold: 12 });
    expect(podSpec.containers[0].image).toBe('ghcr.io/lobstack/api:1.42.0');
  });

  it('runs as the orchestrator ServiceAccount, which needs its token to create agent pods', () => {
    expect(podSpec.serviceAccountName).toBe(API_SERVICE_ACCOUNT);
    expect(find(objects, 'ServiceAccount', API_SERVICE_ACCOUNT, ns).automountServiceAccountToken).toBe(true);
  });

  it('reads its database URL from a Secret by name only', () => {
    expect(podSpec.containers[0].env).toEqual([
      { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'api-database', key: 'DATABASE_URL' } } },
    ]);
    expect(JSON.stringify(objects)).not.toMatch(/postgres(ql)?:\/\//);
  });

  it('mounts both scratch paths as emptyDir with a read-only root', () => {
    expect(podSpec.containers[0].volumeMounts.map((m: Obj) => m.mountPath)).toEqual(['/tmp', '/app/.next/cache']);
    expect(podSpec.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
  });

  it('admits only the ingress gateway on the API port (agents come through the gateway under STRICT mTLS)', () => {
    const ingress = find(objects, 'NetworkPolicy', 'api-allow-ingress', ns).spec.ingress;
    expect(ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'lobstack-ingress' } },
            podSelector: { matchLabels: { istio: 'ingressgateway' } },
          },
        ],
        ports: [{ port: 3000, protocol: 'TCP' }],
      },
    ]);
  });

  it('egress: Kubernetes API (node network, 6443 and 443), agent pods, Vault and the database', () => {
    const policies = ofKind(objects, 'NetworkPolicy');
    expect(policies.map((p: Obj) => p.metadata.name)).toEqual([
      'api-allow-ingress',
      'api-allow-prometheus',
      'api-allow-kube-apiserver',
      'api-allow-agents',
      'api-allow-vault',
      'api-allow-database',
    ]);
    expect(find(objects, 'NetworkPolicy', 'api-allow-kube-apiserver').spec.egress).toEqual([
      {
        to: [{ ipBlock: { cidr: want.cidr } }],
        ports: [
          { port: 6443, protocol: 'TCP' },
          { port: 443, protocol: 'TCP' },
        ],
      },
    ]);
    expect(find(objects, 'NetworkPolicy', 'api-allow-agents').spec.egress).toEqual([
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'lobstack-agents' } },
            podSelector: { matchExpressions: [{ key: 'agent-platform.io/agent', operator: 'Exists' }] },
          },
        ],
        ports: [{ port: 8080, protocol: 'TCP' }],
      },
    ]);
    expect(find(objects, 'NetworkPolicy', 'api-allow-vault').spec.egress[0].ports).toEqual([
      { port: 8200, protocol: 'TCP' },
    ]);
    expect(find(objects, 'NetworkPolicy', 'api-allow-database').spec.egress[0]).toEqual({
      to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }],
      ports: [{ port: 5432, protocol: 'TCP' }],
    });
  });

  it('is scraped by Prometheus through the mesh merged-metrics port', () => {
    const monitor = find(objects, 'ServiceMonitor', 'api', ns);
    expect(monitor.metadata.labels.release).toBe('kube-prometheus-stack');
    expect(monitor.spec.endpoints).toEqual([
      { port: 'http-merged-metrics', path: '/stats/prometheus', interval: '30s' },
    ]);
  });
});

describe('the control-plane API without the mesh', () => {
  it('admits agent pods directly (no STRICT mTLS to refuse them) and scrapes the app port', async () => {
    const { parseRaw, rawStack } = await import('../../support/environments');
    const raw = rawStack('staging');
    raw.addons.istio = { enabled: false };
    raw.tenants = raw.tenants.map((t: Obj) => ({ ...t, mesh: false }));
    const objects: Obj[] = new ControlPlaneChart(Testing.app(), 'control-plane', parseRaw(raw)).toJson();
    expect(find(objects, 'NetworkPolicy', 'api-allow-ingress').spec.ingress[0].from).toEqual([
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'lobstack-agents' } },
        podSelector: { matchExpressions: [{ key: 'agent-platform.io/agent', operator: 'Exists' }] },
      },
    ]);
    expect(find(objects, 'ServiceMonitor', 'api').spec.endpoints).toEqual([
      { port: 'http', path: '/metrics', interval: '30s' },
    ]);
    expect(find(objects, 'Deployment', 'api').spec.template.metadata.annotations).toBeUndefined();
  });
});

describe('the control-plane quota admits the API at its maximum', () => {
  it('fails at synth with the arithmetic when it does not', async () => {
    const { parseRaw, rawStack } = await import('../../support/environments');
    const { errorOf } = await import('../support/objects');
    const raw = rawStack('prod');
    raw.namespaces['control-plane'].quota.limitsCpu = '64';
    expect(errorOf(() => new ControlPlaneChart(Testing.app(), 'control-plane', parseRaw(raw)))).toBe(
      'control-plane: namespaces["control-plane"].quota.limitsCpu ("64") must admit the API at its maximum: 51 pods × 2 = 102',
    );
    const few = rawStack('staging');
    few.namespaces['control-plane'].quota.pods = 20;
    expect(errorOf(() => new ControlPlaneChart(Testing.app(), 'control-plane', parseRaw(few)))).toBe(
      'control-plane: namespaces["control-plane"].quota.pods (20) must admit the API at its maximum: 20 replicas.max + 1 surge = 21',
    );
  });
});
