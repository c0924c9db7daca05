import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { ScaledObject, ScaledObjectSpecTriggersAuthenticationRefKind } from '../../imports/keda-scaledobjects-keda.sh';
import { TriggerAuthentication } from '../../imports/keda-triggerauthentications-keda.sh';
import { AGENT_WARM_POOL_LABEL, WARM_POOL_NAME } from '../names';
import { AGENT_CONTAINER, agentPodLabels, agentPodTemplateSpec, type AgentPodSpecProps } from './agent-pod-template';

export interface WarmPoolScaling {
  /** KEDA minReplicaCount. 0 is workable: the postgresql trigger activates the pool (see WarmPool). */
  readonly minReplicas: number;
  /** KEDA maxReplicaCount: what the agents quota must admit (AgentQuotaBudget). */
  readonly maxReplicas: number;
  /** Seconds between KEDA's polls of the query. */
  readonly pollingInterval: number;
  /** Seconds of inactivity before KEDA scales the pool back to minReplicas (only to 0). */
  readonly cooldownPeriod: number;
  /** Target average CPU utilization (% of requests) of the agent container. */
  readonly cpuUtilization: number;
  /** Query returning the number of pending provisioning requests. */
  readonly query: string;
  /** Pending requests per warm pod. */
  readonly targetQueryValue: number;
  /** Secret (in the pool's namespace) and key holding the libpq connection string KEDA uses. */
  readonly database: { readonly secretName: string; readonly connectionKey: string };
}

export interface WarmPoolProps {
  /** The agents namespace. */
  readonly namespace: string;
  /** The pod of the warm tier: exactly what a session of that tier gets. */
  readonly pod: Omit<AgentPodSpecProps, 'restartPolicy' | 'extraLabels'>;
  /** KEDA bounds, timing and triggers. */
  readonly scaling: WarmPoolScaling;
  /** @default WARM_POOL_NAME ('agent-warm-pool') */
  readonly name?: string;
}

/**
 * Pre-started agent pods of one tier: a Deployment without `spec.replicas` (KEDA owns the count;
 * a replicas field in what is applied would fight the controller on every apply), scaled by a
 * KEDA ScaledObject with two triggers:
 *
 * - `postgresql`: pending provisioning requests / targetQueryValue. This trigger also decides
 *   activation: KEDA scales 0 → 1 when the query returns more than 0, and back to 0 after
 *   cooldownPeriod with none. That is what makes minReplicaCount 0 workable.
 * - `cpu` (Utilization of the agent container's requests): adds pods under CPU pressure while
 *   the pool is active. A cpu trigger can never scale from or to zero by itself (there are no
 *   pods to measure at 0), so KEDA ignores it for activation; with the postgresql trigger beside
 *   it, min 0 is safe.
 *
 * The rollout never surges (maxSurge 0): the pool at its KEDA max is what the namespace quota is
 * sized for, and a surge would ask for pods the quota does not admit.
 */
export class WarmPool extends Construct {
  readonly deployment: ApiObject;
  readonly scaledObject: ApiObject;
  readonly triggerAuthentication: ApiObject;
  readonly name: string;

  constructor(scope: Construct, id: string, props: WarmPoolProps) {
    super(scope, id);
    const s = props.scaling;
    const fail = (field: string, got: unknown, rule: string) => {
      throw new Error(`${this.node.path}: ${field} (${String(got)}) ${rule}`);
    };
    if (!Number.isInteger(s.minReplicas) || s.minReplicas < 0)
      fail('minReplicas', s.minReplicas, 'must be an integer >= 0');
    if (!Number.isInteger(s.maxReplicas) || s.maxReplicas < 1)
      fail('maxReplicas', s.maxReplicas, 'must be an integer >= 1');
    if (s.maxReplicas < s.minReplicas) fail('maxReplicas', s.maxReplicas, `must be >= minReplicas (${s.minReplicas})`);
    if (s.cpuUtilization < 1 || s.cpuUtilization > 100)
      fail('cpuUtilization', s.cpuUtilization, 'must be between 1 and 100');
    if (s.targetQueryValue <= 0) fail('targetQueryValue', s.targetQueryValue, 'must be > 0');

    this.name = props.name ?? WARM_POOL_NAME;
    const selector = { ...agentPodLabels(props.pod.tier), [AGENT_WARM_POOL_LABEL]: 'true' };
    const template = agentPodTemplateSpec({
      ...props.pod,
      restartPolicy: 'Always',
      extraLabels: { [AGENT_WARM_POOL_LABEL]: 'true' },
    });

    this.deployment = new k8s.KubeDeployment(this, 'Resource', {
      metadata: { name: this.name, namespace: props.namespace },
      spec: {
        // No replicas: KEDA's HPA owns the count.
        selector: { matchLabels: selector },
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(0), maxUnavailable: k8s.IntOrString.fromString('25%') },
        },
        revisionHistoryLimit: 3,
        template,
      },
    });

    const authName = `${this.name}-database`;
    this.triggerAuthentication = new TriggerAuthentication(this, 'Database', {
      metadata: { name: authName, namespace: props.namespace },
      spec: {
        // By reference only: KEDA reads the Secret at run time; no value is ever in a manifest.
        secretTargetRef: [{ parameter: 'connection', name: s.database.secretName, key: s.database.connectionKey }],
      },
    });

    this.scaledObject = new ScaledObject(this, 'ScaledObject', {
      metadata: { name: this.name, namespace: props.namespace },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.name },
        minReplicaCount: s.minReplicas,
        maxReplicaCount: s.maxReplicas,
        pollingInterval: s.pollingInterval,
        cooldownPeriod: s.cooldownPeriod,
        triggers: [
          {
            type: 'postgresql',
            name: 'provisioning-requests',
            metadata: { query: s.query, targetQueryValue: String(s.targetQueryValue) },
            authenticationRef: {
              name: authName,
              kind: ScaledObjectSpecTriggersAuthenticationRefKind.TRIGGER_AUTHENTICATION,
            },
          },
          {
            type: 'cpu',
            name: 'cpu-utilization',
            metricType: 'Utilization',
            metadata: { value: String(s.cpuUtilization), containerName: AGENT_CONTAINER },
          },
        ],
      },
    });
  }
}
