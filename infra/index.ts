/**
 * Pulumi entry point (thin): load and validate the stack's environment, read its
 * secrets, build the platform, export what operators need.
 */
import * as pulumi from '@pulumi/pulumi';
import { PROJECT } from '../config';
import { loadEnvironmentFromPulumi } from './environment';
import { definePlatform } from './program';

const { spec } = loadEnvironmentFromPulumi();
const secrets = new pulumi.Config(PROJECT);
const hcloud = spec.cloud.provider === 'hcloud';
const platform = definePlatform(spec, {
  ...(hcloud ? { hcloudToken: secrets.requireSecret('hcloudToken') } : {}),
  // Object storage keys of the backups on Hetzner (EKS uses workload identities).
  ...(hcloud && spec.backup
    ? {
        backupCredentials: {
          accessKeyId: secrets.requireSecret('backupAccessKeyId'),
          secretAccessKey: secrets.requireSecret('backupSecretAccessKey'),
        },
      }
    : {}),
});

export const kubeconfig = pulumi.secret(platform.kubeconfig);
export const clusterName = platform.cluster.name;
export const appliedFiles = platform.appliedFiles;
export const environmentDigest = platform.dist.index.environmentDigest;
export const addons = platform.catalogue
  .filter((a) => a.enabled)
  .map((a) => ({ name: a.name, chart: a.chart, version: a.version, namespace: a.namespace }));
