/**
 * rancher/system-upgrade-controller on k3s clusters: it runs the upgrade Plans of
 * dist/<stack>/upgrades.yaml (charts-src/charts/upgrades.ts).
 *
 * Installed here, from upstream's release artifacts pinned in config/versions.ts, rather
 * than rendered into dist/: the controller registers its own Plan CRD at start
 * (pkg/upgrade/controller.go `registerCRD`, v0.20.1), so the CRD must exist before any
 * Plan is applied, and the release manifest is the one upstream tests (image pinned by
 * its release script). Order: after namespaces.yaml (which creates `system-upgrade`
 * with its guardrails: the manifest's own Namespace carries the same `enforce:
 * privileged` label, so server-side apply shares it without conflict), before the files
 * that use `upgrade.cattle.io`.
 *
 * Least privilege, as far as upstream allows: the manifest is applied unchanged, so the
 * controller keeps upstream's RBAC (it creates and updates its CRD, labels nodes, creates
 * Jobs, and upstream also binds its drainer ClusterRole to the controller's account). The
 * Jobs, which run privileged on the nodes, do not use that account: the Plans of dist/ name
 * `node-upgrade-jobs`, which may only read pods, cordon nodes, evict and read Plans.
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { SYSTEM_UPGRADE_CONTROLLER } from '../../config';

export interface SystemUpgradeControllerArgs {
  readonly provider: k8s.Provider;
  /** Resources to wait for: the cluster, and the file creating the `system-upgrade` namespace. */
  readonly after: readonly pulumi.Resource[];
}

export { SYSTEM_UPGRADE_CRD_GROUP } from './system-upgrade-group';

export class SystemUpgradeController extends pulumi.ComponentResource {
  /** The Plan CRD (release artifact `crd.yaml`). */
  readonly crd: k8s.yaml.v2.ConfigFile;
  /** Namespace objects, RBAC and the Deployment (release artifact `system-upgrade-controller.yaml`). */
  readonly controller: k8s.yaml.v2.ConfigFile;
  /** What the CRD and the controller wait for (for the offline plan and tests). */
  readonly waitsFor: readonly pulumi.Resource[];

  constructor(name: string, args: SystemUpgradeControllerArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('agent-platform:hcloud:SystemUpgradeController', name, {}, opts);
    const common = { parent: this, provider: args.provider };
    this.waitsFor = [...args.after];
    this.crd = new k8s.yaml.v2.ConfigFile(
      `${name}-crd`,
      { file: SYSTEM_UPGRADE_CONTROLLER.crdUrl },
      { ...common, dependsOn: [...args.after] },
    );
    this.controller = new k8s.yaml.v2.ConfigFile(
      `${name}-controller`,
      { file: SYSTEM_UPGRADE_CONTROLLER.manifestUrl },
      { ...common, dependsOn: [...args.after, this.crd] },
    );
    this.registerOutputs({ version: SYSTEM_UPGRADE_CONTROLLER.version });
  }
}
