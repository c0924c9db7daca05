import { NON_PUBLIC_IPV4 } from '../../support/non-public-ranges';
import {
  AgentNetworkPolicies,
  egressExceptions,
  type AgentNetworkPoliciesProps,
} from '../../../charts-src/constructs/agent-network-policies';
import { chart, errorOf, type Obj } from './helpers';
import { peer } from '../../../charts-src/constructs/network-flow';

const base: AgentNetworkPoliciesProps = {
  namespace: 'agents',
  api: peer.pods('cp', { app: 'api' }),
  agentPort: 8080,
  apiPort: 3000,
  egressPorts: [443],
  networkCidr: '10.1.0.0/16',
};
const render = (over: Partial<AgentNetworkPoliciesProps> = {}): Obj[] => {
  const c = chart();
  new AgentNetworkPolicies(c, 'Policies', { ...base, ...over });
  return c.toJson() as Obj[];
};

describe('AgentNetworkPolicies', () => {
  it('defaults: ingress only from the API; egress to CoreDNS, the API and 443 outside private ranges', () => {
    const [ingress, egress] = render();
    expect(ingress.metadata).toMatchObject({ name: 'agent-ingress', namespace: 'agents' });
    expect(ingress.spec).toEqual({
      podSelector: { matchLabels: { 'agent-platform.io/agent': 'true' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'cp' } },
              podSelector: { matchLabels: { app: 'api' } },
            },
          ],
          ports: [{ protocol: 'TCP', port: 8080 }],
        },
      ],
    });
    expect(egress.spec.policyTypes).toEqual(['Egress']);
    expect(egress.spec.egress).toHaveLength(3);
    expect(egress.spec.egress[0].to[0]).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    });
    expect(egress.spec.egress[1].ports).toEqual([{ protocol: 'TCP', port: 3000 }]);
    expect(egress.spec.egress[2].to[0].ipBlock).toEqual({
      cidr: '0.0.0.0/0',
      except: NON_PUBLIC_IPV4,
    });
  });

  it('options: Prometheus ingress, Vault egress, own DNS', () => {
    const [ingress, egress] = render({
      prometheus: { peer: peer.pods('mon', { p: 'y' }), port: 9090 },
      vault: { peer: peer.pods('vault', { v: 'y' }), port: 8200 },
      dns: peer.pods('dns', { d: 'y' }),
    });
    expect(ingress.spec.ingress[1]).toEqual({
      from: [
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'mon' } },
          podSelector: { matchLabels: { p: 'y' } },
        },
      ],
      ports: [{ protocol: 'TCP', port: 9090 }],
    });
    expect(egress.spec.egress[0].to[0].podSelector).toEqual({ matchLabels: { d: 'y' } });
    expect(egress.spec.egress[2]).toEqual({
      to: [
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'vault' } },
          podSelector: { matchLabels: { v: 'y' } },
        },
      ],
      ports: [{ protocol: 'TCP', port: 8200 }],
    });
  });

  it('excludes the cluster network when no blocked range covers it', () => {
    expect(egressExceptions('10.10.0.0/16')).not.toContain('10.10.0.0/16');
    expect(egressExceptions('198.18.0.0/15')).toContain('198.18.0.0/15');
    // The same non-public ranges as every "internet" peer, which are the admission rule's IPv4 ranges.
    expect(egressExceptions('10.10.0.0/16')).toEqual(NON_PUBLIC_IPV4);
  });

  it('refuses no egress ports and a port out of range', () => {
    expect(errorOf(() => render({ egressPorts: [] }))).toBe(
      'test/Policies: egressPorts is empty; agents need at least one internet port (usually 443)',
    );
    expect(errorOf(() => render({ egressPorts: [443, 70000] }))).toBe(
      'test/Policies: egressPorts[1] (70000) must be a TCP port between 1 and 65535',
    );
  });
});
