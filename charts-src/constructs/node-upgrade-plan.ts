/**
 * One rancher/system-upgrade-controller Plan: upgrade the nodes of one selector, one node
 * at a time, each cordoned and drained through the eviction API (so PodDisruptionBudgets
 * hold), optionally after earlier Plans have finished.
 *
 * Upstream behaviour relied on (rancher/system-upgrade-controller v0.20.1):
 * - pkg/upgrade/job/job.go: the Job runs on the node with hostPID/hostNetwork and the host's
 *   root at /host, tolerates only `node.kubernetes.io/unschedulable` plus `spec.tolerations`,
 *   and drains with `kubectl drain --ignore-daemonsets --delete-emptydir-data` (eviction,
 *   honouring PDBs, unless `disableEviction`), skipping the controller's own pods.
 * - pkg/apis/upgrade.cattle.io/v1/types.go and pkg/upgrade/handle_upgrade.go: the Plan's
 *   `Complete` condition is True once its latest version has completed on every selected
 *   node (also when none is selected); `status.latestVersion` is the version being rolled out.
 */
import { Construct } from 'constructs';
import {
  Plan,
  PlanSpecDrainTimeout,
  type PlanSpecNodeSelectorMatchExpressions,
  type PlanSpecTolerations,
} from '../../imports/suc-plans-upgrade.cattle.io';
import { K3S_UPGRADE_IMAGE, SYSTEM_UPGRADE_CONTROLLER } from '../../config';

export interface NodeUpgradePlanProps {
  /** Plan name (`k3s-server`, `k3s-agents`, `os-updates`). */
  readonly name: string;
  /** Label requirements that select the nodes (ANDed). */
  readonly nodeSelector: readonly PlanSpecNodeSelectorMatchExpressions[];
  /** Tolerations for the nodes' taints (the Job always tolerates `unschedulable`). */
  readonly tolerations: readonly PlanSpecTolerations[];
  /** The version being rolled out; a change starts a new round on every selected node. */
  readonly version: string;
  /** The upgrade container. */
  readonly upgrade: { readonly image: string; readonly command?: readonly string[]; readonly args?: readonly string[] };
  /** ServiceAccount of the Jobs (drain and prepare permissions). */
  readonly serviceAccountName: string;
  /** `kubectl drain --timeout`: a PDB that blocks longer fails the node's Job, which is retried. */
  readonly drainTimeout: string;
  /**
   * Plans that must have completed `waitForVersion` on all their nodes before this Plan
   * touches its first node. @default - none: starts at once
   */
  readonly after?: readonly string[];
  /** The version the `after` Plans must have completed. @default - `version` */
  readonly waitForVersion?: string;
  /** Image of the waiting step; must have `sh` and `/opt/k3s kubectl`. */
  readonly waitImage: string;
}

/** A Plan that upgrades one node at a time, cordoned and drained, after the Plans it waits for. */
export class NodeUpgradePlan extends Construct {
  readonly plan: Plan;

  constructor(scope: Construct, id: string, props: NodeUpgradePlanProps) {
    super(scope, id);
    const after = props.after ?? [];
    this.plan = new Plan(this, 'Resource', {
      metadata: { name: props.name, namespace: SYSTEM_UPGRADE_CONTROLLER.namespace },
      spec: {
        concurrency: 1,
        version: props.version,
        nodeSelector: { matchExpressions: [...props.nodeSelector] },
        tolerations: [...props.tolerations],
        serviceAccountName: props.serviceAccountName,
        cordon: true,
        drain: {
          ignoreDaemonSets: true,
          deleteEmptydirData: true,
          // Never bypass PodDisruptionBudgets: no disableEviction, no force.
          disableEviction: false,
          force: false,
          timeout: PlanSpecDrainTimeout.fromString(props.drainTimeout),
        },
        ...(after.length > 0
          ? {
              prepare: {
                image: props.waitImage,
                command: ['sh', '-c'],
                args: [waitForPlansScript(after, props.waitForVersion ?? props.version)],
              },
            }
          : {}),
        upgrade: {
          image: props.upgrade.image,
          ...(props.upgrade.command ? { command: [...props.upgrade.command] } : {}),
          ...(props.upgrade.args ? { args: [...props.upgrade.args] } : {}),
        },
      },
    });
  }
}

/**
 * Shell for the prepare step: wait until every named Plan reports `version` as its latest
 * and `Complete=True`. Checking the version too avoids acting on a Complete left over from
 * the previous round before the controller has seen the new version.
 */
export function waitForPlansScript(plans: readonly string[], version: string): string {
  const ns = SYSTEM_UPGRADE_CONTROLLER.namespace;
  return [
    'set -eu',
    `for plan in ${plans.join(' ')}; do`,
    `  until [ "$(/opt/k3s kubectl get plan "$plan" -n ${ns} -o jsonpath='{.status.latestVersion}/{.status.conditions[?(@.type=="Complete")].status}')" = "${version}/True" ]; do`,
    `    echo "waiting for plan $plan to complete ${version}"; sleep 15`,
    '  done',
    'done',
  ].join('\n');
}

/** The k3s-upgrade image of a k3s release (the controller tags images with `+` replaced by `-`). */
export function k3sUpgradeImage(k3sRelease: string): string {
  return `${K3S_UPGRADE_IMAGE}:${k3sRelease.replace('+', '-')}`;
}
