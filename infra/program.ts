/**
 * The platform program: one environment → a cluster, its add-ons, and the reviewed
 * manifests of dist/<stack>/, in this order:
 *
 *   verify dist/<stack>/ (refuse before registering anything)
 *   → cluster (infra/hcloud or infra/aws, by cloud.provider; or an injected one)
 *   → namespaces.yaml → add-ons (Helm, dependency order) → every other file, in index order,
 *     each after the add-ons providing the CRDs and webhooks it needs.
 *
 * `definePlatform` is what infra/index.ts runs and what the offline plan runs under
 * mocks: it reads no Pulumi config itself, and takes the cluster from `args.cluster`
 * or `args.clusterFactories` when given.
 */
import { join } from 'node:path';
import type * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { EnvironmentSpec } from '../config';
import { addonCatalogue, addonGraph, checkCrdOrdering, definitionOf, type CatalogueEntry } from './addons/catalogue';
import { topologicalOrder } from './addons/graph';
import { PlatformAddons } from './addons/platform-addons';
import { createEksCluster, type EksClusterArgs } from './aws';
import { BackupCredentialSecrets, type ObjectStorageCredentials } from './backup/credentials';
import type { ClusterResult } from './cluster';
import { createHcloudCluster } from './hcloud';
import {
  DistError,
  NAMESPACES_FILE,
  ReviewedManifests,
  checkReplicaOwnership,
  customApiGroups,
  readReviewedDist,
  type ReviewedDist,
  type ReviewedFile,
} from './deploy';

export type CloudProvider = EnvironmentSpec['cloud']['provider'];

/** Creates the cluster of an environment; the cloud modules implement this. */
export type ClusterFactory = (
  name: string,
  spec: EnvironmentSpec,
  args: PlatformArgs,
  opts: pulumi.ComponentResourceOptions,
) => ClusterResult;

export interface PlatformArgs {
  /**
   * Folder holding dist/<stack>/.
   * @default '<repository>/dist'
   */
  readonly distDir?: string;
  /** Hetzner API token (a secret); required on hcloud unless a cluster is injected. */
  readonly hcloudToken?: pulumi.Output<string>;
  /**
   * Object-storage keys of the backups (secrets); required on hcloud when the environment
   * declares `backup` (EKS uses workload identities instead).
   */
  readonly backupCredentials?: ObjectStorageCredentials;
  /** Extra arguments handed to infra/aws's `createEksCluster`. @default {} */
  readonly aws?: EksClusterArgs;
  /** Use this cluster instead of creating one (tests, offline plan). @default - created by the cloud module */
  readonly cluster?: ClusterResult;
  /** Replace the cloud module of a provider. @default - infra/hcloud and infra/aws */
  readonly clusterFactories?: Partial<Record<CloudProvider, ClusterFactory>>;
}

export interface PlatformOutputs {
  readonly cluster: ClusterResult;
  /** Admin kubeconfig (secret). */
  readonly kubeconfig: pulumi.Output<string>;
  readonly provider: k8s.Provider;
  readonly dist: ReviewedDist;
  readonly namespaces: ReviewedManifests;
  readonly addons: PlatformAddons;
  readonly manifests: ReviewedManifests;
  /** Files applied, in order (namespaces.yaml first). */
  readonly appliedFiles: readonly string[];
  readonly catalogue: readonly CatalogueEntry[];
}

export const DEFAULT_DIST_DIR = join(__dirname, '..', 'dist');

const DEFAULT_FACTORIES: Record<CloudProvider, ClusterFactory> = {
  hcloud: (name, spec, args, opts) => {
    if (!args.hcloudToken) {
      throw new pulumi.InputPropertyError({
        propertyPath: 'hcloudToken',
        reason:
          'is required on cloud.provider hcloud: set it with `pulumi config set --secret agent-platform:hcloudToken <token>`',
      });
    }
    const cluster = createHcloudCluster(name, spec, { token: args.hcloudToken }, opts);
    // The backups' object storage keys travel with the cluster's other Hetzner inputs.
    return args.backupCredentials
      ? { ...cluster, hcloud: { ...cluster.hcloud!, backupCredentials: args.backupCredentials } }
      : cluster;
  },
  aws: (name, spec, args, opts) => createEksCluster(name, spec, args.aws ?? {}, opts),
};

/**
 * Cross-checks between the reviewed files and the add-ons, before anything is
 * registered: every add-on namespace is in namespaces.yaml (releases do not create
 * namespaces), and every custom API group a file uses is provided by an enabled
 * add-on or by a CRD in an earlier file.
 */
export function checkDistAgainstAddons(spec: EnvironmentSpec, dist: ReviewedDist): void {
  const problems: string[] = [];
  const namespacesFile = dist.files.find((f) => f.file === NAMESPACES_FILE)!;
  const declared = new Set(namespacesFile.objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
  const graph = addonGraph(spec);
  const order = topologicalOrder(graph);
  checkCrdOrdering(spec, graph);
  for (const addon of order) {
    const def = definitionOf(addon);
    for (const namespace of [def.namespace(spec), ...(def.otherNamespaces?.(spec) ?? [])]) {
      if (namespace !== 'kube-system' && !declared.has(namespace)) {
        problems.push(
          `add-on ${addon} installs into namespace "${namespace}", which dist/${dist.stack}/${NAMESPACES_FILE} does not create`,
        );
      }
    }
  }
  const fromAddons = new Set(order.flatMap((addon) => definitionOf(addon).crdGroups));
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

export function definePlatform(spec: EnvironmentSpec, args: PlatformArgs = {}): PlatformOutputs {
  // 1. Refuse a dist/ that is not the reviewed rendering of this stack: nothing registered yet.
  const dist = readReviewedDist(spec, args.distDir ?? DEFAULT_DIST_DIR);
  checkReplicaOwnership(dist);
  checkDistAgainstAddons(spec, dist);

  // 2. The cluster.
  const name = spec.name;
  const provider = spec.cloud.provider;
  const factory = args.clusterFactories?.[provider] ?? DEFAULT_FACTORIES[provider];
  const cluster = args.cluster ?? factory(name, spec, args, {});

  // 3. Namespaces, then add-ons, then everything else.
  const [namespacesFile, ...rest] = [
    dist.files.find((f) => f.file === NAMESPACES_FILE)!,
    ...dist.files.filter((f) => f.file !== NAMESPACES_FILE),
  ];
  const namespaces = new ReviewedManifests(`${name}-namespaces`, {
    files: [namespacesFile!],
    provider: cluster.provider,
    after: cluster.readyResources,
    objectNamePrefix: name,
  });
  const backupSecrets = backupCredentialSecrets(name, spec, cluster, namespaces);
  const addons = new PlatformAddons(`${name}-addons`, {
    spec,
    cluster,
    after: [namespaces, ...(backupSecrets ? [backupSecrets] : [])],
  });
  const webhooks = addons.webhookReleases(spec);
  const dependenciesOf = (file: ReviewedFile): pulumi.Resource[] => {
    const crdProviders = [...customApiGroups(file).keys()]
      .map((group) => addons.providerOf(group))
      .filter((a): a is NonNullable<typeof a> => a !== undefined)
      .map((a) => addons.releases[a]!);
    return [...new Set([...crdProviders, ...webhooks])];
  };
  const manifests = new ReviewedManifests(`${name}-manifests`, {
    files: rest,
    provider: cluster.provider,
    after: [...cluster.readyResources, namespaces],
    dependenciesOf,
    objectNamePrefix: name,
  });

  return {
    cluster,
    kubeconfig: pulumi.secret(cluster.kubeconfig),
    provider: cluster.provider,
    dist,
    namespaces,
    addons,
    manifests,
    appliedFiles: [namespacesFile!.file, ...rest.map((f) => f.file)],
    catalogue: addonCatalogue(spec),
  };
}

/** The backups' credential Secrets on Hetzner (infra/backup/credentials.ts); none elsewhere. */
function backupCredentialSecrets(
  name: string,
  spec: EnvironmentSpec,
  cluster: ClusterResult,
  namespaces: ReviewedManifests,
): BackupCredentialSecrets | undefined {
  if (!spec.backup || spec.cloud.provider !== 'hcloud') return undefined;
  const credentials = cluster.hcloud?.backupCredentials;
  if (!credentials) {
    throw new Error(
      'backup: the object storage keys are not set; run `pulumi config set --secret agent-platform:backupAccessKeyId <id>` ' +
        'and `pulumi config set --secret agent-platform:backupSecretAccessKey <key>`',
    );
  }
  return new BackupCredentialSecrets(`${name}-backup-credentials`, {
    spec,
    credentials,
    provider: cluster.provider,
    after: [namespaces],
  });
}
