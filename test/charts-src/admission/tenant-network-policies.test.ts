/**
 * Tenant admins edit NetworkPolicies (they hold `admin`): the policy keeps their egress
 * off link-local and private ranges and the platform's policies as rendered.
 */
import { admit } from '../../support/admission-cel';
import { agentAdmissionFixture, objectRequest } from '../../support/agent-admission';
import { stackSpec } from '../../support/environments';
import type { Any } from '../../support/render';

const f = agentAdmissionFixture(stackSpec('staging'));
const tenantNs = 'lobstack-team-research';
const tenant = { user: 'oidc:alice', groups: ['research-leads', 'system:authenticated'] };

const policy = (egress: Any[], labels: Record<string, string> = {}): Any => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'team-egress', namespace: tenantNs, labels },
  spec: { podSelector: {}, policyTypes: ['Egress'], egress },
});
const to = (cidr: string, except?: string[]) => ({
  to: [{ ipBlock: { cidr, ...(except ? { except } : {}) } }],
  ports: [{ port: 443 }],
});
const request = (op: 'CREATE' | 'UPDATE' | 'DELETE', obj: Any | null, old: Any | null, who = tenant) =>
  admit(f.objects, objectRequest(op, 'networkpolicies', tenantNs, obj, old, who.user, who.groups, 'networking.k8s.io'));
const EVERY_PRIVATE = [
  '169.254.0.0/16',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '127.0.0.0/8',
];

describe('tenant NetworkPolicies', () => {
  it.each<[string, Any[]]>([
    ['a public address', [to('8.8.8.8/32')]],
    ['the internet with every private range excepted', [to('0.0.0.0/0', EVERY_PRIVATE)]],
    ['in-cluster peers by selector', [{ to: [{ namespaceSelector: {} }] }]],
    ['a public IPv6 range', [to('2001:db8::/32')]],
    ['all of IPv6 except ULA and link-local', [to('::/0', ['fc00::/7', 'fe80::/10'])]],
  ])('admits egress to %s', (_n, egress) => {
    expect(request('CREATE', policy(egress), null).denials).toEqual([]);
  });

  it.each<[string, Any[], string]>([
    ['the metadata service', [to('169.254.169.254/32')], 'never reach'],
    [
      'the internet with only the metadata address excepted (private network open)',
      [to('0.0.0.0/0', ['169.254.169.254/32'])],
      'never reach',
    ],
    ['the internet with no except', [to('0.0.0.0/0')], 'never reach'],
    ['the node network', [to('10.10.0.0/16')], 'never reach'],
    ['a wide block spanning 172.16/12', [to('172.0.0.0/8')], 'never reach'],
    ['a /1 holding every private range', [to('0.0.0.0/1', ['10.0.0.0/8'])], 'never reach'],
    ['everywhere (no "to")', [{ ports: [{ port: 443 }] }], 'lists its destinations'],
    ['all of IPv6', [to('::/0')], 'IPv6'],
    ['the AWS IPv6 metadata service', [to('fd00:ec2::254/128')], 'IPv6'],
    ['IPv6 link-local', [to('fe80::/64')], 'IPv6'],
    [
      'more egress rules than the cost bound allows',
      Array.from({ length: 11 }, () => to('8.8.8.8/32')),
      'at most 10 egress rules',
    ],
    [
      'more excepts than the cost bound allows',
      [to('0.0.0.0/0', [...EVERY_PRIVATE, '1.0.0.0/8', '2.0.0.0/8', '3.0.0.0/8'])],
      '8 excepts per ipBlock',
    ],
  ])('denies egress to %s', (_n, egress, message) => {
    const result = request('CREATE', policy(egress), null);
    expect(result.allowed).toBe(false);
    expect(result.denials.map((d) => d.message).join('\n')).toContain(message);
    expect(result.denials.filter((d) => d.error !== undefined)).toEqual([]);
  });

  it('denies deleting or editing the platform default-deny', () => {
    const platform = f.objects.find(
      (o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === tenantNs && o.metadata.name === 'default-deny',
    );
    expect(platform).toBeDefined();
    expect(request('DELETE', null, platform).allowed).toBe(false);
    const opened = structuredClone(platform);
    opened.spec.egress = [{}];
    expect(request('UPDATE', opened, platform).allowed).toBe(false);
  });

  it("admits deleting a tenant's own policy", () => {
    expect(request('DELETE', null, policy([to('8.8.8.8/32')])).denials).toEqual([]);
  });

  it('does not judge the platform deployer (system:masters on k3s, the deployers group on EKS)', () => {
    const k3s = { user: 'system:admin', groups: ['system:masters', 'system:authenticated'] };
    expect(request('CREATE', policy([to('10.10.0.0/16')]), null, k3s).judgedBy).toEqual([]);
    const eks = {
      user: 'arn:aws:iam::111122223333:role/deployer',
      groups: ['agent-platform:deployers', 'system:authenticated'],
    };
    expect(
      request(
        'UPDATE',
        policy([to('10.10.0.0/16')], { 'app.kubernetes.io/managed-by': 'agent-platform' }),
        policy([], { 'app.kubernetes.io/managed-by': 'agent-platform' }),
        eks,
      ).judgedBy,
    ).toEqual([]);
  });

  it('does not judge NetworkPolicies in platform namespaces', () => {
    const r = admit(
      f.objects,
      objectRequest(
        'CREATE',
        'networkpolicies',
        'lobstack-control-plane',
        policy([to('10.0.0.0/8')]),
        null,
        'alice',
        [],
        'networking.k8s.io',
      ),
    );
    expect(r.judgedBy).toEqual([]);
  });
});
