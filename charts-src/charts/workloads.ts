/**
 * Workloads named in the environment (`api`, a service, a job, a stateful service),
 * resolved to what network policies select: the namespace and the pod labels.
 */
import { namespaceOf, type EnvironmentSpec } from '../../config';
import { NAME_LABEL, type WorkloadPeer } from '../constructs/workload-identity';
import { API_NAME } from '../names';

/** The namespace and pod labels of a workload named in the environment. */
export function workloadPeer(spec: EnvironmentSpec, workload: string): WorkloadPeer {
  if (workload === API_NAME) {
    return {
      name: API_NAME,
      namespace: namespaceOf(spec, 'control-plane').name,
      podLabels: { [NAME_LABEL]: API_NAME },
    };
  }
  const owner =
    spec.services.find((s) => s.name === workload) ??
    spec.jobs.find((j) => j.name === workload) ??
    spec.statefulServices.find((s) => s.name === workload);
  if (!owner) throw new Error(`environment ${spec.stack} has no workload "${workload}"`);
  return { name: workload, namespace: namespaceOf(spec, owner.namespace).name, podLabels: { [NAME_LABEL]: workload } };
}
