import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { clusterGroupName, type EnvironmentSpec } from '../../config';
import { PlatformChart } from './platform-chart';

/** Name of the cluster-wide read-only role (seed 004's `readonly-user`). */
export const READ_ONLY_ROLE = 'platform-read-only';

/**
 * Cluster-wide read-only access for the groups in `access.clusterReadOnlyGroups`:
 * get/list/watch on workloads and their status, never on Secrets, never exec.
 */
export class AccessChart extends PlatformChart {
  constructor(scope: Construct, id: string, spec: EnvironmentSpec) {
    super(scope, id, { spec, component: 'access' });
    // IdP group names, as the cluster sees them (the OIDC groups prefix).
    const groups = spec.access.clusterReadOnlyGroups.map((g) => clusterGroupName(spec, g));
    const read = ['get', 'list', 'watch'];
    new k8s.KubeClusterRole(this, 'ReadOnly', {
      metadata: { name: READ_ONLY_ROLE },
      rules: [
        {
          apiGroups: [''],
          resources: ['pods', 'pods/log', 'services', 'endpoints', 'configmaps', 'events', 'namespaces'],
          verbs: read,
        },
        { apiGroups: ['apps'], resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'], verbs: read },
        { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: read },
        { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: read },
      ],
    });
    new k8s.KubeClusterRoleBinding(this, 'ReadOnlyBinding', {
      metadata: { name: READ_ONLY_ROLE },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: READ_ONLY_ROLE },
      subjects: groups.map((name) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name })),
    });
  }
}
