import type { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ScaledObject,
  ScaledObjectSpecTriggersAuthenticationRefKind,
  type ScaledObjectSpecTriggers,
} from '../../imports/keda-scaledobjects-keda.sh';
import { TriggerAuthentication } from '../../imports/keda-triggerauthentications-keda.sh';
import { fail, requireInt } from './construct-input';

/** KEDA scaling on Redis list length (instead of an HPA). */
export interface ServiceKedaScaling {
  /** Seconds between KEDA's polls of the queues. */
  readonly pollingInterval: number;
  /** Seconds after the last active trigger before KEDA scales back to the minimum. */
  readonly cooldownPeriod: number;
  /** The queues; at least one. */
  readonly redisLists: readonly {
    /** Redis `host:port`. */
    readonly address: string;
    readonly listName: string;
    /** Target list length per replica. */
    readonly listLength: number;
    /** Secret (and key) holding the Redis password, read by KEDA. @default - no authentication */
    readonly passwordSecret?: { readonly name: string; readonly key: string };
  }[];
  /** Also scale on CPU utilization. @default - no CPU trigger */
  readonly cpuUtilization?: number;
}

export interface KedaServiceScalerProps {
  /** The Deployment to scale (also the ScaledObject's name). */
  readonly name: string;
  /** Namespace of the Deployment. */
  readonly namespace: string;
  /** KEDA minReplicaCount and maxReplicaCount. */
  readonly replicas: { readonly min: number; readonly max: number };
  /** Triggers and timing. */
  readonly scaling: ServiceKedaScaling;
}

/**
 * A KEDA ScaledObject for a service that scales on queue depth (Redis list length),
 * optionally also on CPU. A Redis password is read by KEDA from a Secret through a
 * TriggerAuthentication: the manifests name the Secret, never hold its value.
 */
export class KedaServiceScaler extends Construct {
  /** The ScaledObject. */
  readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: KedaServiceScalerProps) {
    super(scope, id);
    const { name, namespace, scaling } = props;
    if (scaling.redisLists.length === 0) fail(this, 'redisLists', scaling.redisLists, 'must list at least one queue');
    requireInt(this, 'pollingInterval', scaling.pollingInterval, 1);
    requireInt(this, 'cooldownPeriod', scaling.cooldownPeriod, 1);
    const triggers: ScaledObjectSpecTriggers[] = scaling.redisLists.map((list, i) => {
      requireInt(this, `redisLists[${i}].listLength`, list.listLength, 1);
      let authenticationRef: { name: string; kind: ScaledObjectSpecTriggersAuthenticationRefKind } | undefined;
      if (list.passwordSecret) {
        const authName = `${name}-redis-${i}`;
        new TriggerAuthentication(this, `RedisAuth${i}`, {
          metadata: { name: authName, namespace },
          spec: {
            secretTargetRef: [{ parameter: 'password', name: list.passwordSecret.name, key: list.passwordSecret.key }],
          },
        });
        authenticationRef = {
          name: authName,
          kind: ScaledObjectSpecTriggersAuthenticationRefKind.TRIGGER_AUTHENTICATION,
        };
      }
      return {
        type: 'redis',
        name: `queue-${list.listName}`.toLowerCase().replace(/[^a-z0-9-]/g, '-'),
        metadata: { address: list.address, listName: list.listName, listLength: String(list.listLength) },
        ...(authenticationRef ? { authenticationRef } : {}),
      };
    });
    if (scaling.cpuUtilization !== undefined) {
      requireInt(this, 'cpuUtilization', scaling.cpuUtilization, 1, 100);
      triggers.push({
        type: 'cpu',
        name: 'cpu-utilization',
        metricType: 'Utilization',
        metadata: { value: String(scaling.cpuUtilization), containerName: name },
      });
    }
    this.resource = new ScaledObject(this, 'Resource', {
      metadata: { name, namespace },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicaCount: props.replicas.min,
        maxReplicaCount: props.replicas.max,
        pollingInterval: scaling.pollingInterval,
        cooldownPeriod: scaling.cooldownPeriod,
        triggers,
      },
    });
  }
}
