import { Testing } from 'cdk8s';
import { MeshChart } from '../../../charts-src/charts/mesh';
import { parseRaw, rawStack, stackSpec } from '../../support/environments';
import { find, type Obj } from '../support/objects';

describe.each([
  ['staging', 'api.staging.lobstack.dev'],
  ['prod', 'api.lobstack.dev'],
] as const)('Istio objects of %s', (stack, host) => {
  const objects: Obj[] = new MeshChart(Testing.app(), 'mesh', stackSpec(stack)).toJson();

  it('STRICT mTLS mesh-wide (PeerAuthentication default in the root namespace)', () => {
    const pa = find(objects, 'PeerAuthentication', 'default', 'istio-system');
    expect(pa.apiVersion).toBe('security.istio.io/v1');
    expect(pa.spec).toEqual({ mtls: { mode: 'STRICT' } });
  });

  it('only the ingress gateway ServiceAccount may call the API port', () => {
    const policy = find(objects, 'AuthorizationPolicy', 'api-allow-ingress-gateway', 'lobstack-control-plane');
    expect(policy.spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
      action: 'ALLOW',
      rules: [
        {
          from: [{ source: { principals: ['cluster.local/ns/lobstack-ingress/sa/istio-ingressgateway'] } }],
          to: [{ operation: { ports: ['3000'] } }],
        },
      ],
    });
  });

  it(`serves ${host} over TLS from the api-tls Secret; port 80 has no Gateway-level redirect (ACME HTTP-01)`, () => {
    const gateway = find(objects, 'Gateway', 'api', 'lobstack-ingress');
    expect(gateway.spec.selector).toEqual({ istio: 'ingressgateway' });
    expect(gateway.spec.servers).toEqual([
      {
        port: { number: 443, name: 'https', protocol: 'HTTPS' },
        hosts: [host],
        tls: { mode: 'SIMPLE', credentialName: 'api-tls', minProtocolVersion: 'TLSV1_2' },
      },
      { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: [host] },
    ]);
  });

  it('routes the ACME challenge path to the solver pods, redirects the rest of port 80, and the host to the API', () => {
    expect(find(objects, 'VirtualService', 'api', 'lobstack-ingress').spec).toEqual({
      hosts: [host],
      gateways: ['api'],
      http: [
        {
          name: 'acme-http01',
          match: [{ port: 80, uri: { prefix: '/.well-known/acme-challenge/' } }],
          route: [
            { destination: { host: 'acme-http01-solver.lobstack-ingress.svc.cluster.local', port: { number: 8089 } } },
          ],
        },
        {
          name: 'https-redirect',
          match: [{ port: 80 }],
          redirect: { scheme: 'https', derivePort: 'FROM_PROTOCOL_DEFAULT', redirectCode: 301 },
        },
        { route: [{ destination: { host: 'api.lobstack-control-plane.svc.cluster.local', port: { number: 3000 } } }] },
      ],
    });
  });
});

describe('MeshChart without ACME HTTP-01', () => {
  it('the Gateway redirects HTTP itself and the VirtualService only routes to the API', () => {
    const raw = rawStack('staging');
    delete raw.certificates;
    const objects: Obj[] = new MeshChart(Testing.app(), 'mesh', parseRaw(raw)).toJson();
    const gateway = find(objects, 'Gateway', 'api', 'lobstack-ingress');
    expect(gateway.spec.servers[1]).toEqual({
      port: { number: 80, name: 'http', protocol: 'HTTP' },
      hosts: ['api.staging.lobstack.dev'],
      tls: { httpsRedirect: true },
    });
    expect(find(objects, 'VirtualService', 'api', 'lobstack-ingress').spec.http).toHaveLength(1);
  });
});

describe('MeshChart options', () => {
  it('a control-plane namespace outside the mesh gets no AuthorizationPolicy (it would not be enforced)', () => {
    const raw = rawStack('staging');
    raw.namespaces['control-plane'].mesh = false;
    const objects: Obj[] = new MeshChart(Testing.app(), 'mesh', parseRaw(raw)).toJson();
    expect(objects.map((o) => o.kind)).toEqual(['PeerAuthentication', 'Gateway', 'VirtualService']);
  });
});
