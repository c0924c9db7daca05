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
 *   `patch` claims a warm-pool pod (removing its warm-pool label releases it from the ReplicaSet);
 * - one ClusterIP Service per session;
 * - one Secret per session: create, read back, delete. No list/watch: listing would hand the API
 *   every Secret of the namespace (including KEDA's database connection); session Secrets should
 *   carry an ownerReference to their pod so the garbage collector removes leftovers;
 * - read the tier PodTemplates.
 * No wildcards, no exec/attach/portforward, no logs, nothing cluster-wide.
 */
export const ORCHESTRATOR_RULES: readonly OrchestratorRule[] = [
  {
    resources: ['pods'],
    verbs: ['create', 'get', 'list', 'watch', 'patch', 'delete'],
    why: 'session pods: create, watch to Running, claim warm pods (relabel), delete',
  },
  { resources: ['services'], verbs: ['create', 'get', 'list', 'watch', 'delete'], why: 'one ClusterIP per session' },
  { resources: ['secrets'], verbs: ['create', 'get', 'delete'], why: 'one Secret per session, by name only' },
  { resources: ['podtemplates'], verbs: ['get', 'list'], why: 'read the tier templates' },
];

/** Verbs and subresources that would let the orchestrator into a running sandbox or beyond it. */
const FORBIDDEN_VERBS = ['*', 'escalate', 'bind', 'impersonate'];
const FORBIDDEN_RESOURCES = ['*', 'pods/exec', 'pods/attach', 'pods/portforward', 'pods/ephemeralcontainers'];

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
      if (verb !== undefined || resource !== undefined) {
        throw new Error(
          `${this.node.path}: rules[${i}] grants ${verb !== undefined ? `verb "${verb}"` : `resource "${resource}"`}; the orchestrator gets no wildcards, no exec/attach/port-forward and no RBAC escalation`,
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
