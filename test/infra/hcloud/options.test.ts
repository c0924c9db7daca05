import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { nodeGroups, nodesArg, clusterConfig } from '../../../infra/hcloud/autoscaler';
import { firewallRules } from '../../../infra/hcloud/firewall';
import { secureToken } from '../../../infra/hcloud/join-token';
import { buildKubeconfig } from '../../../infra/hcloud/kubeconfig';
import { stackSpec } from '../../support/environments';

describe('firewallRules', () => {
  const spec = stackSpec('staging');

  it('opens ICMP to the world by default', () => {
    const icmp = firewallRules(spec, true).filter((r) => r.protocol === 'icmp');
    expect(icmp.map((r) => r.sourceIps)).toEqual([['10.10.0.0/16'], ['0.0.0.0/0', '::/0']]);
  });

  it('keeps ICMP inside the network when allowIcmp is false', () => {
    const icmp = firewallRules(spec, false).filter((r) => r.protocol === 'icmp');
    expect(icmp.map((r) => r.sourceIps)).toEqual([['10.10.0.0/16']]);
  });
});

describe('buildKubeconfig', () => {
  const args = {
    name: 'lobstack-staging',
    endpoints: ['192.0.2.1', '192.0.2.2'],
    port: 6443,
    caCertPem: 'CA',
    clientCertPem: 'CERT',
    clientKeyPem: 'KEY',
  };

  it('verifies the serving certificate as "kubernetes" by default, one context per endpoint', () => {
    const config = parse(buildKubeconfig(args)) as Record<string, unknown> & {
      clusters: { name: string; cluster: Record<string, string> }[];
    };
    expect(config.clusters).toEqual([
      {
        name: 'lobstack-staging-0',
        cluster: {
          server: 'https://192.0.2.1:6443',
          'certificate-authority-data': Buffer.from('CA').toString('base64'),
          'tls-server-name': 'kubernetes',
        },
      },
      expect.objectContaining({ name: 'lobstack-staging-1' }),
    ]);
    expect(config['current-context']).toBe('lobstack-staging-0');
    expect(config.users).toEqual([
      {
        name: 'lobstack-staging-admin',
        user: { 'client-certificate-data': 'Q0VSVA==', 'client-key-data': 'S0VZ' },
      },
    ]);
  });

  it('takes another tls-server-name', () => {
    const config = parse(buildKubeconfig({ ...args, tlsServerName: 'api.example' })) as {
      clusters: { cluster: Record<string, string> }[];
    };
    expect(config.clusters[0]!.cluster['tls-server-name']).toBe('api.example');
  });

  it('refuses an empty endpoint list', () => {
    expect(() => buildKubeconfig({ ...args, endpoints: [] })).toThrow('a kubeconfig needs at least one API endpoint');
  });
});

describe('secureToken', () => {
  it("is K10 + the sha256 of the server CA PEM + the bare secret, k3s's secure format", () => {
    const pem = '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n';
    const hash = createHash('sha256').update(pem).digest('hex');
    expect(secureToken(pem, 'pw')).toBe(`K10${hash}::server:pw`);
  });
});

describe('nodeGroups', () => {
  const base = stackSpec('staging');

  it('leaves fixed pools out and drops locations whose share of the elastic capacity is 0', () => {
    const spec = {
      ...base,
      nodePools: base.nodePools.map((p) =>
        p.name === 'api' ? { ...p, max: p.min + 2 } : p.name === 'agents' ? { ...p, max: p.min, autoscaled: false } : p,
      ),
    };
    const groups = nodeGroups(spec);
    expect(groups.map(nodesArg)).toEqual([
      '--nodes=0:1:cpx22:fsn1:lobstack-staging-api-fsn1',
      '--nodes=0:1:cpx22:nbg1:lobstack-staging-api-nbg1',
    ]);
  });

  it('describes each group with the pool labels and taints, values defaulting to ""', () => {
    const spec = {
      ...base,
      nodePools: base.nodePools.map((p) =>
        p.name === 'agents' ? { ...p, taints: [{ key: 'example.com/only', effect: 'NoSchedule' as const }] } : p,
      ),
    };
    const groups = nodeGroups(spec).filter((g) => g.pool.name === 'agents');
    const config = clusterConfig(groups, new Map([['agents', '#cloud-config\n']]));
    expect(config.nodeConfigs['lobstack-staging-agents-fsn1']!.taints).toEqual([
      { key: 'example.com/only', value: '', effect: 'NoSchedule' },
    ]);
    expect(() => clusterConfig(groups, new Map())).toThrow('no cloud-init for autoscaled pool "agents"');
  });
});
