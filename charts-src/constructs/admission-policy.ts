import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { AdmissionPolicyDefinition } from '../admission/policy-definition';

export interface AdmissionPolicyProps {
  /** The policy as data: name, description, resource rules, CEL validations, namespace selector. */
  readonly definition: AdmissionPolicyDefinition;
}

export const ADMISSION_API_VERSION = 'admissionregistration.k8s.io/v1';
const DESCRIPTION = 'agent-platform.io/description';

/**
 * A ValidatingAdmissionPolicy and its binding (same name), built into the API server
 * (GA in 1.30, no add-on): `failurePolicy: Fail` (a CEL error or a missing param denies)
 * and `validationActions: [Deny]`. cdk8s-plus-28 knows only the beta API, hence ApiObject.
 */
export class AdmissionPolicy extends Construct {
  readonly policy: ApiObject;
  readonly binding: ApiObject;

  constructor(scope: Construct, id: string, props: AdmissionPolicyProps) {
    super(scope, id);
    const d = props.definition;
    const annotations = { [DESCRIPTION]: d.description };
    this.policy = new ApiObject(this, 'Resource', {
      apiVersion: ADMISSION_API_VERSION,
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: d.name, annotations },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: d.resourceRules.map((r) => ({ ...r })),
          // Equivalent requests through another API version are judged too.
          matchPolicy: 'Equivalent',
        },
        ...(d.matchConditions ? { matchConditions: d.matchConditions.map((c) => ({ ...c })) } : {}),
        ...(d.variables ? { variables: d.variables.map((v) => ({ ...v })) } : {}),
        validations: d.validations.map((v) => ({ ...v })),
      },
    });
    this.binding = new ApiObject(this, 'Binding', {
      apiVersion: ADMISSION_API_VERSION,
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: d.name, annotations },
      spec: {
        policyName: d.name,
        validationActions: ['Deny'],
        ...(d.namespaceSelector ? { matchResources: { namespaceSelector: d.namespaceSelector } } : {}),
      },
    });
  }
}
