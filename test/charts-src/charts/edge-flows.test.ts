/**
 * The edge add-ons inside their namespaces' Pod Security levels and network policies:
 * both ends of each new flow, per environment, and the options that change them.
 */
import { falcoGvisorEnabled, namespaceOf, type EnvironmentSpec } from '../../../config';
import { exampleObjects, exampleSpec } from '../../support/examples';
import { parseRaw, rawStack, stackSpec } from '../../support/environments';
import { NON_PUBLIC_IPV4 } from '../../support/non-public-ranges';
import { find as findManifest, objectsOf, type Any } from '../../support/render';

const find = (objects: readonly Any[], kind: string, name: string, namespace?: string): Any =>
  findManifest(objects, kind, name, namespace);

const portsOf = (policy: Any) => (policy.spec.ingress ?? policy.spec.egress)[0].ports.map((p: Any) => p.port);
const peersOf = (policy: Any) => (policy.spec.ingress?.[0].from ?? policy.spec.egress[0].to) as Any[];

describe.each(['staging', 'prod'] as const)('edge flows and namespaces of %s', (stack) => {
  const spec = stackSpec(stack);
  const objects = objectsOf(spec);
  const policy = (name: string, ns: string) => find(objects, 'NetworkPolicy', name, ns);

  test('cert-manager and external-dns are restricted; logging is privileged with its reason', () => {
    const labels = (name: string) => find(objects, 'Namespace', name).metadata.labels;
    expect(labels('cert-manager')['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(labels('external-dns')['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(labels('lobstack-logging')['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(JSON.stringify(find(objects, 'Namespace', 'lobstack-logging').metadata.annotations)).toContain('hostPath');
  });

  test('cert-manager: its webhook from the API server, the API, and ACME (443) with the HTTP-01 self-check (80)', () => {
    expect(portsOf(policy('allow-from-kube-apiserver', 'cert-manager'))).toEqual([10250]);
    expect(portsOf(policy('allow-kube-apiserver', 'cert-manager'))).toEqual([6443, 443]);
    const acme = policy('allow-acme', 'cert-manager');
    expect(peersOf(acme)).toEqual([{ ipBlock: { cidr: '0.0.0.0/0', except: NON_PUBLIC_IPV4 } }]);
    expect(portsOf(acme)).toEqual([80, 443]);
    expect(peersOf(policy('allow-http01-self-check', 'cert-manager'))).toEqual([
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'lobstack-ingress' } },
        podSelector: { matchLabels: { istio: 'ingressgateway' } },
      },
    ]);
  });

  test('the gateway reaches the HTTP-01 solver pods on 8089, and only the gateway does', () => {
    const out = policy('allow-gateway-to-acme-solver', 'lobstack-ingress');
    expect(out.spec.podSelector).toEqual({ matchLabels: { istio: 'ingressgateway' } });
    expect(portsOf(out)).toEqual([8089]);
    const solver = policy('allow-acme-solver-from-gateway', 'lobstack-ingress');
    expect(solver.spec.podSelector).toEqual({ matchLabels: { 'agent-platform.io/acme-http01-solver': 'true' } });
    expect(peersOf(solver)).toEqual([
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'lobstack-ingress' } },
        podSelector: { matchLabels: { istio: 'ingressgateway' } },
      },
    ]);
  });

  test('external-dns: the API and the DNS provider on 443', () => {
    expect(portsOf(policy('allow-dns-provider', 'external-dns'))).toEqual([443]);
    expect(policy('allow-kube-apiserver', 'external-dns')).toBeDefined();
  });

  test('Fluent Bit: the API (pod metadata) and the Loki sink on 443', () => {
    expect(portsOf(policy('allow-log-sink', 'lobstack-logging'))).toEqual([443]);
    expect(policy('allow-kube-apiserver', 'lobstack-logging')).toBeDefined();
  });

  test('Falco → falcosidekick on 2801, both ends', () => {
    const out = policy('allow-to-falcosidekick', 'lobstack-falco');
    expect(peersOf(out)).toEqual([
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'lobstack-monitoring' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'falcosidekick' } },
      },
    ]);
    expect(portsOf(out)).toEqual([2801]);
    const inbound = policy('allow-falco-events', 'lobstack-monitoring');
    expect(inbound.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'falcosidekick' } });
    // The namespace (Falco's eBPF release) and, for the gVisor release on the host network
    // of the gVisor nodes, the addresses k3s's flannel gives host traffic: the cluster CIDR.
    expect(peersOf(inbound)).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'lobstack-falco' } } },
      { ipBlock: { cidr: '10.42.0.0/16' } },
    ]);
  });

  test('Prometheus scrapes cert-manager (9402), external-dns (7979) and Fluent Bit (2020)', () => {
    expect(portsOf(policy('allow-prometheus-scrape', 'cert-manager'))).toContain(9402);
    expect(portsOf(policy('allow-prometheus-scrape', 'external-dns'))).toContain(7979);
    expect(portsOf(policy('allow-prometheus-scrape', 'lobstack-logging'))).toContain(2020);
  });
});

describe('falcosidekick admits the hostNetwork gVisor release from where its traffic comes', () => {
  const inboundPeers = (objects: readonly Any[], ns: string) =>
    peersOf(find(objects, 'NetworkPolicy', 'allow-falco-events', ns));

  test("on EKS: the nodes' VPC addresses (cloud.networkCidr), which the VPC CNI does not translate", () => {
    const spec = exampleSpec('lobstack-aws');
    expect(spec.nodePools.some((p) => p.gvisor)).toBe(true);
    const objects = exampleObjects('lobstack-aws');
    const monitoring = namespaceOf(spec, 'monitoring').name;
    expect(inboundPeers(objects, monitoring)).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespaceOf(spec, 'falco').name } } },
      { ipBlock: { cidr: spec.cloud.networkCidr } },
    ]);
  });

  test('the gVisor release runs where Falco is on and a pool runs gVisor (every valid environment has one: agents need it)', () => {
    const pools = (...gvisor: boolean[]) => gvisor.map((g) => ({ gvisor: g }));
    expect(falcoGvisorEnabled({ addons: { falco: { enabled: true } }, nodePools: pools(false, true) })).toBe(true);
    expect(falcoGvisorEnabled({ addons: { falco: { enabled: true } }, nodePools: pools(false, false) })).toBe(false);
    expect(falcoGvisorEnabled({ addons: { falco: { enabled: false } }, nodePools: pools(true) })).toBe(false);
  });
});

describe('edge flow options', () => {
  const objectsFor = (mutate: (raw: Any) => void): Any[] => {
    const raw = rawStack('staging');
    mutate(raw);
    return objectsOf(parseRaw(raw) as EnvironmentSpec);
  };

  test('an Elasticsearch sink opens its port', () => {
    const objects = objectsFor((raw) => {
      raw.logs = { type: 'elasticsearch', host: 'es.lobstack.dev', port: 9243, index: 'platform' };
    });
    expect(portsOf(find(objects, 'NetworkPolicy', 'allow-log-sink', 'lobstack-logging'))).toEqual([9243]);
  });

  test("an e-mail receiver opens Alertmanager's egress to the relay's port", () => {
    const objects = objectsFor((raw) => {
      raw.alerting.receivers.push({
        name: 'ops-mail',
        type: 'email',
        to: 'ops@lobstack.dev',
        from: 'alerts@lobstack.dev',
        smarthost: 'smtp.lobstack.dev:587',
      });
    });
    const smtp = find(objects, 'NetworkPolicy', 'allow-alert-smtp', 'lobstack-monitoring');
    expect(smtp.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'alertmanager' } });
    expect(portsOf(smtp)).toEqual([587]);
  });

  test('without dns, logs or ACME: no external-dns or logging namespace, no ACME flows', () => {
    const objects = objectsFor((raw) => {
      delete raw.dns;
      delete raw.logs;
      delete raw.certificates;
    });
    const namespaces = objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
    expect(namespaces).not.toContain('external-dns');
    expect(namespaces).not.toContain('lobstack-logging');
    expect(objects.some((o) => o.metadata.name === 'allow-acme')).toBe(false);
    expect(objects.some((o) => o.metadata.name === 'allow-gateway-to-acme-solver')).toBe(false);
  });
});
