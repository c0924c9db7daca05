/**
 * The edge add-ons (cert-manager, external-dns, Fluent Bit, falcosidekick) and the edge
 * settings of Vault and Falco: what each option renders, and every refusal with its
 * message. Their values are checked against the upstream charts for every environment
 * by chart-values.test.ts.
 */
import { installMocks } from '../../support/pulumi-mocks';

installMocks();

import type { AddonName, EnvironmentSpec } from '../../../config';
import { definitionOf } from '../../../infra/addons/catalogue';
import type { AddonContext } from '../../../infra/addons/types';
import { vaultRaftConfig } from '../../../infra/addons/vault';
import type { ClusterResult } from '../../../infra/cluster';
import { parseRaw, rawStack, stackSpec } from '../../support/environments';
import { awsRaw, fakeCluster } from '../support';

type Values = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ROLE = 'arn:aws:iam::123456789012:role/lobstack-staging-external-dns';
const CM_ROLE = 'arn:aws:iam::123456789012:role/lobstack-staging-cert-manager';

function valuesOf(name: AddonName, spec: EnvironmentSpec, cluster: ClusterResult = fakeCluster(spec)): Values {
  const def = definitionOf(name);
  const ctx: AddonContext = {
    spec,
    cluster,
    namespace: def.namespace(spec),
    namespaces: {},
    checksum: () => 'checksum',
  };
  return def.values(ctx) as Values;
}

function route53Spec(): EnvironmentSpec {
  const raw = awsRaw();
  raw.dns = { provider: 'route53', zone: 'lobstack.dev', hostedZoneId: 'Z0123456789ABCDEFGHIJ' };
  raw.logs = {
    type: 's3',
    bucket: 'lobstack-logs',
    region: 'us-east-1',
    accessKeyId: { name: 'log-archive', key: 'access-key-id' },
    secretAccessKey: { name: 'log-archive', key: 'secret-access-key' },
  };
  return parseRaw(raw);
}
const awsCluster = (spec: EnvironmentSpec) =>
  fakeCluster(spec, { dnsRoles: { externalDns: ROLE, certManager: CM_ROLE } });

describe('cert-manager', () => {
  const values = valuesOf('certManager', stackSpec('prod'));

  test('CRDs with the chart, kept on uninstall; leader election in its own namespace', () => {
    expect(values.crds).toEqual({ enabled: true, keep: true });
    expect(values.global.leaderElection).toEqual({ namespace: 'cert-manager' });
  });

  test('two controllers and webhooks in prod, each with a PDB; restricted everywhere', () => {
    expect(values.replicaCount).toBe(2);
    expect(values.webhook.replicaCount).toBe(2);
    expect(values.podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
    for (const block of [values, values.webhook, values.cainjector, values.startupapicheck]) {
      expect(block.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(block.containerSecurityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        readOnlyRootFilesystem: true,
      });
    }
  });

  test('a ServiceMonitor for the certificate-expiry alerts', () => {
    expect(values.prometheus).toEqual({ enabled: true, servicemonitor: { enabled: true } });
  });

  test('on Route 53 the controller ServiceAccount carries the DNS-01 IRSA role', () => {
    const spec = route53Spec();
    expect(valuesOf('certManager', spec, awsCluster(spec)).serviceAccount).toEqual({
      create: true,
      name: 'cert-manager',
      annotations: { 'eks.amazonaws.com/role-arn': CM_ROLE },
    });
    expect(values.serviceAccount).toEqual({ create: true, name: 'cert-manager' });
  });
});

describe('external-dns', () => {
  test('Hetzner: the webhook sidecar with the token from the Secret, only the zone, only the ingress Gateways', () => {
    const values = valuesOf('externalDns', stackSpec('staging'));
    expect(values).toMatchObject({
      replicaCount: 1,
      sources: ['istio-gateway'],
      namespaced: true,
      sourceNamespace: 'lobstack-ingress',
      policy: 'sync',
      registry: 'txt',
      txtOwnerId: 'lobstack-staging',
      domainFilters: ['lobstack.dev'],
    });
    expect(values.provider.name).toBe('webhook');
    expect(values.provider.webhook.image).toEqual({
      repository: 'ghcr.io/mconfalonieri/external-dns-hetzner-webhook',
      tag: 'v0.11.0',
    });
    expect(values.provider.webhook.env).toEqual([
      { name: 'HETZNER_API_KEY', valueFrom: { secretKeyRef: { name: 'hetzner-dns', key: 'token' } } },
      { name: 'USE_CLOUD_API', value: 'true' },
      { name: 'DOMAIN_FILTER', value: 'lobstack.dev' },
    ]);
    expect(values.provider.webhook.securityContext).toMatchObject({ capabilities: { drop: ['ALL'] } });
  });

  test('Route 53: the aws provider, the hosted zone only, the IRSA role on its ServiceAccount', () => {
    const spec = route53Spec();
    const values = valuesOf('externalDns', spec, awsCluster(spec));
    expect(values.provider).toEqual({ name: 'aws' });
    expect(values.extraArgs).toEqual({ 'aws-zone-type': 'public', 'zone-id-filter': 'Z0123456789ABCDEFGHIJ' });
    expect(values.serviceAccount.annotations).toEqual({ 'eks.amazonaws.com/role-arn': ROLE });
  });

  test('Route 53 without the IRSA role is refused, naming what creates it', () => {
    const spec = route53Spec();
    expect(() => valuesOf('externalDns', spec, fakeCluster(spec))).toThrow(
      'dns.provider is route53 but the cluster has no IRSA role for external-dns (ClusterResult.dnsRoles.externalDns); it is created by infra/aws',
    );
  });

  test('not installed without dns', () => {
    const raw = rawStack('staging');
    delete raw.dns;
    expect(definitionOf('externalDns').enabled(parseRaw(raw))).toBe(false);
  });
});

describe('Fluent Bit', () => {
  const values = valuesOf('fluentBit', stackSpec('staging'));

  test('a DaemonSet on every node, root but with no capability, no escalation, read-only root', () => {
    expect(values.kind).toBe('DaemonSet');
    expect(values.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(values.securityContext).toEqual({
      runAsUser: 0,
      runAsNonRoot: false,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('k3s: tails container logs and the audit log (read-only hostPaths), keeps positions on the node', () => {
    expect(values.config.inputs).toContain('Path /var/log/containers/*.log');
    expect(values.config.inputs).toContain('Path /var/lib/rancher/k3s/server/logs/audit.log');
    expect(values.config.inputs).toContain('DB /var/lib/fluent-bit/audit.db');
    expect(values.daemonSetVolumeMounts).toEqual([
      { name: 'varlog', mountPath: '/var/log', readOnly: true },
      { name: 'state', mountPath: '/var/lib/fluent-bit' },
      { name: 'audit', mountPath: '/var/lib/rancher/k3s/server/logs', readOnly: true },
    ]);
  });

  test('JSON log lines stay structured (merged into the record), records carry the environment', () => {
    expect(values.config.filters).toContain('Merge_Log On');
    expect(values.config.filters).toContain('Add environment lobstack-staging');
  });

  test('Loki: https push with tenant and credentials from the Secret, by environment variable only', () => {
    expect(values.config.outputs).toContain('Name loki');
    expect(values.config.outputs).toContain('Host logs.lobstack.dev');
    expect(values.config.outputs).toContain('Uri /loki/api/v1/push');
    expect(values.config.outputs).toContain('tenant_id staging');
    expect(values.config.outputs).toContain('http_passwd ${SINK_PASSWORD}');
    expect(values.config.outputs).toContain('source=audit');
    expect(values.env).toEqual([
      { name: 'SINK_USERNAME', valueFrom: { secretKeyRef: { name: 'loki-credentials', key: 'username' } } },
      { name: 'SINK_PASSWORD', valueFrom: { secretKeyRef: { name: 'loki-credentials', key: 'password' } } },
    ]);
  });

  test('Elasticsearch: index, TLS, dots replaced', () => {
    const raw = rawStack('staging');
    raw.logs = {
      type: 'elasticsearch',
      host: 'es.lobstack.dev',
      index: 'platform-logs',
      basicAuth: { username: { name: 'es', key: 'user' }, password: { name: 'es', key: 'password' } },
    };
    const out = valuesOf('fluentBit', parseRaw(raw)).config.outputs as string;
    for (const line of [
      'Name es',
      'Host es.lobstack.dev',
      'Port 9200',
      'Index platform-logs',
      'tls.verify On',
      'Replace_Dots On',
      'HTTP_Passwd ${SINK_PASSWORD}',
    ]) {
      expect(out).toContain(line);
    }
  });

  test('S3 (EKS): access keys from the Secret; no audit input (EKS sends its audit log to CloudWatch)', () => {
    const spec = route53Spec();
    const values = valuesOf('fluentBit', spec, awsCluster(spec));
    expect(values.config.outputs).toContain('bucket lobstack-logs');
    expect(values.config.outputs).toContain('store_dir /var/lib/fluent-bit/s3');
    expect(values.config.inputs).not.toContain('audit');
    expect(values.env.map((e: Values) => e.name)).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']);
  });

  test('an S3-compatible endpoint is passed on', () => {
    const raw = rawStack('staging');
    raw.logs = {
      type: 's3',
      bucket: 'lobstack-logs',
      region: 'fsn1',
      endpoint: 'https://fsn1.your-objectstorage.com',
      accessKeyId: { name: 'logs-s3', key: 'id' },
      secretAccessKey: { name: 'logs-s3', key: 'secret' },
    };
    expect(valuesOf('fluentBit', parseRaw(raw)).config.outputs).toContain(
      'endpoint https://fsn1.your-objectstorage.com',
    );
  });
});

describe('falcosidekick and Falco', () => {
  const spec = stackSpec('staging');

  test('falcosidekick posts to Alertmanager v2 (v1 is gone since Alertmanager 0.27)', () => {
    expect(valuesOf('falcosidekick', spec).config.alertmanager).toMatchObject({
      hostport: 'http://kube-prometheus-stack-alertmanager.lobstack-monitoring.svc:9093',
      endpoint: '/api/v2/alerts',
      minimumpriority: 'warning',
    });
  });

  test('Falco sends JSON events over HTTP to falcosidekick', () => {
    expect(valuesOf('falco', spec).falco).toEqual({
      json_output: true,
      http_output: { enabled: true, url: 'http://falcosidekick.lobstack-monitoring.svc:2801/' },
    });
  });

  test('with falcosidekick off, Falco keeps its default output', () => {
    const raw = rawStack('staging');
    raw.addons.falcosidekick = { enabled: false };
    const noKps = parseRaw(raw);
    expect(definitionOf('falcosidekick').enabled(noKps)).toBe(false);
    expect(valuesOf('falco', noKps).falco).toBeUndefined();
  });
});

describe('Vault over TLS', () => {
  const spec = stackSpec('staging');
  const values = valuesOf('vault', spec);
  const config = vaultRaftConfig(spec);

  test('the listener serves the cert-manager certificate; no plaintext listener', () => {
    expect(values.global.tlsDisable).toBe(false);
    expect(config).not.toContain('tls_disable');
    expect(config).toContain('tls_cert_file = "/vault/userconfig/vault-server-tls/tls.crt"');
    expect(config).toContain('tls_key_file = "/vault/userconfig/vault-server-tls/tls.key"');
    expect(values.server.extraVolumes).toEqual([{ type: 'secret', name: 'vault-server-tls' }]);
  });

  test('raft joins go over https and verify the leader against the internal CA', () => {
    expect(config).not.toContain('http://');
    expect(config.match(/leader_ca_cert_file = "\/vault\/userconfig\/vault-server-tls\/ca.crt"/g)).toHaveLength(3);
  });

  test('the API address is a name the certificate carries; the in-pod CLI verifies the CA', () => {
    expect(values.server.ha.apiAddr).toBe('https://$(VAULT_K8S_POD_NAME).vault-internal.lobstack-vault.svc:8200');
    expect(values.server.extraEnvironmentVars).toEqual({ VAULT_CACERT: '/vault/userconfig/vault-server-tls/ca.crt' });
  });
});
