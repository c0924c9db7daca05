/**
 * The checks of a rendered dist/<stack>/ that `pulumi up` makes before registering
 * anything, as plain functions over parsed objects (no Pulumi at runtime), so that
 * `npm run synth` runs the very same code on what it is about to write
 * (infra/preflight.ts) and fails with the same message.
 */
import type { EnvironmentSpec } from '../config';
import { apiGroupOf, type KubernetesObject } from '../config/manifest';
import { describe, idOf } from '../policy/manifests';
import { checkObjects } from '../policy/rule';
import { autoscaledReplicasRule } from '../policy/rules/references-scaling';
import { resolveAddonPlan, type AddonPlan } from './addons/plan';
import { SYSTEM_UPGRADE_CRD_GROUP } from './hcloud/system-upgrade-group';

/** The file applied first: every namespace the add-ons and manifests install into. */
export const NAMESPACES_FILE = 'namespaces.yaml';
const SYNTH_FIX = 'run `npm run synth`, review the diff and commit dist/';

/** A Kubernetes object as plain data: the manifest core's (config/manifest). */
export type ManifestObject = KubernetesObject;

/** The files of one stack's dist/, parsed: what the checks read (a ReviewedDist is one). */
export interface DistFiles {
  readonly stack: string;
  /** In apply order. */
  readonly files: readonly { readonly file: string; readonly objects: readonly ManifestObject[] }[];
}

/** A dist/ that must not be applied; the message lists every problem and the fix. */
export class DistError extends Error {
  constructor(
    /** The stack whose dist/ was refused. */
    readonly stackName: string,
    readonly problems: readonly string[],
  ) {
    super(
      `refusing to deploy dist/${stackName}/ (nothing was changed):\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
        `Fix: ${SYNTH_FIX}.`,
    );
    this.name = 'DistError';
  }
}

/**
 * Refuses a workload that sets `spec.replicas` while an HPA or a KEDA ScaledObject in
 * dist/ scales it: the gate's rule `ref.autoscaled-replicas` (policy/rules/references-scaling.ts),
 * run on the files as deploy reads them. Such workloads must leave replicas unset (the API
 * server defaults it to 1 on create; the autoscaler owns it from then on).
 */
export function checkReplicaOwnership(dist: DistFiles): void {
  const manifests = dist.files.flatMap((f) =>
    f.objects.map((object, document) => ({ object, file: f.file, document })),
  );
  const problems = checkObjects(autoscaledReplicasRule, manifests).map(
    (hit) =>
      `dist/${dist.stack}/${hit.manifest.file}: ${describe(idOf(hit.manifest.object))} ${hit.message} ` +
      `(${autoscaledReplicasRule.id}). ${capitalized(hit.fix ?? autoscaledReplicasRule.fix)} in charts-src`,
  );
  if (problems.length > 0) throw new DistError(dist.stack, problems);
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** API groups whose kinds ship with Kubernetes: no add-on needs to be installed for them. */
export const BUILT_IN_API_GROUPS: ReadonlySet<string> = new Set([
  '',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apps',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
]);

/** `keda.sh/v1alpha1` → `keda.sh`; `v1` → `` (core): the manifest core's. */
export { apiGroupOf };

/** The non-built-in API groups a file's objects use, each with one object using it. */
export function customApiGroups(file: { readonly objects: readonly ManifestObject[] }): Map<string, ManifestObject> {
  const out = new Map<string, ManifestObject>();
  for (const o of file.objects) {
    const group = apiGroupOf(o.apiVersion);
    if (!BUILT_IN_API_GROUPS.has(group) && !out.has(group)) out.set(group, o);
  }
  return out;
}

/**
 * Cross-checks between the reviewed files and the add-ons, before anything is
 * registered: every add-on namespace is in namespaces.yaml (releases do not create
 * namespaces), and every custom API group a file uses is provided by an enabled
 * add-on or by a CRD in an earlier file. `plan` is the environment's add-on plan
 * (resolved here when not given; resolving refuses a cycle or a CRD misordering).
 */
export function checkDistAgainstAddons(
  spec: EnvironmentSpec,
  dist: DistFiles,
  plan: AddonPlan = resolveAddonPlan(spec),
): void {
  const problems: string[] = [];
  const namespacesFile = dist.files.find((f) => f.file === NAMESPACES_FILE)!;
  const declared = new Set(namespacesFile.objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
  for (const addon of plan.order) {
    for (const namespace of plan.installNamespaces[addon] ?? []) {
      if (namespace !== 'kube-system' && !declared.has(namespace)) {
        problems.push(
          `add-on ${addon} installs into namespace "${namespace}", which dist/${dist.stack}/${NAMESPACES_FILE} does not create`,
        );
      }
    }
  }
  const fromAddons = new Set(Object.keys(plan.crdGroups));
  // k3s clusters get system-upgrade-controller (and its Plan CRD) before the files that use it.
  if (spec.cloud.provider === 'hcloud') fromAddons.add(SYSTEM_UPGRADE_CRD_GROUP);
  const fromDist = new Set<string>();
  for (const file of dist.files) {
    // A CRD in this file or an earlier one provides its group (ConfigGroup applies CRDs first).
    for (const o of file.objects) {
      const group =
        o.kind === 'CustomResourceDefinition' ? (o.spec as { group?: string } | undefined)?.group : undefined;
      if (group) fromDist.add(group);
    }
    for (const [group, example] of customApiGroups(file)) {
      const what = `dist/${dist.stack}/${file.file} uses API group "${group}" (${example.kind} ${example.metadata.name})`;
      if (fromDist.has(group)) continue;
      if (file.file === NAMESPACES_FILE && fromAddons.has(group)) {
        problems.push(
          `${what}, but ${NAMESPACES_FILE} is applied before the add-ons that install its CRDs; move the object to another chart`,
        );
      } else if (!fromAddons.has(group)) {
        problems.push(
          `${what} but no enabled add-on installs its CRDs; enable the add-on in Pulumi.${dist.stack}.yaml (addons) ` +
            'or remove the object from charts-src',
        );
      }
    }
  }
  if (problems.length > 0) throw new DistError(dist.stack, problems);
}
