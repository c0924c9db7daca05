/**
 * Runs rendered ValidatingAdmissionPolicies the way the API server does, with
 * @bufbuild/cel as the CEL evaluator. Follows kubernetes
 * staging/src/k8s.io/apiserver/pkg/admission/plugin/policy/validating (v1.31):
 * a binding applies when its policy's matchConstraints and its own matchResources
 * (namespaceSelector on the namespace's labels) match the request; every
 * matchCondition must be true (false: the policy does not apply; an error: the
 * failurePolicy decides); variables are bound under `variables`; every validation
 * must evaluate to true; false denies with its message, an error denies under
 * failurePolicy Fail. Activation: `object`, `oldObject` (null on CREATE / DELETE),
 * `request` (admission.k8s.io/v1 AdmissionRequest fields), `namespaceObject`.
 * Integers are bound as CEL ints (bigint), as Kubernetes binds int64 fields.
 */
import { celEnv, isCelError, parse, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { labelSelectorMatches } from './label-selector';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

export interface AdmissionRequest {
  readonly operation: 'CREATE' | 'UPDATE' | 'DELETE';
  /** Plural resource, e.g. `pods`. */
  readonly resource: string;
  readonly group?: string;
  readonly namespace?: string;
  readonly object: Any | null;
  readonly oldObject?: Any | null;
  readonly userInfo: { readonly username: string; readonly groups?: readonly string[] };
  /** Labels of the request's namespace (the API server adds kubernetes.io/metadata.name). */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
}

export interface Denial {
  readonly policy: string;
  readonly message: string;
  readonly expression: string;
  /** Set when the expression failed to evaluate (denied by failurePolicy Fail). */
  readonly error?: string;
}

export interface AdmissionResult {
  readonly allowed: boolean;
  readonly denials: readonly Denial[];
  /** Policies whose binding and conditions matched the request. */
  readonly judgedBy: readonly string[];
}

const env = celEnv({ funcs: strings });
const plans = new Map<string, ReturnType<typeof plan>>();

/** Compiles (once) and evaluates one expression. */
export function evaluate(expression: string, activation: Record<string, unknown>): unknown {
  let compiled = plans.get(expression);
  if (!compiled) {
    // A syntax error throws: an expression the evaluator cannot parse is a bug in the policy.
    compiled = plan(env, parse(expression));
    plans.set(expression, compiled);
  }
  return compiled(activation as Any);
}

/** JSON-like data with integers as bigint (CEL int), as the API server binds objects. */
export function toCel(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  }
  return value;
}

function describe(value: unknown): string {
  if (isCelError(value)) return (value as Error).message;
  return `not a boolean: ${String(value)}`;
}

export interface PolicyPair {
  readonly policy: Any;
  readonly binding: Any;
}

/** Pairs every ValidatingAdmissionPolicy with the bindings naming it. */
export function policyPairs(objects: readonly Any[]): PolicyPair[] {
  const policies = objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy');
  return objects
    .filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding')
    .map((binding) => {
      const policy = policies.find((p) => p.metadata.name === binding.spec.policyName);
      if (!policy) throw new Error(`binding ${binding.metadata.name} names no policy ${binding.spec.policyName}`);
      return { policy, binding };
    });
}

function rulesMatch(policy: Any, request: AdmissionRequest): boolean {
  const rules: Any[] = policy.spec.matchConstraints?.resourceRules ?? [];
  return rules.some(
    (r) =>
      (r.apiGroups.includes('*') || r.apiGroups.includes(request.group ?? '')) &&
      (r.operations.includes('*') || r.operations.includes(request.operation)) &&
      (r.resources.includes('*') || r.resources.includes(request.resource)),
  );
}

/** The binding (and policy) select the request's namespace. Cluster-scoped requests always match. */
export function namespaceMatches(pair: PolicyPair, request: AdmissionRequest): boolean {
  if (request.namespace === undefined) return true;
  const labels = request.namespaceLabels ?? { 'kubernetes.io/metadata.name': request.namespace };
  const selectors = [
    pair.policy.spec.matchConstraints?.namespaceSelector,
    pair.binding.spec.matchResources?.namespaceSelector,
  ];
  return selectors.every((s) => s === undefined || labelSelectorMatches(s, labels));
}

/** What one binding decides about one request. */
export function judge(pair: PolicyPair, request: AdmissionRequest): { applies: boolean; denials: Denial[] } {
  const name = pair.policy.metadata.name as string;
  if (!rulesMatch(pair.policy, request) || !namespaceMatches(pair, request)) return { applies: false, denials: [] };
  const activation: Record<string, unknown> = {
    object: toCel(request.object),
    oldObject: toCel(request.oldObject ?? null),
    request: toCel({
      operation: request.operation,
      namespace: request.namespace ?? '',
      name: request.object?.metadata?.name ?? request.oldObject?.metadata?.name ?? '',
      userInfo: { username: request.userInfo.username, groups: [...(request.userInfo.groups ?? [])] },
      resource: { group: request.group ?? '', version: 'v1', resource: request.resource },
    }),
    namespaceObject:
      request.namespace === undefined
        ? null
        : toCel({ metadata: { name: request.namespace, labels: request.namespaceLabels ?? {} } }),
  };
  const fail = (expression: string, message: string, error: string): { applies: boolean; denials: Denial[] } => ({
    applies: true,
    denials: [{ policy: name, expression, message, error }],
  });
  for (const condition of pair.policy.spec.matchConditions ?? []) {
    const result = evaluate(condition.expression, activation);
    if (result === false) return { applies: false, denials: [] };
    if (result !== true) return fail(condition.expression, `matchCondition ${condition.name}`, describe(result));
  }
  const variables: Record<string, unknown> = {};
  activation.variables = variables;
  for (const variable of pair.policy.spec.variables ?? []) {
    const result = evaluate(variable.expression, activation);
    if (isCelError(result)) return fail(variable.expression, `variable ${variable.name}`, describe(result));
    variables[variable.name] = result;
  }
  const denials: Denial[] = [];
  for (const validation of pair.policy.spec.validations) {
    const result = evaluate(validation.expression, activation);
    if (result === true) continue;
    denials.push({
      policy: name,
      expression: validation.expression,
      message: validation.message,
      ...(result === false ? {} : { error: describe(result) }),
    });
  }
  return { applies: true, denials };
}

/** Every binding in `objects` judges the request, as the API server's admission chain does. */
export function admit(objects: readonly Any[], request: AdmissionRequest): AdmissionResult {
  const judgedBy: string[] = [];
  const denials: Denial[] = [];
  for (const pair of policyPairs(objects)) {
    const verdict = judge(pair, request);
    if (verdict.applies) judgedBy.push(pair.policy.metadata.name);
    denials.push(...verdict.denials);
  }
  return { allowed: denials.length === 0, denials, judgedBy };
}
