/**
 * In-place node upgrades on Hetzner (k3s), carried out by rancher/system-upgrade-controller
 * (installed by infra/hcloud/system-upgrade-controller.ts): one Plan for the k3s servers,
 * then one per pool in stack-file order, each waiting for the one before; then a round of
 * OS security updates. Every Plan touches one node at a time, cordoned and drained through
 * the eviction API, so PodDisruptionBudgets hold; a drain that a PDB blocks longer than
 * `upgrades.drainTimeout` fails that node's Job, which the controller retries.
 *
 * The k3s version comes from the supported-versions table (config/kubernetes-support.ts),
 * the same release new and autoscaled nodes boot (infra/hcloud/node-bootstrap.ts).
 */
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import {
  K3S_BOOT_RELEASE_LABEL,
  K3S_RELEASES,
  k3sReleaseLabelValue,
  OS_UPDATE_IMAGE,
  POOL_LABEL,
  SYSTEM_UPGRADE_CONTROLLER,
  tolerationsFor,
  type EnvironmentSpec,
  type NodePool,
} from '../../config';
import { k3sUpgradeImage, NodeUpgradePlan } from '../constructs/node-upgrade-plan';
import { PlatformChart } from './platform-chart';

/** ServiceAccount of the upgrade Jobs: drain and wait, nothing the controller itself needs. */
export const UPGRADE_JOBS_SERVICE_ACCOUNT = 'node-upgrade-jobs';

/** Name of the k3s Plan of a pool (`k3s-server` for the servers). */
export function k3sPlanName(pool: Pick<NodePool, 'name' | 'role'>): string {
  return pool.role === 'control-plane' ? 'k3s-server' : `k3s-${pool.name}`;
}

export const OS_UPDATES_PLAN = 'os-updates';

/**
 * Runs in the host's root (chroot): the security updates unattended-upgrades selects, then a
 * reboot when a package asks for one. After the reboot the Job runs again, finds nothing to
 * do and completes (rancher/system-upgrade-controller examples/openSUSE/microos.yaml reboots
 * the same way).
 */
export const OS_UPDATE_SCRIPT = [
  'set -eu',
  'export DEBIAN_FRONTEND=noninteractive',
  'apt-get update',
  'unattended-upgrade --verbose',
  'if [ -f /var/run/reboot-required ]; then echo "rebooting for $(cat /var/run/reboot-required.pkgs 2>/dev/null | tr "\\n" " ")"; reboot; fi',
].join('\n');

/** The order k3s upgrades nodes in: the servers, then each other pool as listed. */
export function upgradeOrder(spec: Pick<EnvironmentSpec, 'nodePools'>): NodePool[] {
  return [
    ...spec.nodePools.filter((p) => p.role === 'control-plane'),
    ...spec.nodePools.filter((p) => p.role !== 'control-plane'),
  ];
}

export class UpgradesChart extends PlatformChart {
  constructor(scope: Construct, id: string, spec: EnvironmentSpec) {
    super(scope, id, { spec, component: 'upgrades' });
    const namespace = SYSTEM_UPGRADE_CONTROLLER.namespace;
    const release = K3S_RELEASES[spec.kubernetes.version];
    const waitImage = k3sUpgradeImage(release);
    this.jobPermissions(namespace);

    const pools = upgradeOrder(spec);
    pools.forEach((pool, i) => {
      const previous = pools[i - 1];
      new NodeUpgradePlan(this, k3sPlanName(pool), {
        name: k3sPlanName(pool),
        nodeSelector: [
          { key: POOL_LABEL, operator: 'In', values: [pool.name] },
          // Nodes that booted this release already run it (new and autoscaled nodes).
          { key: K3S_BOOT_RELEASE_LABEL, operator: 'NotIn', values: [k3sReleaseLabelValue(release)] },
        ],
        tolerations: tolerationsFor(pool),
        version: release,
        // The controller tags the image with the version (rancher/k3s-upgrade:v1.35.8-k3s1).
        upgrade: { image: 'rancher/k3s-upgrade' },
        serviceAccountName: UPGRADE_JOBS_SERVICE_ACCOUNT,
        drainTimeout: spec.upgrades.drainTimeout,
        ...(previous ? { after: [k3sPlanName(previous)] } : {}),
        waitImage,
      });
    });

    // OS updates after the k3s round, on every node of the platform, one at a time.
    const osTolerations = uniqueTolerations(pools.flatMap((p) => tolerationsFor(p)));
    new NodeUpgradePlan(this, OS_UPDATES_PLAN, {
      name: OS_UPDATES_PLAN,
      nodeSelector: [{ key: POOL_LABEL, operator: 'Exists' }],
      tolerations: osTolerations,
      // A new k3s release or a new round (upgrades.osUpdateRound) starts a round.
      version: `round-${spec.upgrades.osUpdateRound}-${k3sReleaseLabelValue(release)}`,
      upgrade: { image: OS_UPDATE_IMAGE, command: ['chroot', '/host'], args: ['sh', '-c', OS_UPDATE_SCRIPT] },
      serviceAccountName: UPGRADE_JOBS_SERVICE_ACCOUNT,
      drainTimeout: spec.upgrades.drainTimeout,
      after: pools.map(k3sPlanName),
      waitForVersion: release,
      waitImage,
    });
  }

  /**
   * What the Jobs do with the API: `kubectl drain` (read the node's pods and their owning
   * DaemonSets, cordon the node, evict pods) and the prepare step (read Plans). Narrower than
   * upstream's drainer ClusterRole, which also deletes pods (only needed with disableEviction).
   */
  private jobPermissions(namespace: string): void {
    const name = `${this.spec.name}-node-upgrade-jobs`;
    new k8s.KubeServiceAccount(this, 'jobs-sa', {
      metadata: { name: UPGRADE_JOBS_SERVICE_ACCOUNT, namespace },
    });
    new k8s.KubeClusterRole(this, 'jobs-drain', {
      metadata: { name },
      rules: [
        { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'patch'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
        { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
        { apiGroups: ['apps'], resources: ['daemonsets', 'replicasets', 'statefulsets'], verbs: ['get'] },
      ],
    });
    new k8s.KubeClusterRoleBinding(this, 'jobs-drain-binding', {
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name: UPGRADE_JOBS_SERVICE_ACCOUNT, namespace }],
    });
    new k8s.KubeRole(this, 'jobs-plans', {
      metadata: { name: 'node-upgrade-jobs', namespace },
      rules: [{ apiGroups: ['upgrade.cattle.io'], resources: ['plans'], verbs: ['get'] }],
    });
    new k8s.KubeRoleBinding(this, 'jobs-plans-binding', {
      metadata: { name: 'node-upgrade-jobs', namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'node-upgrade-jobs' },
      subjects: [{ kind: 'ServiceAccount', name: UPGRADE_JOBS_SERVICE_ACCOUNT, namespace }],
    });
  }
}

function uniqueTolerations<T>(tolerations: readonly T[]): T[] {
  const seen = new Set<string>();
  return tolerations.filter((t) => {
    const key = JSON.stringify(t);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
