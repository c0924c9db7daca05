/**
 * The cloud side of backups under Pulumi mocks: credential Secrets from Pulumi secrets
 * on Hetzner (never in user data or Helm values), k3s etcd snapshots configured through
 * k3s's S3 config Secret, Velero's values by cloud, and EKS Pod Identity roles limited
 * to one folder of the bucket.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { installMocks, valueOf, type RecordedResource } from '../../support/pulumi-mocks';

const mocks = installMocks();

import { backupLayout, type EnvironmentSpec } from '../../../config';
import { BackupIdentities, folderPolicy } from '../../../infra/aws/backup-identity';
import { k3sConfig, type NodeBootstrap } from '../../../infra/hcloud/cloud-init';
import type { PlatformOutputs } from '../../../infra/program';
import { exampleSpec } from '../../support/examples';
import { stackSpec } from '../../support/environments';
import {
  committedFile,
  committedFiles,
  fakeCluster,
  FAKE_BACKUP_KEY as SECRET_KEY,
  FAKE_BACKUP_KEY_ID as KEY_ID,
  FAKE_NETWORK,
  FAKE_TOKEN,
  writeDist,
} from '../support';

const SECRET_SIG = '4dabf18193072939515e22adb298388d';

async function deploy(spec: EnvironmentSpec, credentials = true): Promise<RecordedResource[]> {
  mocks.reset();
  const { definePlatform } = await import('../../../infra/program');
  const files = committedFiles(spec.stack).map((name) => ({ name, content: committedFile(spec.stack, name) }));
  // fakeCluster carries the keys as the Hetzner module does (ClusterResult.hcloud.backupCredentials).
  const cluster = credentials
    ? fakeCluster(spec)
    : fakeCluster(spec, { hcloud: { token: pulumi.secret(FAKE_TOKEN), networkName: FAKE_NETWORK } });
  const out: PlatformOutputs = definePlatform(spec, { cluster, distDir: writeDist(spec, files) });
  await valueOf(pulumi.all(Object.values(out.addons.releases).map((r) => r!.urn)));
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  return [...mocks.resources];
}

/** The plain stringData of a Secret the mock monitor saw, checking that it was a Pulumi secret. */
function secretData(resources: RecordedResource[], namespace: string, name: string): Record<string, string> {
  const found = resources.find(
    (r) =>
      r.type === 'kubernetes:core/v1:Secret' &&
      (r.inputs.metadata as { name: string; namespace: string }).name === name &&
      (r.inputs.metadata as { namespace: string }).namespace === namespace,
  );
  if (!found) throw new Error(`no Secret ${namespace}/${name}`);
  const data = found.inputs.stringData as Record<string, unknown>;
  expect(data[SECRET_SIG]).toBeDefined();
  return data.value as Record<string, string>;
}

describe('Hetzner: credentials only as Secrets made from Pulumi secrets', () => {
  let resources: RecordedResource[];
  beforeAll(async () => {
    resources = await deploy(stackSpec('staging'));
  }, 120_000);

  it('gives k3s its S3 settings and keys in the Secret named by etcd-s3-config-secret', () => {
    expect(secretData(resources, 'kube-system', 'k3s-etcd-snapshot-s3-config')).toEqual({
      'etcd-s3-endpoint': 'fsn1.your-objectstorage.com',
      'etcd-s3-region': 'fsn1',
      'etcd-s3-bucket': 'lobstack-staging-backups',
      'etcd-s3-folder': 'lobstack-staging/etcd',
      'etcd-s3-access-key': KEY_ID,
      'etcd-s3-secret-key': SECRET_KEY,
    });
  });

  it('gives Velero an AWS credentials file and the snapshot job its environment', () => {
    expect(secretData(resources, 'lobstack-backup', 'velero-credentials').cloud).toBe(
      `[default]\naws_access_key_id=${KEY_ID}\naws_secret_access_key=${SECRET_KEY}\n`,
    );
    expect(secretData(resources, 'lobstack-vault', 'vault-snapshot-s3')).toEqual({
      AWS_ACCESS_KEY_ID: KEY_ID,
      AWS_SECRET_ACCESS_KEY: SECRET_KEY,
    });
  });

  it('installs Velero with the node agent, the bucket folder and the existing Secret; no key in its values', () => {
    const release = resources.find((r) => r.type === 'kubernetes:helm.sh/v3:Release' && r.inputs.name === 'velero')!;
    const values = release.inputs.values as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(values.deployNodeAgent).toBe(true);
    expect(values.snapshotsEnabled).toBe(false);
    expect(values.credentials).toEqual({ useSecret: true, existingSecret: 'velero-credentials' });
    expect(values.configuration.backupStorageLocation[0]).toMatchObject({
      provider: 'aws',
      bucket: 'lobstack-staging-backups',
      prefix: 'lobstack-staging/velero',
      config: { region: 'fsn1', s3Url: 'https://fsn1.your-objectstorage.com', s3ForcePathStyle: 'true' },
    });
    expect(values.nodeAgent.affinity.nodeAffinity).toBeDefined();
    expect(JSON.stringify(release.inputs)).not.toContain(SECRET_KEY);
  });

  it('refuses to deploy without the keys, saying how to set them', async () => {
    await expect(deploy(stackSpec('staging'), false)).rejects.toThrow(
      'pulumi config set --secret agent-platform:backupAccessKeyId',
    );
  });

  it('configures k3s snapshots by schedule and Secret name only: no key in the node config', () => {
    const node: NodeBootstrap = {
      role: 'server',
      k3sRelease: 'v1.35.0+k3s1',
      token: 't',
      networkCidr: '10.0.0.0/16',
      labels: {},
      taints: [],
      server: { clusterInit: true, tlsSans: [], disable: [], etcdSnapshots: stackSpec('prod').backup!.etcd },
    };
    const config = k3sConfig(node);
    expect(config).toMatchObject({
      'etcd-snapshot-schedule-cron': '*/15 * * * *',
      'etcd-snapshot-retention': 96,
      'etcd-s3': true,
      'etcd-s3-config-secret': 'k3s-etcd-snapshot-s3-config',
    });
    expect(Object.keys(config).filter((k) => /access-key|secret-key|bucket/.test(k))).toEqual([]);
  });
});

describe('EKS: Pod Identity roles, one folder each', () => {
  const spec = exampleSpec('lobstack-aws');
  const layout = backupLayout(spec.backup!, spec);

  it('lets each writer touch only its folder of the bucket', async () => {
    const policy = JSON.parse(await valueOf(folderPolicy('aws', layout.bucket, layout.folders.velero)));
    expect(policy.Statement).toEqual([
      expect.objectContaining({ Resource: 'arn:aws:s3:::lobstack-aws-staging-backups/lobstack-staging/velero/*' }),
      expect.objectContaining({
        Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::lobstack-aws-staging-backups',
        Condition: { StringLike: { 's3:prefix': ['lobstack-staging/velero/*', 'lobstack-staging/velero'] } },
      }),
    ]);
  });

  it('associates exactly the Velero and snapshot service accounts, after the Pod Identity agent', async () => {
    mocks.reset();
    const provider = new aws.Provider('test-aws', { region: 'eu-central-1' });
    const component = new BackupIdentities('backup', {
      clusterName: 'c',
      bucket: layout.bucket,
      partition: 'aws',
      provider,
      writers: [
        { id: 'velero', namespace: 'lobstack-backup', serviceAccount: 'velero', folder: layout.folders.velero },
        { id: 'vault', namespace: 'lobstack-vault', serviceAccount: 'vault-snapshot', folder: layout.folders.vault },
      ],
    });
    await valueOf(component.urn);
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    const associations = mocks.resources.filter(
      (r) => r.type === 'aws:eks/podIdentityAssociation:PodIdentityAssociation',
    );
    expect(associations.map((a) => [a.inputs.namespace, a.inputs.serviceAccount])).toEqual([
      ['lobstack-backup', 'velero'],
      ['lobstack-vault', 'vault-snapshot'],
    ]);
    const agent = mocks.resources.find((r) => r.type === 'aws:eks/addon:Addon');
    expect(agent?.inputs.addonName).toBe('eks-pod-identity-agent');
    const roles = mocks.resources.filter((r) => r.type === 'aws:iam/role:Role');
    for (const role of roles) {
      expect(JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0].Principal).toEqual({
        Service: 'pods.eks.amazonaws.com',
      });
    }
  });
});
