import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { namespaceOf, poolFor, schedulingFor, type EnvironmentSpec, type JobSpec } from '../../config';
import {
  VerticalPodAutoscaler,
  VerticalPodAutoscalerSpecUpdatePolicyUpdateMode,
} from '../../imports/vpa-autoscaling.k8s.io';
import { containerEnv } from './container-env';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from './pod-security';
import { NAME_LABEL, scratchVolumes } from './workload-identity';

export interface ScheduledJobProps {
  readonly spec: EnvironmentSpec;
  readonly job: JobSpec;
}

/**
 * A CronJob (one run at a time, bounded by a deadline and retries) on its pool,
 * with a tokenless ServiceAccount and, where configured, a VPA that right-sizes
 * the job's pods. No HPA ever targets a job, so a VPA in Auto mode is safe here.
 */
export class ScheduledJob extends Construct {
  readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id);
    const { spec, job: j } = props;
    const namespace = namespaceOf(spec, j.namespace).name;
    const labels = { [NAME_LABEL]: j.name };
    const pool = poolFor(spec, j.pool, j.gpus > 0 ? ['gpu'] : ['batch']);
    const scratch = scratchVolumes(j.scratchPaths);
    const gpu: Record<string, k8s.Quantity> = j.gpus > 0 ? { 'nvidia.com/gpu': k8s.Quantity.fromNumber(j.gpus) } : {};

    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: j.name, namespace },
      automountServiceAccountToken: false,
    });
    this.resource = new k8s.KubeCronJob(this, 'Resource', {
      metadata: { name: j.name, namespace, labels },
      spec: {
        schedule: j.schedule,
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels },
          spec: {
            backoffLimit: j.backoffLimit,
            activeDeadlineSeconds: j.activeDeadlineSeconds,
            template: {
              metadata: { labels },
              spec: {
                restartPolicy: 'Never',
                serviceAccountName: j.name,
                automountServiceAccountToken: false,
                priorityClassName: j.priorityClass,
                securityContext: restrictedPodSecurityContext(j.runAsUser),
                ...schedulingFor(pool),
                containers: [
                  {
                    name: j.name,
                    image: j.image,
                    command: j.command.length > 0 ? j.command : undefined,
                    env: containerEnv(j.env, j.secrets),
                    resources: {
                      requests: {
                        cpu: k8s.Quantity.fromString(j.resources.requests.cpu),
                        memory: k8s.Quantity.fromString(j.resources.requests.memory),
                        ...gpu,
                      },
                      limits: {
                        cpu: k8s.Quantity.fromString(j.resources.limits.cpu),
                        memory: k8s.Quantity.fromString(j.resources.limits.memory),
                        ...gpu,
                      },
                    },
                    securityContext: restrictedContainerSecurityContext(j.runAsUser),
                    volumeMounts: scratch.mounts,
                  },
                ],
                volumes: scratch.volumes,
              },
            },
          },
        },
      },
    });
    if (j.vpa) {
      new VerticalPodAutoscaler(this, 'Vpa', {
        metadata: { name: j.name, namespace },
        spec: {
          targetRef: { apiVersion: 'batch/v1', kind: 'CronJob', name: j.name },
          updatePolicy: { updateMode: j.vpa.updateMode as VerticalPodAutoscalerSpecUpdatePolicyUpdateMode },
          resourcePolicy: {
            containerPolicies: [
              {
                containerName: j.name,
                controlledResources: ['cpu', 'memory'],
              },
            ],
          },
        },
      });
    }
  }
}
