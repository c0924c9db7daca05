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
import type { CatalogueEntry } from './addons/catalogue';
import type { AddonPlan } from './addons/plan';
import { PlatformAddons } from './addons/platform-addons';
import { createEksCluster, type EksClusterArgs } from './aws';
import { BackupCredentialSecrets, type ObjectStorageCredentials } from './backup/credentials';
import type { ClusterResult } from './cluster';
import { createHcloudCluster } from './hcloud';
import { SYSTEM_UPGRADE_CRD_GROUP, SystemUpgradeController } from './hcloud/system-upgrade-controller';
import {
  NAMESPACES_FILE,
  ReviewedManifests,
  customApiGroups,
  readReviewedDist,
  type ReviewedDist,
  type ReviewedFile,
} from './deploy';
import { deployPreflight } from './preflight';

// Moved to dist-checks.ts (pure, shared with synth); still exported here for callers.
export { checkDistAgainstAddons } from './dist-checks';

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
  /** system-upgrade-controller (hcloud only): runs the upgrade Plans of dist/. */
  readonly upgrades?: SystemUpgradeController;
  readonly manifests: ReviewedManifests;
  /** Files applied, in order (namespaces.yaml first). */
  readonly appliedFiles: readonly string[];
  readonly catalogue: readonly CatalogueEntry[];
  /** The add-on plan the preflight resolved and the releases and files follow. */
  readonly plan: AddonPlan;
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

export function definePlatform(spec: EnvironmentSpec, args: PlatformArgs = {}): PlatformOutputs {
  // 1. Refuse a dist/ that is not the reviewed rendering of this stack: nothing registered yet.
  const dist = readReviewedDist(spec, args.distDir ?? DEFAULT_DIST_DIR);
  // 2. Everything else deploy would refuse; synth runs the same checks (infra/preflight.ts).
  //    They resolve the add-on plan once (addons/plan.ts); everything below follows it.
  const plan = deployPreflight(spec, dist);

  // 3. The cluster.
  const name = spec.name;
  const provider = spec.cloud.provider;
  const factory = args.clusterFactories?.[provider] ?? DEFAULT_FACTORIES[provider];
  const cluster = args.cluster ?? factory(name, spec, args, {});

  // 4. Namespaces, then add-ons, then everything else.
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
    plan,
    after: [namespaces, ...(backupSecrets ? [backupSecrets] : [])],
  });
  // k3s upgrades in place: the controller needs the `system-upgrade` namespace of namespaces.yaml.
  const upgrades =
    provider === 'hcloud'
      ? new SystemUpgradeController(`${name}-system-upgrade`, {
          provider: cluster.provider,
          after: [...cluster.readyResources, namespaces],
        })
      : undefined;
  const webhooks = addons.webhookReleases();
  const dependenciesOf = (file: ReviewedFile): pulumi.Resource[] => {
    const groups = [...customApiGroups(file).keys()];
    const crdProviders = groups
      .map((group) => addons.providerOf(group))
      .filter((a): a is NonNullable<typeof a> => a !== undefined)
      .map((a) => addons.releases[a]!);
    const controller = upgrades && groups.includes(SYSTEM_UPGRADE_CRD_GROUP) ? [upgrades] : [];
    return [...new Set([...crdProviders, ...controller, ...webhooks])];
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
    ...(upgrades ? { upgrades } : {}),
    manifests,
    appliedFiles: [namespacesFile!.file, ...rest.map((f) => f.file)],
    catalogue: plan.catalogue,
    plan,
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
