/**
 * Node labels and taints the kubelet (and k3s, and EKS node groups through nodeadm) accept
 * at registration. A key the kubelet refuses stops the node from starting, long after
 * `pulumi up` returned; the model refuses it with the path, the key and what is allowed.
 */
import { nodeLabelKeyProblem, nodeTaintKeyProblem } from '../../config/node-labels';
import { configErrorOf, parseRaw, rawStack } from '../support/environments';

const withLabels = (labels: Record<string, string>) => {
  const raw = rawStack();
  raw.nodePools[1].labels = labels;
  return raw;
};

describe('node labels a node may register itself with', () => {
  it.each([
    'node-role.kubernetes.io/worker',
    'kubernetes.io/role',
    'k8s.io/team',
    'sub.k8s.io/x',
    'example.kubernetes.io/x',
  ])('refuses %s (kubernetes.io/k8s.io, not a kubelet label)', (key) => {
    expect(nodeLabelKeyProblem(key)).toMatch(/^is a kubernetes\.io\/k8s\.io label the kubelet may not set/);
  });

  it.each([
    'node.kubernetes.io/instance-type',
    'node.kubernetes.io/lifecycle',
    'kubelet.kubernetes.io/x',
    'sub.node.kubernetes.io/x',
    'topology.kubernetes.io/zone',
    'kubernetes.io/arch',
    'example.com/team',
    'workload-type',
    'agent-platform.io/pool',
  ])('accepts %s', (key) => {
    expect(nodeLabelKeyProblem(key)).toBeUndefined();
  });

  it('refuses the NodeRestriction domain and its subdomains with its own reason', () => {
    for (const key of ['node-restriction.kubernetes.io/secure', 'example.node-restriction.kubernetes.io/x']) {
      expect(nodeLabelKeyProblem(key)).toMatch(/^is in node-restriction\.kubernetes\.io, which the NodeRestriction/);
    }
  });

  it('reports a refused label with its path, the key and what is allowed, and writes nothing else', () => {
    const message = configErrorOf(withLabels({ 'node-role.kubernetes.io/worker': 'true', 'example.com/ok': 'x' }));
    expect(message).toContain('Pulumi.test.yaml: 1 problem:');
    expect(message).toContain(
      'nodePools[1].labels["node-role.kubernetes.io/worker"] ("node-role.kubernetes.io/worker") is a kubernetes.io/k8s.io label ' +
        'the kubelet may not set on its own node (it refuses to start); allowed there: *kubelet.kubernetes.io/*, ' +
        '*node.kubernetes.io/* or kubernetes.io/hostname, kubernetes.io/os, kubernetes.io/arch, beta.kubernetes.io/os, ' +
        'beta.kubernetes.io/arch, beta.kubernetes.io/instance-type, node.kubernetes.io/instance-type, ' +
        'topology.kubernetes.io/zone, topology.kubernetes.io/region, failure-domain.beta.kubernetes.io/zone, ' +
        'failure-domain.beta.kubernetes.io/region; otherwise use your own domain, e.g. example.com/team',
    );
  });

  it('accepts the stack files as they are, and a kubelet-namespace label', () => {
    expect(() => parseRaw(withLabels({ 'node.kubernetes.io/lifecycle': 'normal' }))).not.toThrow();
  });
});

describe('node taints', () => {
  it('refuses the taint domains the node controllers own, with the path', () => {
    const raw = rawStack();
    raw.nodePools[1].taints = [
      { key: 'example.com/dedicated', value: 'x', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' },
      { key: 'node.cloudprovider.kubernetes.io/uninitialized', value: 'true', effect: 'NoSchedule' },
    ];
    const message = configErrorOf(raw);
    expect(message).toContain('2 problems');
    expect(message).toContain(
      'nodePools[1].taints[1].key ("node.kubernetes.io/unschedulable") is in node.kubernetes.io, whose taints the node ' +
        'lifecycle and cloud node controllers add and remove; use your own domain, e.g. example.com/dedicated',
    );
    expect(message).toContain(
      'nodePools[1].taints[2].key ("node.cloudprovider.kubernetes.io/uninitialized") is in node.cloudprovider.kubernetes.io',
    );
  });

  it('accepts k3s CriticalAddonsOnly and own-domain taints', () => {
    expect(nodeTaintKeyProblem('CriticalAddonsOnly')).toBeUndefined();
    expect(nodeTaintKeyProblem('agent-platform.io/dedicated')).toBeUndefined();
    expect(nodeTaintKeyProblem('nvidia.com/gpu')).toBeUndefined();
  });
});
