import { Testing } from 'cdk8s';
import { GuardrailsChart } from '../../../charts-src/charts/guardrails';
import { parseRaw, rawStack, stackSpec } from '../../support/environments';
import { find, ofKind, type Obj } from '../support/objects';

const render = (spec: ReturnType<typeof stackSpec>): Obj[] =>
  new GuardrailsChart(Testing.app(), 'guardrails', spec).toJson();
const policyNames = (objects: Obj[], ns: string) =>
  objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === ns).map((o) => o.metadata.name);
const portsOf = (policy: Obj) => (policy.spec.ingress ?? policy.spec.egress)[0].ports.map((p: Obj) => p.port);

describe.each(['staging', 'prod'] as const)('guardrails of %s', (stack) => {
  const spec = stackSpec(stack);
  const objects = render(spec);

  it('every namespace (platform, add-on and tenant) has a quota, a limit range, default-deny and DNS', () => {
    expect(spec.namespaces.length).toBeGreaterThan(10);
    for (const ns of spec.namespaces) {
      expect(find(objects, 'ResourceQuota', 'namespace-quota', ns.name)).toBeDefined();
      expect(find(objects, 'LimitRange', 'namespace-limits', ns.name)).toBeDefined();
      expect(find(objects, 'NetworkPolicy', 'default-deny', ns.name).spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(find(objects, 'NetworkPolicy', 'allow-dns', ns.name)).toBeDefined();
    }
  });

  it('meshed namespaces reach istiod on 15010/15012, and istiod admits them and the API server webhook', () => {
    expect(portsOf(find(objects, 'NetworkPolicy', 'allow-istiod', 'lobstack-control-plane'))).toEqual([15010, 15012]);
    const xds = find(objects, 'NetworkPolicy', 'allow-xds', 'istio-system');
    expect(xds.spec.ingress[0].from[0]).toEqual({
      namespaceSelector: { matchLabels: { 'istio-injection': 'enabled' } },
    });
    expect(portsOf(find(objects, 'NetworkPolicy', 'allow-from-kube-apiserver', 'istio-system'))).toEqual([15017]);
    expect(policyNames(objects, 'lobstack-vault')).not.toContain('allow-istiod');
  });

  it('the gateway takes public traffic and reaches only the API port', () => {
    expect(portsOf(find(objects, 'NetworkPolicy', 'allow-public', 'lobstack-ingress'))).toEqual([80, 443, 15021]);
    const toApi = find(objects, 'NetworkPolicy', 'allow-to-api', 'lobstack-ingress');
    expect(toApi.spec.podSelector).toEqual({ matchLabels: { istio: 'ingressgateway' } });
    expect(toApi.spec.egress[0]).toEqual({
      to: [
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'lobstack-control-plane' } },
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
        },
      ],
      ports: [{ port: 3000, protocol: 'TCP' }],
    });
  });

  it('policies selecting add-on pods (not in dist/) carry a reasoned waiver of the gate selector rule', () => {
    const waived = objects
      .filter(
        (o) => o.kind === 'NetworkPolicy' && o.metadata.annotations?.['policy.agent-platform.io/waive.ref.selector'],
      )
      .map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
    expect(waived).toEqual([
      'lobstack-ingress/allow-public',
      'lobstack-ingress/allow-to-api',
      'lobstack-ingress/allow-gateway-to-acme-solver',
      'lobstack-ingress/allow-acme-solver-from-gateway',
      'lobstack-monitoring/allow-falco-events',
      'lobstack-monitoring/allow-scrape-pods',
      'lobstack-monitoring/allow-scrape-nodes',
      'lobstack-monitoring/allow-alert-receivers',
    ]);
  });

  it('Vault admits the API and agent pods on 8200 and the injector webhook from the API server', () => {
    const clients = find(objects, 'NetworkPolicy', 'allow-vault-clients', 'lobstack-vault');
    expect(
      clients.spec.ingress[0].from.map((p: Obj) => p.namespaceSelector.matchLabels['kubernetes.io/metadata.name']),
    ).toEqual(['lobstack-control-plane', 'lobstack-agents']);
    expect(portsOf(clients)).toEqual([8200]);
    expect(portsOf(find(objects, 'NetworkPolicy', 'allow-from-kube-apiserver', 'lobstack-vault'))).toEqual([8080]);
  });

  it('KEDA: metrics API server and webhooks from the API server, the postgres scaler out', () => {
    expect(portsOf(find(objects, 'NetworkPolicy', 'allow-from-kube-apiserver', 'keda'))).toEqual([6443, 9443]);
    expect(portsOf(find(objects, 'NetworkPolicy', 'allow-scaler-postgres', 'keda'))).toEqual([5432]);
    expect(find(objects, 'NetworkPolicy', 'allow-same-namespace', 'keda')).toBeDefined();
  });

  it('Prometheus may scrape every port a namespace opens to it, including the API port, and the nodes', () => {
    const scrape = find(objects, 'NetworkPolicy', 'allow-scrape-pods', 'lobstack-monitoring');
    expect(scrape.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'prometheus' } });
    expect(scrape.spec.egress[0].to).toEqual([{ namespaceSelector: {} }]);
    // 2020 Fluent Bit, 7979 external-dns, 8085 Velero, 9402 cert-manager.
    expect(portsOf(scrape)).toEqual([
      'metrics',
      2020,
      3000,
      7979,
      8080,
      8085,
      8200,
      8765,
      8942,
      8943,
      8944,
      9402,
      15014,
      15020,
      15090,
    ]);
    expect(portsOf(find(objects, 'NetworkPolicy', 'allow-scrape-nodes', 'lobstack-monitoring'))).toEqual([10250, 9100]);
    for (const ns of spec.namespaces) {
      if (['lobstack-agents', 'lobstack-monitoring', 'lobstack-node-monitoring'].includes(ns.name)) continue;
      const policy = find(objects, 'NetworkPolicy', 'allow-prometheus-scrape', ns.name);
      for (const port of portsOf(policy)) expect(portsOf(scrape)).toContain(port);
    }
  });

  it('leaves the agents namespace flows to the agent runtime: default-deny and DNS only here', () => {
    expect(policyNames(objects, 'lobstack-agents')).toEqual(['default-deny', 'allow-dns']);
  });

  it('tenants: intra-namespace traffic and RoleBindings of their groups', () => {
    expect(policyNames(objects, 'lobstack-team-research')).toEqual([
      'default-deny',
      'allow-dns',
      'allow-same-namespace',
      'allow-prometheus-scrape',
      'allow-istiod',
    ]);
    const bindings = ofKind(objects, 'RoleBinding').map(
      (b: Obj) => `${b.metadata.namespace}/${b.metadata.name}:${b.roleRef.name}`,
    );
    expect(bindings).toEqual([
      'lobstack-team-research/tenant-admins:admin',
      'lobstack-team-research/tenant-viewers:view',
      'lobstack-team-support/tenant-admins:admin',
    ]);
  });
});

describe('guardrail quota values per environment', () => {
  it('agents: staging 80/160Gi requests, 200 pods; prod 300/480Gi, 600 pods', () => {
    const agents = (stack: 'staging' | 'prod') =>
      find(render(stackSpec(stack)), 'ResourceQuota', 'namespace-quota', 'lobstack-agents').spec.hard;
    expect(agents('staging')).toMatchObject({
      'requests.cpu': '80',
      'requests.memory': '160Gi',
      'limits.cpu': '240',
      pods: '200',
      services: '120',
    });
    expect(agents('prod')).toMatchObject({
      'requests.cpu': '300',
      'requests.memory': '480Gi',
      'limits.cpu': '900',
      pods: '600',
      services: '400',
    });
  });

  it('tenants use tenantDefaults; other platform namespaces the environment guardrails', () => {
    const objects = render(stackSpec('staging'));
    expect(find(objects, 'ResourceQuota', 'namespace-quota', 'lobstack-team-support').spec.hard).toEqual({
      'requests.cpu': '8',
      'requests.memory': '16Gi',
      'limits.cpu': '16',
      'limits.memory': '32Gi',
      pods: '50',
      services: '10',
      persistentvolumeclaims: '5',
      'requests.storage': '50Gi',
    });
    expect(find(objects, 'LimitRange', 'namespace-limits', 'lobstack-team-support').spec.limits[2]).toEqual({
      type: 'PersistentVolumeClaim',
      min: { storage: '1Gi' },
      max: { storage: '20Gi' },
    });
    expect(find(objects, 'ResourceQuota', 'namespace-quota', 'lobstack-vault').spec.hard['requests.storage']).toBe(
      '200Gi',
    );
  });
});

describe('tenants named like a platform namespace key', () => {
  it('a tenant "keda" (namespace lobstack-keda) gets tenant guardrails, not the KEDA add-on flows', () => {
    const raw = rawStack('staging');
    raw.tenants.push({ name: 'keda' });
    const objects = render(parseRaw(raw));
    expect(policyNames(objects, 'lobstack-keda')).toEqual([
      'default-deny',
      'allow-dns',
      'allow-same-namespace',
      'allow-prometheus-scrape',
      'allow-istiod',
    ]);
    expect(portsOf(find(objects, 'NetworkPolicy', 'allow-prometheus-scrape', 'lobstack-keda'))).toEqual([
      'metrics',
      15020,
      15090,
    ]);
    expect(policyNames(objects, 'keda')).toContain('allow-scaler-postgres');
  });
});

describe('guardrails follow the add-on toggles', () => {
  it('without Istio: no istiod flows, no gateway; agents then call the API directly', () => {
    const raw = rawStack('staging');
    raw.addons.istio = { enabled: false };
    raw.tenants = raw.tenants.map((t: Obj) => ({ ...t, mesh: false }));
    const objects = render(parseRaw(raw));
    expect(objects.filter((o) => o.metadata.name === 'allow-istiod')).toEqual([]);
    expect(
      objects.some((o) => o.metadata.namespace === 'istio-system' || o.metadata.namespace === 'lobstack-ingress'),
    ).toBe(false);
  });

  it('without kube-prometheus-stack: no scrape policies anywhere', () => {
    const raw = rawStack('staging');
    raw.addons.kubePrometheusStack = { enabled: false };
    raw.addons.prometheusAdapter = { enabled: false };
    delete raw.controlPlaneApi.autoscaling.requestsPerSecond;
    const objects = render(parseRaw(raw));
    expect(objects.filter((o) => /scrape/.test(o.metadata.name))).toEqual([]);
  });

  it('with the VPA admission controller: its webhook is reachable from the API server', () => {
    const raw = rawStack('staging');
    raw.addons.vpa = { admissionController: true };
    expect(portsOf(find(render(parseRaw(raw)), 'NetworkPolicy', 'allow-from-kube-apiserver', 'vpa'))).toEqual([8000]);
  });
});
