/**
 * The edge model: credentials can only be references (a value is refused without being
 * echoed), the cross-object rules with their messages, and what reaches dist/: no
 * Secret and no credential field, in every committed stack.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { parseEnvironment } from '../../config';
import { configErrorOf, rawStack, REPO_ROOT } from '../support/environments';

describe('credentials are references, never values', () => {
  test.each([
    ['logs.basicAuth.password', (raw: any) => (raw.logs.basicAuth.password = 'hunter2')], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['alerting.receivers[0].apiUrl', (raw: any) => (raw.alerting.receivers[0].apiUrl = 'hunter2')], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['dns.tokenSecret', (raw: any) => (raw.dns.tokenSecret = 'hunter2')], // eslint-disable-line @typescript-eslint/no-explicit-any
  ])('%s given as a value is refused, and the value is not repeated', (path, mutate) => {
    const raw = rawStack('staging');
    mutate(raw);
    const message = configErrorOf(raw);
    expect(message).toContain(
      `${path} ("[redacted]") must be a Secret reference { name, key }, not a value: create the Secret and name it here (the value given is not shown)`,
    );
    expect(message).not.toContain('hunter2');
  });

  test('there is no field for a DNS token value', () => {
    const raw = rawStack('staging');
    raw.dns.token = 'abc';
    expect(configErrorOf(raw)).toContain('dns.token unknown key (allowed: provider, zone, hostedZoneId, tokenSecret)');
  });
});

describe('edge rules', () => {
  test('the DNS zone must contain the API host', () => {
    const raw = rawStack('staging');
    raw.dns.zone = 'example.com';
    expect(configErrorOf(raw)).toContain(
      'dns.zone ("example.com") must contain controlPlaneApi.host (api.staging.lobstack.dev): external-dns may only change this zone',
    );
  });

  test('Route 53 needs AWS and a hosted zone ID; Hetzner needs its token Secret', () => {
    const raw = rawStack('staging');
    raw.dns = { provider: 'route53', zone: 'lobstack.dev' };
    expect(configErrorOf(raw)).toContain('dns.hostedZoneId is required for provider "route53"');
    raw.dns.hostedZoneId = 'Z0123456789ABCDEFGHIJ';
    expect(configErrorOf(raw)).toContain(
      'dns.provider ("route53") route53 needs cloud.provider aws (external-dns authenticates with an IRSA role)',
    );
    const hetzner = rawStack('staging');
    delete hetzner.dns.tokenSecret;
    expect(configErrorOf(hetzner)).toContain(
      'dns.tokenSecret is required for provider "hetzner" (a Secret holding the Hetzner Cloud API token)',
    );
  });

  test('Vault without cert-manager is refused: Vault serves only TLS', () => {
    const raw = rawStack('staging');
    raw.addons.certManager = { enabled: false };
    expect(configErrorOf(raw)).toContain(
      'addons.certManager.enabled (false) must be true while addons.vault is enabled: Vault serves only TLS, from a certificate cert-manager issues',
    );
  });

  test('OIDC prefixes may not claim system:', () => {
    const raw = rawStack('staging');
    raw.oidc.groupsPrefix = 'system:';
    expect(configErrorOf(raw)).toContain(
      'oidc.groupsPrefix ("system:") must not start with "system:" (reserved for Kubernetes)',
    );
  });

  test('settings that do nothing are said at load: ACME and DNS without the gateway, receivers without Alertmanager', () => {
    const raw = rawStack('staging');
    raw.addons.istio = { enabled: false };
    for (const t of raw.tenants) t.mesh = false;
    raw.namespaces['control-plane'].mesh = false;
    raw.addons.kubePrometheusStack = { enabled: false };
    raw.addons.prometheusAdapter = { enabled: false };
    delete raw.controlPlaneApi.autoscaling.requestsPerSecond;
    const { warnings } = parseEnvironment(raw, { stack: 'test', source: 'Pulumi.test.yaml' });
    expect(warnings).toEqual(
      expect.arrayContaining([
        'certificates.acme is ignored: the API certificate needs addons.certManager and addons.istio (the gateway serves it)',
        'dns is ignored: external-dns points the API host at the ingress gateway, and addons.istio is disabled',
        'alerting.receivers are ignored: addons.kubePrometheusStack (Alertmanager) is disabled',
      ]),
    );
  });
});

describe.each(['staging', 'prod'])('dist/%s holds no credential', (stack) => {
  const dir = join(REPO_ROOT, 'dist', stack);
  const objects = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS()))
    .filter(Boolean);

  test('no Secret objects (credentials are created out of band or by Vault, and referenced)', () => {
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  test('no credential-looking field carries a value', () => {
    const found: string[] = [];
    const walk = (v: unknown, path: string) => {
      if (!v || typeof v !== 'object') return;
      for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
        if (
          /^(password|passwd|token|api_?key|secret_?key|routing_key|api_url|private_?key)$/i.test(k) &&
          typeof child === 'string'
        ) {
          found.push(`${path}.${k}`);
        }
        walk(child, `${path}.${k}`);
      }
    };
    objects.forEach((o, i) => walk(o, `[${i}] ${o.kind} ${o.metadata?.name}`));
    expect(found).toEqual([]);
  });
});
