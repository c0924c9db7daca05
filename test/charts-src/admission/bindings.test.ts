/**
 * The rendered policies and bindings: each binding selects exactly the namespaces it is
 * for (namespaces as the API server labels them), fails closed and denies; the policy set
 * follows the model.
 */
import { namespaceMatches, policyPairs } from '../../support/admission-cel';
import { stackSpec } from '../../support/environments';
import { exampleObjects } from '../../support/examples';
import { objectsOf, type Any } from '../../support/render';

const objects = objectsOf(stackSpec('staging')) as Any[];
const BUILTIN = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
/** Every namespace with its labels, plus the one the API server adds (kubernetes.io/metadata.name). */
const namespaces = [
  ...objects.filter((o) => o.kind === 'Namespace').map((n) => ({ name: n.metadata.name, labels: n.metadata.labels })),
  ...BUILTIN.map((name) => ({ name, labels: {} })),
].map((n) => ({ name: n.name as string, labels: { ...n.labels, 'kubernetes.io/metadata.name': n.name } }));

function selected(policy: string): string[] {
  const pair = policyPairs(objects).find((p) => p.policy.metadata.name === policy)!;
  return namespaces
    .filter((n) =>
      namespaceMatches(pair, {
        operation: 'CREATE',
        resource: 'pods',
        namespace: n.name,
        namespaceLabels: n.labels,
        object: {},
        userInfo: { username: 'x' },
      }),
    )
    .map((n) => n.name)
    .sort();
}

describe('admission policy bindings (staging)', () => {
  it('binds every policy once, with Deny, failing closed', () => {
    const pairs = policyPairs(objects);
    expect(pairs.map((p) => p.policy.metadata.name).sort()).toEqual([
      'agent-orchestrator-secrets',
      'agent-orchestrator-updates',
      'agent-pods',
      'agent-services',
      'service-exposure',
      'tenant-network-policies',
    ]);
    for (const { policy, binding } of pairs) {
      expect(policy.apiVersion).toBe('admissionregistration.k8s.io/v1');
      expect(policy.spec.failurePolicy).toBe('Fail');
      expect(binding.spec.validationActions).toEqual(['Deny']);
    }
  });

  it.each(['agent-pods', 'agent-services', 'agent-orchestrator-updates', 'agent-orchestrator-secrets'])(
    '%s selects the agents namespace only',
    (name) => {
      expect(selected(name)).toEqual(['lobstack-agents']);
    },
  );

  it('tenant-network-policies selects the tenant namespaces only', () => {
    expect(selected('tenant-network-policies')).toEqual(['lobstack-team-research', 'lobstack-team-support']);
  });

  it('service-exposure selects every namespace, built-in ones included', () => {
    expect(selected('service-exposure')).toEqual(namespaces.map((n) => n.name).sort());
  });

  it('judges the operations each rule is about', () => {
    const rules = Object.fromEntries(
      policyPairs(objects).map(({ policy }) => [
        policy.metadata.name,
        policy.spec.matchConstraints.resourceRules.map(
          (r: Any) => `${r.operations.join('/')} ${r.resources.join(',')}`,
        ),
      ]),
    );
    expect(rules).toEqual({
      'agent-pods': ['CREATE pods'],
      'agent-services': ['CREATE/UPDATE services'],
      'agent-orchestrator-updates': ['UPDATE pods'],
      'agent-orchestrator-secrets': ['CREATE/UPDATE/DELETE secrets'],
      'service-exposure': ['CREATE/UPDATE services'],
      'tenant-network-policies': ['CREATE/UPDATE/DELETE networkpolicies'],
    });
  });

  it('renders the agent policies only where agents run', () => {
    const names = policyPairs(exampleObjects('cybersec') as Any[]).map((p) => p.policy.metadata.name);
    expect(names).not.toContain('agent-pods');
    expect(names).toContain('service-exposure');
  });
});
