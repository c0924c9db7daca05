import { Testing } from 'cdk8s';
import { ServicesChart } from '../../../charts-src/charts/services';
import { buildApp } from '../../../charts-src/app';
import { configErrorOf, parseRaw, rawStack, stackSpec } from '../../support/environments';
import { find, type Obj } from '../support/objects';

const service = {
  name: 'docs',
  namespace: 'team-research',
  image: 'ghcr.io/lobstack/docs:2.0.1',
  port: 8080,
  metricsPort: 9102,
  replicas: { min: 2, max: 4 },
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
  pdbMinAvailable: 1,
  egress: [{ name: 'search', cidr: '203.0.113.10/32', ports: [443] }],
};

describe('services[] through the StatelessService construct', () => {
  const raw = rawStack('staging');
  raw.services = [service];
  const objects: Obj[] = new ServicesChart(Testing.app(), 'services', parseRaw(raw)).toJson();
  const ns = 'lobstack-team-research';

  it('renders the full set in the tenant namespace', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      `ServiceAccount/${ns}/docs`,
      `Deployment/${ns}/docs`,
      `Service/${ns}/docs`,
      `HorizontalPodAutoscaler/${ns}/docs`,
      `PodDisruptionBudget/${ns}/docs`,
      `VerticalPodAutoscaler/${ns}/docs`,
      `ServiceMonitor/${ns}/docs`,
      `NetworkPolicy/${ns}/docs-allow-ingress`,
      `NetworkPolicy/${ns}/docs-allow-prometheus`,
      `NetworkPolicy/${ns}/docs-allow-search`,
    ]);
  });

  it('tenant services: default priority, API pool, no token, HPA from config defaults', () => {
    const pod = find(objects, 'Deployment', 'docs').spec.template.spec;
    expect(pod.priorityClassName).toBeUndefined();
    expect(pod.nodeSelector).toEqual({ 'agent-platform.io/pool': 'api' });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(find(objects, 'HorizontalPodAutoscaler', 'docs').spec).toMatchObject({ minReplicas: 2, maxReplicas: 4 });
    expect(find(objects, 'HorizontalPodAutoscaler', 'docs').spec.metrics).toHaveLength(2);
  });

  it('scrapes the separate metrics port (mesh: merged metrics) and opens the declared egress', () => {
    expect(find(objects, 'NetworkPolicy', 'docs-allow-prometheus').spec.ingress[0].ports).toEqual([
      { port: 9102, protocol: 'TCP' },
      { port: 15020, protocol: 'TCP' },
    ]);
    expect(find(objects, 'NetworkPolicy', 'docs-allow-search').spec.egress[0]).toEqual({
      to: [{ ipBlock: { cidr: '203.0.113.10/32' } }],
      ports: [{ port: 443, protocol: 'TCP' }],
    });
  });

  it('the app renders a services chart only when services exist', () => {
    const ids = (spec: ReturnType<typeof parseRaw>) => buildApp(spec).node.children.map((c) => c.node.id);
    expect(ids(parseRaw(raw))).toContain('services');
    const staging = ids(stackSpec('staging'));
    expect(staging).not.toContain('services');
    // Charts of this concern in apply order (other charts may sit between them).
    const mine = ['namespaces', 'priority-classes', 'guardrails', 'control-plane', 'mesh', 'monitoring'];
    expect(staging.filter((id) => mine.includes(id))).toEqual(mine);
  });

  it('a services[] requestsPerSecond without prometheus-adapter is a config error', () => {
    const bad = rawStack('staging');
    bad.addons.prometheusAdapter = { enabled: false };
    delete bad.controlPlaneApi.autoscaling.requestsPerSecond;
    bad.services = [{ ...service, autoscaling: { cpuUtilization: 70, requestsPerSecond: 50 } }];
    expect(configErrorOf(bad)).toContain(
      'services[0].autoscaling.requestsPerSecond (50) requires addons.prometheusAdapter.enabled: the pods metric is served by prometheus-adapter',
    );
  });
});
