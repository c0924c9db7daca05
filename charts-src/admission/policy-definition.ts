/**
 * One ValidatingAdmissionPolicy and its binding, as data: what the construct renders
 * and what the tests evaluate. Field names are those of admissionregistration.k8s.io/v1.
 */

export interface ResourceRule {
  readonly apiGroups: readonly string[];
  readonly apiVersions: readonly string[];
  readonly operations: readonly ('CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT')[];
  readonly resources: readonly string[];
}

export interface NamedExpression {
  readonly name: string;
  readonly expression: string;
}

export interface PolicyValidation {
  readonly expression: string;
  /** What rule was broken and what is allowed (static: cheap, and never echoes input). */
  readonly message: string;
  /** @default - Invalid (HTTP 422) */
  readonly reason?: 'Unauthorized' | 'Forbidden' | 'Invalid' | 'RequestEntityTooLarge';
}

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly {
    readonly key: string;
    readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    readonly values?: readonly string[];
  }[];
}

export interface AdmissionPolicyDefinition {
  /** Name of the policy and of its binding (cluster-scoped). */
  readonly name: string;
  /** One line for reviewers (an annotation on both objects). */
  readonly description: string;
  readonly resourceRules: readonly ResourceRule[];
  /** Requests that fail a condition are not judged by this policy at all. */
  readonly matchConditions?: readonly NamedExpression[];
  readonly variables?: readonly NamedExpression[];
  readonly validations: readonly PolicyValidation[];
  /** Namespaces the binding selects. @default - every namespace (and cluster-scoped objects) */
  readonly namespaceSelector?: LabelSelector;
}

/** The label the API server puts on every namespace (since 1.22): its own name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** A selector of exactly these namespaces, by name. */
export function namespacesNamed(names: readonly string[]): LabelSelector {
  return names.length === 1
    ? { matchLabels: { [NAMESPACE_NAME_LABEL]: names[0]! } }
    : { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: [...names] }] };
}

/** Core-group rule. */
export function coreRule(resources: readonly string[], operations: ResourceRule['operations']): ResourceRule {
  return { apiGroups: [''], apiVersions: ['v1'], operations, resources };
}
