/** The model refuses settings that parse but would hand away the cluster: path, value and what is allowed. */
import { environmentSchema, parseEnvironment, type ParsedEnvironment } from '../../config';
import { checkDangerousSettings } from '../../config/dangerous-settings';
import { configErrorOf, parseRaw, rawStack } from '../support/environments';

const warningsOf = (raw: unknown) => parseEnvironment(raw, { stack: 'test', source: 'Pulumi.test.yaml' }).warnings;

describe('dangerous settings', () => {
  it('refuses a tenant whose namespace is kube-system or default', () => {
    const raw = rawStack();
    raw.namespacePrefix = '';
    raw.tenants = [{ name: 'kube-system' }, { name: 'default' }];
    const message = configErrorOf(raw);
    expect(message).toContain(
      'tenants[0].name ("kube-system") gives namespace "kube-system", which Kubernetes owns; tenant admins would hold admin there (allowed: any name whose namespace is not default or kube-*)',
    );
    expect(message).toContain('tenants[1].name ("default") gives namespace "default"');
  });

  it('refuses a prefix and name that together make a kube- namespace', () => {
    const raw = rawStack();
    raw.namespacePrefix = 'kube';
    raw.tenants = [{ name: 'system' }];
    expect(configErrorOf(raw)).toContain('gives namespace "kube-system", which Kubernetes owns');
  });

  it.each(['system:authenticated', 'system:unauthenticated', 'system:serviceaccounts', 'system:masters'])(
    'refuses the tenant group %s',
    (group) => {
      const raw = rawStack();
      raw.tenants[0].adminGroups = [group];
      expect(configErrorOf(raw)).toContain(`tenants[0].adminGroups[0] ("${group}") is a Kubernetes system group`);
    },
  );

  it('refuses the platform deployers group as a tenant group', () => {
    const raw = rawStack();
    raw.tenants[0].viewGroups = ['agent-platform:deployers'];
    expect(configErrorOf(raw)).toContain(
      'tenants[0].viewGroups[0] ("agent-platform:deployers") is the platform deployers\' group',
    );
  });

  it('refuses system groups for cluster-wide read access too', () => {
    const raw = rawStack();
    raw.access = { clusterReadOnlyGroups: ['system:authenticated'] };
    expect(configErrorOf(raw)).toContain(
      'access.clusterReadOnlyGroups[0] ("system:authenticated") is a Kubernetes system group',
    );
  });

  it('warns when adminCidrs together cover the internet, and refuses it in prod', () => {
    const raw = rawStack();
    raw.adminCidrs = ['0.0.0.0/1', '128.0.0.0/1'];
    expect(warningsOf(raw)).toContain(
      'adminCidrs together cover every IPv4 address: SSH and the Kubernetes API are open to the internet',
    );
    const prod = rawStack('prod');
    prod.adminCidrs = ['0.0.0.0/2', '64.0.0.0/2', '128.0.0.0/1'];
    expect(configErrorOf(prod)).toContain(
      'adminCidrs together cover every IPv4 address: SSH and the Kubernetes API are open to the internet; allowed in prod: your VPN, office and CI ranges only',
    );
    expect(warningsOf(rawStack())).toEqual([]);
  });

  it('refuses workload egress that reaches the metadata service', () => {
    const raw = rawStack();
    raw.controlPlaneApi.egress = [{ name: 'anywhere', cidr: '0.0.0.0/0', ports: [443] }];
    expect(configErrorOf(raw)).toContain(
      'controlPlaneApi.egress[0].cidr ("0.0.0.0/0") reaches the cloud metadata service (169.254.169.254), which serves node user data; add "169.254.169.254/32" to except or use a narrower cidr',
    );
    raw.controlPlaneApi.egress = [{ name: 'meta', cidr: '169.254.169.254/32', ports: [80] }];
    expect(configErrorOf(raw)).toContain(
      'controlPlaneApi.egress[0].cidr ("169.254.169.254/32") reaches the cloud metadata service',
    );
    raw.controlPlaneApi.egress = [{ name: 'db', cidr: '0.0.0.0/0', except: ['169.254.0.0/16'], ports: [5432] }];
    expect(() => parseRaw(raw)).not.toThrow();
  });

  it.each([22, 2379, 6443, 10250])('refuses agents.egressPorts %d', (port) => {
    const raw = rawStack();
    raw.agents.egressPorts = [443, port];
    expect(configErrorOf(raw)).toContain(`agents.egressPorts[1] (${port}) is the port of`);
    expect(configErrorOf(raw)).toContain('agents never reach it (allowed: service ports on the internet such as 443)');
  });

  it('refuses UDP egress to the kubelet port as well', () => {
    const raw = rawStack();
    raw.agents.egressUdpPorts = [10250];
    expect(configErrorOf(raw)).toContain('agents.egressUdpPorts[0] (10250) is the port of the kubelet API');
  });

  it('requires agents.allowedRegistries, and the agent image from one of them', () => {
    const raw = rawStack();
    delete raw.agents.allowedRegistries;
    expect(configErrorOf(raw)).toContain('agents.allowedRegistries is required');
    raw.agents.allowedRegistries = ['ghcr.io/other'];
    expect(configErrorOf(raw)).toContain(
      'agents.image ("ghcr.io/lobstack/agent-runtime:2.8.1") is not from agents.allowedRegistries (ghcr.io/other); admission would deny every agent pod',
    );
    raw.agents.allowedRegistries = ['https://ghcr.io/lobstack/'];
    expect(configErrorOf(raw)).toContain(
      'agents.allowedRegistries[0] ("https://ghcr.io/lobstack/") must be a registry host',
    );
  });

  it('refuses agents on a Kubernetes minor without ValidatingAdmissionPolicy v1', () => {
    // No supported minor is that old any more; the rule stays for the table's future edits.
    const parsed = {
      ...environmentSchema.parse(rawStack()),
      kubernetes: { version: '1.29' },
    } as unknown as ParsedEnvironment;
    const { issues } = checkDangerousSettings(parsed);
    expect(issues.map((i) => `${String(i.path.join('.'))} (${String(i.input)}) ${i.message}`)).toEqual([
      'kubernetes.version (1.29) cannot run agents: their sandbox is enforced by ValidatingAdmissionPolicy v1, served from 1.30 on (allowed: 1.30 or newer)',
    ]);
  });
});
