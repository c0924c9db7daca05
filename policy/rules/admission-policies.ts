/**
 * Rule family admission-policies: agent pods are created at run time, so what is in
 * the manifests cannot be judged for them; only the cluster's admission policies can.
 * Every namespace that runs agents needs each of the platform's agent policies
 * (config/admission.ts AGENT_NAMESPACE_POLICIES) as a ValidatingAdmissionPolicy v1 that
 * fails closed and covers its resource, with a binding that denies and selects that
 * namespace.
 */
import {
  ADMISSION_POLICIES,
  AGENT_NAMESPACE_POLICIES,
  AGENT_POD_LABEL,
  GVISOR_RUNTIME_CLASS,
  namespaceOf,
} from '../../config';
import { asArray, asObject, asString, metadataOf } from '../manifests';
import { perRun } from '../rule';
import { selectorMatches } from '../workloads';
import { ofKind } from './object-index';
import { podTemplates } from './reference-index';
import type { GateContext, Manifest, RuleFamily, Violation } from '../types';
import { shown } from '../values';

const RULE = 'admission.agent-policies';
const API_VERSION = 'admissionregistration.k8s.io/v1';
/** The label the API server puts on every namespace. */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** What each agent policy must at least judge. */
const REQUIRED_SCOPE: Readonly<Record<string, { resource: string; operation: string }>> = {
  [ADMISSION_POLICIES.agentPods.name]: { resource: 'pods', operation: 'CREATE' },
  [ADMISSION_POLICIES.agentServices.name]: { resource: 'services', operation: 'CREATE' },
  [ADMISSION_POLICIES.orchestratorUpdates.name]: { resource: 'pods', operation: 'UPDATE' },
  [ADMISSION_POLICIES.orchestratorSecrets.name]: { resource: 'secrets', operation: 'CREATE' },
};

const WORKLOAD_KINDS = new Set([
  'Pod',
  'PodTemplate',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
]);

/** The first object of each name among `manifests`. */
function firstByName(manifests: readonly Manifest[]): Map<string, Manifest> {
  const out = new Map<string, Manifest>();
  for (const m of manifests) {
    const name = metadataOf(m.object).name;
    if (!out.has(name)) out.set(name, m);
  }
  return out;
}

/**
 * What the rule looks up per namespace and policy, indexed once per run (a scan of the set
 * per namespace made the rule quadratic): Namespaces and policies by name, the v1 bindings
 * by the policy they bind.
 */
const admissionIndex = perRun((ctx) => {
  const bindings = new Map<string, Manifest[]>();
  for (const m of ofKind(ctx, 'ValidatingAdmissionPolicyBinding')) {
    const policyName = asString(asObject(m.object.spec).policyName);
    if (m.object.apiVersion !== API_VERSION || policyName === undefined) continue;
    const list = bindings.get(policyName);
    if (list) list.push(m);
    else bindings.set(policyName, [m]);
  }
  return {
    namespaces: firstByName(ofKind(ctx, 'Namespace')),
    policies: firstByName(ofKind(ctx, 'ValidatingAdmissionPolicy')),
    bindings,
  };
});

/** Namespaces running agents, each with the manifest a finding is reported on. */
function agentNamespaces(ctx: GateContext): Map<string, Manifest> {
  const found = new Map<string, Manifest>();
  const { namespaces } = admissionIndex(ctx);
  // Only built-in workload kinds: a custom resource holding a gVisor template is not an agent
  // runtime the platform renders.
  const templates = podTemplates(ctx).filter((t) => WORKLOAD_KINDS.has(t.manifest.object.kind as string));
  for (const t of templates) {
    const agent = t.labels[AGENT_POD_LABEL] === 'true' || t.spec.runtimeClassName === GVISOR_RUNTIME_CLASS;
    if (agent && t.namespace && !found.has(t.namespace)) {
      found.set(t.namespace, namespaces.get(t.namespace) ?? t.manifest);
    }
  }
  if (ctx.spec?.agents) {
    const ns = namespaceOf(ctx.spec, 'agents').name;
    const at = namespaces.get(ns);
    if (at && !found.has(ns)) found.set(ns, at);
  }
  return found;
}

function coversScope(policy: Manifest, scope: { resource: string; operation: string }): boolean {
  const rules = asArray(asObject(asObject(policy.object.spec).matchConstraints).resourceRules).map(asObject);
  return rules.some((r) => {
    const resources = asArray(r.resources);
    const operations = asArray(r.operations);
    return (
      (resources.includes(scope.resource) || resources.includes('*')) &&
      (operations.includes(scope.operation) || operations.includes('*'))
    );
  });
}

/** Why policy `name` does not protect namespace `ns`, or undefined when it does. */
function problemWith(
  ctx: GateContext,
  name: string,
  ns: string,
  labels: Record<string, string>,
): Violation | undefined {
  const fail = (message: string, fix: string): Violation => ({ rule: RULE, path: ['metadata', 'name'], message, fix });
  const policy = admissionIndex(ctx).policies.get(name);
  if (!policy || policy.object.apiVersion !== API_VERSION) {
    return fail(
      `namespace ${ns} runs agents but has no ValidatingAdmissionPolicy ${name} (${API_VERSION}): pods created at run time there are not judged`,
      `render the platform's admission policies (charts-src/charts/admission.ts) for this namespace`,
    );
  }
  const spec = asObject(policy.object.spec);
  if (spec.failurePolicy !== undefined && spec.failurePolicy !== 'Fail') {
    return fail(
      `ValidatingAdmissionPolicy ${name} has failurePolicy ${shown(spec.failurePolicy)}: an evaluation error would admit the request`,
      'set spec.failurePolicy: Fail',
    );
  }
  const scope = REQUIRED_SCOPE[name];
  if (scope && !coversScope(policy, scope)) {
    return fail(
      `ValidatingAdmissionPolicy ${name} does not judge ${scope.operation} of ${scope.resource}`,
      `add ${scope.operation} on ${scope.resource} to spec.matchConstraints.resourceRules`,
    );
  }
  const policySelector = asObject(spec.matchConstraints).namespaceSelector;
  const bindings = admissionIndex(ctx).bindings.get(name) ?? [];
  const effective = bindings.filter((b) => {
    const bspec = asObject(b.object.spec);
    const selector = asObject(bspec.matchResources).namespaceSelector;
    return (
      asArray(bspec.validationActions).includes('Deny') &&
      (policySelector === undefined || selectorMatches(policySelector, labels)) &&
      (selector === undefined || selectorMatches(selector, labels))
    );
  });
  if (effective.length === 0) {
    return fail(
      bindings.length === 0
        ? `ValidatingAdmissionPolicy ${name} has no ValidatingAdmissionPolicyBinding: it judges nothing`
        : `no binding of ${name} denies (validationActions: [Deny]) in namespace ${ns}`,
      `bind ${name} with validationActions: [Deny] and a namespaceSelector that selects ${ns} (label ${NAMESPACE_NAME_LABEL})`,
    );
  }
  return undefined;
}

export const admissionPolicyRules: RuleFamily = {
  name: 'admission-policies',
  rules: [
    {
      id: RULE,
      severity: 'error',
      description: 'every namespace running agents has the agent admission policies, failing closed, bound with Deny',
    },
  ],
  check(ctx, report) {
    for (const [ns, manifest] of agentNamespaces(ctx)) {
      const nsObject = admissionIndex(ctx).namespaces.get(ns);
      const labels = { ...(nsObject ? metadataOf(nsObject.object).labels : {}), [NAMESPACE_NAME_LABEL]: ns };
      for (const name of AGENT_NAMESPACE_POLICIES) {
        const problem = problemWith(ctx, name, ns, labels);
        if (problem) report(manifest, problem);
      }
    }
  },
};
