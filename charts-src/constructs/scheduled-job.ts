import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { Resources } from '../../config';
import {
  VerticalPodAutoscaler,
  VerticalPodAutoscalerSpecUpdatePolicyUpdateMode,
} from '../../imports/vpa-autoscaling.k8s.io';
import { PRIORITY_BATCH } from '../names';
import { containerEnv } from './container-env';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from './pod-security';
import { NAME_LABEL, scratchVolumes, type PodScheduling } from './workload-identity';

export interface ScheduledJobProps {
  /** Name of the CronJob, its ServiceAccount, container and VPA (at most 52 characters). */
  readonly name: string;
  /** Namespace it runs in. */
  readonly namespace: string;
  /** Pinned image reference. */
  readonly image: string;
  /** Five-field cron schedule, or a macro such as `@daily`. */
  readonly schedule: string;
  /** Requests and limits of the container. */
  readonly resources: Resources;
  /** Container command. @default [] (the image's entrypoint) */
  readonly command?: readonly string[];
  /** Non-zero UID (and GID) the pod runs as. @default 10001 */
  readonly runAsUser?: number;
  /** Writable emptyDir mounts (the root filesystem is read-only). @default ['/tmp'] */
  readonly scratchPaths?: readonly string[];
  /** Retries of a failed run. @default 2 */
  readonly backoffLimit?: number;
  /** Seconds a run may take before it is stopped. @default 3600 */
  readonly activeDeadlineSeconds?: number;
  /** A VPA for the job's pods (`Off` only recommends). @default - no VPA */
  readonly vpa?: { readonly updateMode: 'Off' | 'Initial' | 'Recreate' | 'Auto' };
  /** NVIDIA GPUs per pod (`nvidia.com/gpu` requests and limits). @default 0 */
  readonly gpus?: number;
  /** @default PRIORITY_BATCH ('batch') */
  readonly priorityClassName?: string;
  /** Plain environment variables. @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Secrets read by name: each key becomes an env var of the same name. @default [] */
  readonly secrets?: readonly { readonly name: string; readonly keys: readonly string[] }[];
  /** nodeSelector and tolerations of the pool the pods belong on. @default - none */
  readonly scheduling?: PodScheduling;
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
    const { name, namespace } = props;
    const labels = { [NAME_LABEL]: name };
    const scratch = scratchVolumes(props.scratchPaths ?? ['/tmp']);
    const gpus = props.gpus ?? 0;
    const command = props.command ?? [];
    const runAsUser = props.runAsUser ?? 10001;
    const gpu: Record<string, k8s.Quantity> = gpus > 0 ? { 'nvidia.com/gpu': k8s.Quantity.fromNumber(gpus) } : {};

    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name, namespace },
      automountServiceAccountToken: false,
    });
    this.resource = new k8s.KubeCronJob(this, 'Resource', {
      metadata: { name, namespace, labels },
      spec: {
        schedule: props.schedule,
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels },
          spec: {
            backoffLimit: props.backoffLimit ?? 2,
            activeDeadlineSeconds: props.activeDeadlineSeconds ?? 3600,
            template: {
              metadata: { labels },
              spec: {
                restartPolicy: 'Never',
                serviceAccountName: name,
                automountServiceAccountToken: false,
                priorityClassName: props.priorityClassName ?? PRIORITY_BATCH,
                securityContext: restrictedPodSecurityContext(runAsUser),
                ...(props.scheduling
                  ? {
                      nodeSelector: props.scheduling.nodeSelector,
                      tolerations: props.scheduling.tolerations.map((t) => ({ ...t })),
                    }
                  : {}),
                containers: [
                  {
                    name,
                    image: props.image,
                    command: command.length > 0 ? [...command] : undefined,
                    env: containerEnv(props.env ?? {}, props.secrets ?? []),
                    resources: {
                      requests: {
                        cpu: k8s.Quantity.fromString(props.resources.requests.cpu),
                        memory: k8s.Quantity.fromString(props.resources.requests.memory),
                        ...gpu,
                      },
                      limits: {
                        cpu: k8s.Quantity.fromString(props.resources.limits.cpu),
                        memory: k8s.Quantity.fromString(props.resources.limits.memory),
                        ...gpu,
                      },
                    },
                    securityContext: restrictedContainerSecurityContext(runAsUser),
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
    if (props.vpa) {
      new VerticalPodAutoscaler(this, 'Vpa', {
        metadata: { name, namespace },
        spec: {
          targetRef: { apiVersion: 'batch/v1', kind: 'CronJob', name },
          updatePolicy: { updateMode: props.vpa.updateMode as VerticalPodAutoscalerSpecUpdatePolicyUpdateMode },
          resourcePolicy: {
            containerPolicies: [
              {
                containerName: name,
                controlledResources: ['cpu', 'memory'],
              },
            ],
          },
        },
      });
    }
  }
}
