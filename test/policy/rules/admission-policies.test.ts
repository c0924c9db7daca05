import { findingsOf, gate, platform, type Obj } from '../fixtures';
import { stackSpec } from '../../support/environments';

const spec = stackSpec('staging');
const base = platform(spec);
const fresh = (): Obj[] => structuredClone(base);
const NS = 'lobstack-agents';
const judge = (objects: Obj[], withSpec = true) =>
  gate(objects, { families: ['admission-policies'], kubernetesVersion: '1.31', ...(withSpec ? { spec } : {}) });
const messages = (objects: Obj[], withSpec = true) =>
  findingsOf(judge(objects, withSpec), 'admission.agent-policies').map((f) => f.message);
const named = (objects: Obj[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name);

describe('admission.agent-policies', () => {
  it('the compliant platform has no findings, with and without the environment', () => {
    expect(judge(fresh()).findings).toEqual([]);
    expect(judge(fresh(), false).findings).toEqual([]);
  });

  it('requires every agent policy for the namespace running agents (found from its pods, without the environment)', () => {
    const objects = fresh().filter(
      (o) => !(o.kind === 'ValidatingAdmissionPolicy' && o.metadata.name === 'agent-pods'),
    );
    const report = judge(objects, false);
    expect(findingsOf(report, 'admission.agent-policies')[0]).toMatchObject({
      object: { kind: 'Namespace', name: NS },
      message: `namespace ${NS} runs agents but has no ValidatingAdmissionPolicy agent-pods (admissionregistration.k8s.io/v1): pods created at run time there are not judged`,
      fix: "render the platform's admission policies (charts-src/charts/admission.ts) for this namespace",
    });
  });

  it('refuses a policy that fails open', () => {
    const objects = fresh();
    named(objects, 'ValidatingAdmissionPolicy', 'agent-services').spec.failurePolicy = 'Ignore';
    expect(messages(objects)).toEqual([
      'ValidatingAdmissionPolicy agent-services has failurePolicy Ignore: an evaluation error would admit the request',
    ]);
  });

  it('refuses a policy that does not judge its resource', () => {
    const objects = fresh();
    named(objects, 'ValidatingAdmissionPolicy', 'agent-pods').spec.matchConstraints.resourceRules[0].operations = [
      'UPDATE',
    ];
    expect(messages(objects)).toEqual(['ValidatingAdmissionPolicy agent-pods does not judge CREATE of pods']);
  });

  it('refuses a missing binding, a warn-only binding and one selecting another namespace', () => {
    let objects = fresh().filter(
      (o) => !(o.kind === 'ValidatingAdmissionPolicyBinding' && o.metadata.name === 'agent-orchestrator-secrets'),
    );
    expect(messages(objects)).toEqual([
      'ValidatingAdmissionPolicy agent-orchestrator-secrets has no ValidatingAdmissionPolicyBinding: it judges nothing',
    ]);
    objects = fresh();
    named(objects, 'ValidatingAdmissionPolicyBinding', 'agent-pods').spec.validationActions = ['Warn'];
    expect(messages(objects)).toEqual([
      `no binding of agent-pods denies (validationActions: [Deny]) in namespace ${NS}`,
    ]);
    objects = fresh();
    named(
      objects,
      'ValidatingAdmissionPolicyBinding',
      'agent-orchestrator-updates',
    ).spec.matchResources.namespaceSelector = {
      matchLabels: { 'kubernetes.io/metadata.name': 'lobstack-control-plane' },
    };
    expect(messages(objects)).toEqual([
      `no binding of agent-orchestrator-updates denies (validationActions: [Deny]) in namespace ${NS}`,
    ]);
  });

  it('reports each of the four agent policies when none exists', () => {
    const objects = fresh().filter((o) => !o.kind.startsWith('ValidatingAdmissionPolicy'));
    expect(messages(objects)).toHaveLength(4);
  });
});
