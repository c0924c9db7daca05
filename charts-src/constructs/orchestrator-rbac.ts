import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { AGENT_ORCHESTRATOR_ROLE } from '../names';

/** One RBAC rule of the orchestrator, with why it is needed (rendered as an annotation). */
export interface OrchestratorRule {
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly why: string;
}

/**
 * What the orchestrator (the control-plane API) does in the agents namespace, and nothing more:
 * - sessions: create a pod from a tier's PodTemplate, watch it until Running, delete it at the end;
 *   `patch` claims a warm-pool pod (removing its warm-pool label releases it from the ReplicaSet).
 *   RBAC cannot limit a patch to labels: the `agent-orchestrator-updates` admission policy denies
 *   any change of a pod's spec or tier by this identity (charts-src/admission/orchestrator-updates.ts);
 * - one ClusterIP Service per session: create and delete (the `agent-services` policy keeps it
 *   ClusterIP without externalIPs);
 * - one Secret per session: create and delete only. No get/list/watch: the API wrote the values
 *   and never reads a Secret back, so it cannot read KEDA's database connection or another
 *   session's Secret. The `agent-orchestrator-secrets` policy limits both verbs to Opaque Secrets
 *   named `agent-session-<id>` (no ServiceAccount tokens, no deleting others' Secrets);
 * - read the tier PodTemplates.
 * No wildcards, no exec/attach/portforward, no logs, no token requests, nothing cluster-wide.
 */
export const ORCHESTRATOR_RULES: readonly OrchestratorRule[] = [
  {
    resources: ['pods'],
    verbs: ['create', 'get', 'list', 'watch', 'patch', 'delete'],
    why: 'session pods: create, watch to Running, claim warm pods (labels only, by admission policy), delete',
  },
  { resources: ['services'], verbs: ['create', 'delete'], why: 'one ClusterIP per session' },
  { resources: ['secrets'], verbs: ['create', 'delete'], why: 'one Secret per session, never read back' },
  { resources: ['podtemplates'], verbs: ['get', 'list'], why: 'read the tier templates' },
];

/** Verbs and subresources that would let the orchestrator into a running sandbox or beyond it. */
const FORBIDDEN_VERBS = ['*', 'escalate', 'bind', 'impersonate'];
const FORBIDDEN_RESOURCES = [
  '*',
  'pods/exec',
  'pods/attach',
  'pods/portforward',
  'pods/ephemeralcontainers',
  'serviceaccounts/token',
  'serviceaccounts',
];
/** Reading Secrets would hand the orchestrator every Secret of the namespace (RBAC has no name patterns). */
const SECRET_READ_VERBS = ['get', 'list', 'watch'];

export interface OrchestratorRbacProps {
  /** Namespace the Role and RoleBinding live in (the agents namespace): the only place the API gets rights. */
  readonly namespace: string;
  /** The API's ServiceAccount and its namespace. */
  readonly serviceAccount: { readonly name: string; readonly namespace: string };
  /** @default ORCHESTRATOR_RULES */
  readonly rules?: readonly OrchestratorRule[];
  /** @default AGENT_ORCHESTRATOR_ROLE ('agent-orchestrator') */
  readonly name?: string;
}

/** Role + RoleBinding giving the API's ServiceAccount exactly the rights to run agent sessions. */
export class OrchestratorRbac extends Construct {
  readonly role: ApiObject;
  readonly binding: ApiObject;

  constructor(scope: Construct, id: string, props: OrchestratorRbacProps) {
    super(scope, id);
    const name = props.name ?? AGENT_ORCHESTRATOR_ROLE;
    const rules = props.rules ?? ORCHESTRATOR_RULES;
    rules.forEach((rule, i) => {
      const verb = rule.verbs.find((v) => FORBIDDEN_VERBS.includes(v));
      const resource = rule.resources.find((r) => FORBIDDEN_RESOURCES.includes(r));
      const secretRead = rule.resources.includes('secrets')
        ? rule.verbs.find((v) => SECRET_READ_VERBS.includes(v))
        : undefined;
      if (secretRead !== undefined) {
        throw new Error(
          `${this.node.path}: rules[${i}] grants "${secretRead}" on secrets; the orchestrator never reads Secrets (it would read every Secret of the namespace)`,
        );
      }
      if (verb !== undefined || resource !== undefined) {
        throw new Error(
          `${this.node.path}: rules[${i}] grants ${verb !== undefined ? `verb "${verb}"` : `resource "${resource}"`}; the orchestrator gets no wildcards, no exec/attach/port-forward, no tokens and no RBAC escalation`,
        );
      }
    });
    this.role = new k8s.KubeRole(this, 'Resource', {
      metadata: {
        name,
        namespace: props.namespace,
        annotations: {
          'agent-platform.io/why': rules.map((r) => `${r.resources.join(',')}: ${r.why}`).join('; '),
        },
      },
      rules: rules.map((r) => ({ apiGroups: [''], resources: [...r.resources], verbs: [...r.verbs] })),
    });
    this.binding = new k8s.KubeRoleBinding(this, 'Binding', {
      metadata: { name, namespace: props.namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [
        { kind: 'ServiceAccount', name: props.serviceAccount.name, namespace: props.serviceAccount.namespace },
      ],
    });
  }
}
