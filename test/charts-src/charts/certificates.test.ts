/**
 * The certificates chart per environment: the internal CA, Vault's serving certificate
 * and its clients' CA Secrets, and the API host's ACME certificate (HTTP-01 through the
 * gateway on Hetzner, DNS-01 on Route 53). Every object is checked against the
 * cert-manager v1.21.1 CRDs in ../shared/crds.
 */
import { Testing } from 'cdk8s';
import { CertificatesChart } from '../../../charts-src/charts/certificates';
import type { EnvironmentSpec } from '../../../config';
import { parseRaw, rawStack, stackSpec } from '../../support/environments';
import { awsRaw } from '../../infra/support';
import { find, ofKind, type Obj } from '../support/objects';
import { SchemaValidator } from '../support/schemas';

const render = (spec: EnvironmentSpec): Obj[] => new CertificatesChart(Testing.app(), 'certificates', spec).toJson();

function route53Spec(): EnvironmentSpec {
  const raw = awsRaw();
  raw.dns = { provider: 'route53', zone: 'lobstack.dev', hostedZoneId: 'Z0123456789ABCDEFGHIJ' };
  return parseRaw(raw);
}

describe.each([
  ['staging', 3, 'api.staging.lobstack.dev'],
  ['prod', 5, 'api.lobstack.dev'],
] as const)('certificates of %s', (stack, vaultReplicas, host) => {
  const spec = stackSpec(stack);
  const objects = render(spec);

  test('every object validates against the cert-manager CRDs (unknown fields are errors)', () => {
    const validator = new SchemaValidator(spec.kubernetes.version);
    for (const o of objects)
      expect({ name: o.metadata.name, errors: validator.errors(o) }).toEqual({ name: o.metadata.name, errors: [] });
  });

  test('internal CA: a self-signed root in the cert-manager namespace, served by the ClusterIssuer platform-internal-ca', () => {
    expect(find(objects, 'ClusterIssuer', 'platform-self-signed').spec).toEqual({ selfSigned: {} });
    const ca = find(objects, 'Certificate', 'platform-internal-ca', 'cert-manager');
    expect(ca.spec).toMatchObject({
      isCA: true,
      secretName: 'platform-internal-ca',
      duration: '87600h',
      privateKey: { algorithm: 'ECDSA', size: 256 },
      issuerRef: { kind: 'ClusterIssuer', name: 'platform-self-signed' },
    });
    expect(find(objects, 'ClusterIssuer', 'platform-internal-ca').spec).toEqual({
      ca: { secretName: 'platform-internal-ca' },
    });
  });

  test(`Vault's certificate names every Service, each of the ${vaultReplicas} pods and 127.0.0.1`, () => {
    const cert = find(objects, 'Certificate', 'vault-server-tls', 'lobstack-vault');
    expect(cert.spec.secretName).toBe('vault-server-tls');
    expect(cert.spec.issuerRef).toEqual({
      group: 'cert-manager.io',
      kind: 'ClusterIssuer',
      name: 'platform-internal-ca',
    });
    expect(cert.spec.dnsNames).toEqual(
      expect.arrayContaining([
        'vault.lobstack-vault.svc',
        'vault-active.lobstack-vault.svc',
        `vault-${vaultReplicas - 1}.vault-internal.lobstack-vault.svc`,
        `vault-${vaultReplicas - 1}.vault-internal`,
      ]),
    );
    expect(cert.spec.dnsNames).not.toContain(`vault-${vaultReplicas}.vault-internal`);
    expect(cert.spec.ipAddresses).toEqual(['127.0.0.1']);
    expect(cert.spec.usages).toEqual(['server auth', 'client auth']);
    expect(cert.spec.renewBefore).toBe('720h');
  });

  test("Vault's clients (API, agents, snapshot job) get the internal CA as the Secret vault-ca", () => {
    const bundles = ofKind(objects, 'Certificate').filter((c: Obj) => c.metadata.name === 'vault-ca');
    // and the Raft snapshot job in Vault's namespace (backup).
    expect(bundles.map((c: Obj) => c.metadata.namespace)).toEqual([
      'lobstack-control-plane',
      'lobstack-agents',
      'lobstack-vault',
    ]);
    for (const b of bundles) expect(b.spec.issuerRef.name).toBe('platform-internal-ca');
  });

  test(`the API host ${host} gets a public certificate into the Gateway's Secret, by HTTP-01 through the gateway`, () => {
    const api = find(objects, 'Certificate', 'api-tls', 'lobstack-ingress');
    expect(api.spec).toMatchObject({
      secretName: 'api-tls',
      dnsNames: [host],
      issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'public-acme' },
    });
    const acme = find(objects, 'ClusterIssuer', 'public-acme').spec.acme;
    expect(acme).toMatchObject({
      email: 'platform@lobstack.dev',
      server: 'https://acme-v02.api.letsencrypt.org/directory',
      privateKeySecretRef: { name: 'public-acme-account' },
    });
    expect(acme.solvers).toEqual([
      {
        http01: {
          ingress: {
            ingressClassName: 'acme-solver-unserved',
            podTemplate: {
              metadata: {
                labels: { 'agent-platform.io/acme-http01-solver': 'true' },
                annotations: { 'sidecar.istio.io/inject': 'false' },
              },
              spec: {
                nodeSelector: { 'agent-platform.io/pool': 'control-plane' },
                tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Equal', value: 'true', effect: 'NoExecute' }],
              },
            },
          },
        },
      },
    ]);
    const service = find(objects, 'Service', 'acme-http01-solver', 'lobstack-ingress');
    expect(service.spec.selector).toEqual({ 'agent-platform.io/acme-http01-solver': 'true' });
    expect(service.spec.ports).toEqual([{ name: 'http', port: 8089, targetPort: 8089 }]);
  });
});

describe('certificates options', () => {
  test('Route 53: DNS-01 in the hosted zone, with the controller IRSA (ambient) credentials; no solver Service', () => {
    const objects = render(route53Spec());
    expect(find(objects, 'ClusterIssuer', 'public-acme').spec.acme.solvers).toEqual([
      {
        selector: { dnsZones: ['lobstack.dev'] },
        dns01: { route53: { region: 'us-east-1', hostedZoneID: 'Z0123456789ABCDEFGHIJ' } },
      },
    ]);
    expect(ofKind(objects, 'Service')).toEqual([]);
  });

  test('without certificates.acme: the internal CA and Vault only; the API Secret is provided out of band', () => {
    const raw = rawStack('staging');
    delete raw.certificates;
    const objects = render(parseRaw(raw));
    expect(ofKind(objects, 'ClusterIssuer').map((o: Obj) => o.metadata.name)).toEqual([
      'platform-self-signed',
      'platform-internal-ca',
    ]);
    expect(() => find(objects, 'Certificate', 'api-tls')).toThrow('found 0');
  });

  test('without Vault: no Vault certificates', () => {
    const raw = rawStack('staging');
    raw.addons.vault = { enabled: false };
    const objects = render(parseRaw(raw));
    expect(ofKind(objects, 'Certificate').map((o: Obj) => o.metadata.name)).toEqual([
      'platform-internal-ca',
      'api-tls',
    ]);
  });

  test('renewBefore comes from certificates.renewBefore', () => {
    const raw = rawStack('staging');
    raw.certificates.renewBefore = '1080h';
    const objects = render(parseRaw(raw));
    expect(find(objects, 'Certificate', 'api-tls').spec.renewBefore).toBe('1080h');
    expect(find(objects, 'Certificate', 'vault-server-tls').spec.renewBefore).toBe('1080h');
  });
});
