/**
 * How workloads are addressed by network policies: every pod the platform renders
 * carries `app.kubernetes.io/name: <workload>`. Charts resolve a workload named in
 * config (`api`, a service, a job) to its namespace and that selector
 * (charts/workloads.ts) and hand constructs the result.
 */
import { k8s } from 'cdk8s-plus-28';
import type { Toleration } from '../../config/contract';

export const NAME_LABEL = 'app.kubernetes.io/name';

/** A workload's pods, as another workload's network policies select them. */
export interface WorkloadPeer {
  /** The workload's name (`api`, a service, a job). */
  readonly name: string;
  /** Its namespace. */
  readonly namespace: string;
  /** Labels of its pods. */
  readonly podLabels: Readonly<Record<string, string>>;
}

/** Where a workload's pods go: the nodeSelector and tolerations of one pool (`schedulingFor(pool)`). */
export interface PodScheduling {
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly Toleration[];
}

/** Default sizeLimit of a scratch emptyDir: a runaway writer is evicted before it fills the node's disk. */
export const SCRATCH_SIZE_LIMIT = '1Gi';

/** Size-limited emptyDir volumes and their mounts for the writable paths of a read-only-root container. */
export function scratchVolumes(
  paths: readonly string[],
  sizeLimit: string = SCRATCH_SIZE_LIMIT,
): { volumes: k8s.Volume[]; mounts: k8s.VolumeMount[] } {
  const named = paths.map((path, i) => ({ name: `scratch-${i}`, path }));
  return {
    volumes: named.map((v) => ({ name: v.name, emptyDir: { sizeLimit: k8s.Quantity.fromString(sizeLimit) } })),
    mounts: named.map((v) => ({ name: v.name, mountPath: v.path })),
  };
}
