import { find, findingsOf, gate, platform, type Obj } from '../fixtures';
import { stackSpec } from '../../support/environments';

const base = platform(stackSpec('staging'));
const fresh = (): Obj[] => structuredClone(base);
const guardrails = (objects: Obj[]) => gate(objects, { families: ['namespace-guardrails'], kubernetesVersion: '1.35' });
const NS = 'lobstack-team-support';
const without = (objects: Obj[], kind: string, namespace: string) =>
  objects.filter((o) => !(o.kind === kind && o.metadata.namespace === namespace));

describe('namespace guardrails', () => {
  it('the compliant platform has no findings', () => {
    expect(guardrails(fresh()).findings).toEqual([]);
  });

  it('namespace.resource-quota and namespace.limit-range', () => {
    const objects = without(without(fresh(), 'ResourceQuota', NS), 'LimitRange', NS);
    const report = guardrails(objects);
    expect(findingsOf(report, 'namespace.resource-quota')[0]).toMatchObject({
      object: { kind: 'Namespace', name: NS },
      message: `namespace ${NS} has no ResourceQuota`,
    });
    expect(findingsOf(report, 'namespace.limit-range')[0]?.message).toBe(`namespace ${NS} has no LimitRange`);
  });

  it('namespace.default-deny: both directions, or the one missing', () => {
    let objects = without(fresh(), 'NetworkPolicy', NS);
    expect(findingsOf(guardrails(objects), 'namespace.default-deny')[0]?.message).toBe(
      `namespace ${NS} has no default-deny NetworkPolicy for ingress and egress`,
    );
    objects = fresh();
    const deny = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === NS);
    deny.spec.policyTypes = ['Ingress'];
    expect(findingsOf(guardrails(objects), 'namespace.default-deny')[0]?.message).toBe(
      `namespace ${NS} has no default-deny NetworkPolicy for egress`,
    );
    // A policy with rules allows something: it is no default deny.
    deny.spec = {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }],
    };
    expect(findingsOf(guardrails(objects), 'namespace.default-deny')[0]?.message).toBe(
      `namespace ${NS} has no default-deny NetworkPolicy for egress`,
    );
  });

  it('namespace.pss-labels: missing levels are errors, floating or stale versions warnings', () => {
    const objects = fresh();
    const ns = find(objects, 'Namespace', NS);
    delete ns.metadata.labels['pod-security.kubernetes.io/enforce'];
    ns.metadata.labels['pod-security.kubernetes.io/warn-version'] = 'latest';
    ns.metadata.labels['pod-security.kubernetes.io/audit-version'] = 'v1.28';
    const findings = findingsOf(guardrails(objects), 'namespace.pss-labels').map((f) => `${f.severity}: ${f.message}`);
    expect(findings).toEqual([
      'error: has no pod-security.kubernetes.io/enforce label',
      'warning: pod-security.kubernetes.io/audit-version is "v1.28" but the target is Kubernetes 1.35',
      'warning: pod-security.kubernetes.io/warn-version is latest: the policy floats with every cluster upgrade',
    ]);
  });

  it('namespace.exists: objects in a namespace the manifests do not create, or in none', () => {
    const objects = fresh();
    find(objects, 'Service', 'api').metadata.namespace = 'lobstack-contrl-plane';
    delete find(objects, 'ServiceAccount', 'agent').metadata.namespace;
    find(objects, 'PriorityClass', 'platform-critical').metadata.namespace = 'x';
    const findings = findingsOf(guardrails(objects), 'namespace.exists').map(
      (f) => `${f.severity} ${f.object.kind}: ${f.message}`,
    );
    expect(findings).toEqual([
      'warning PriorityClass: PriorityClass is cluster-scoped; metadata.namespace "x" is ignored',
      'error Service: namespace "lobstack-contrl-plane" is not defined in the manifests',
      'error ServiceAccount: ServiceAccount agent has no metadata.namespace; it would land in whatever namespace the tool applying it defaults to',
    ]);
  });

  it('objects in the namespaces every cluster has need no Namespace object', () => {
    const objects = fresh();
    find(objects, 'Service', 'api').metadata.namespace = 'kube-system';
    expect(findingsOf(guardrails(objects), 'namespace.exists')).toEqual([]);
  });
});
