/**
 * How workloads are addressed by network policies: every pod the platform renders
 * carries `app.kubernetes.io/name: <workload>`, and a workload named in config
 * (`api`, a service, a job) resolves to its namespace and that selector.
 */
import { k8s } from 'cdk8s-plus-28';
import { namespaceOf, type EnvironmentSpec } from '../../config';
import { API_NAME } from '../names';

export const NAME_LABEL = 'app.kubernetes.io/name';

export interface WorkloadPeer {
  readonly namespace: string;
  readonly podLabels: Record<string, string>;
}

/** The namespace and pod labels of a workload named in the environment. */
export function workloadPeer(spec: EnvironmentSpec, workload: string): WorkloadPeer {
  if (workload === API_NAME) {
    return { namespace: namespaceOf(spec, 'control-plane').name, podLabels: { [NAME_LABEL]: API_NAME } };
  }
  const owner =
    spec.services.find((s) => s.name === workload) ??
    spec.jobs.find((j) => j.name === workload) ??
    spec.statefulServices.find((s) => s.name === workload);
  if (!owner) throw new Error(`environment ${spec.stack} has no workload "${workload}"`);
  return { namespace: namespaceOf(spec, owner.namespace).name, podLabels: { [NAME_LABEL]: workload } };
}

/** A NetworkPolicy peer selecting a workload's pods in its namespace. */
export function peerSelector(peer: WorkloadPeer) {
  return {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': peer.namespace } },
    podSelector: { matchLabels: peer.podLabels },
  };
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
