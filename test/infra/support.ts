/**
 * Test support for infra/: a fake ClusterResult (the cloud modules are built
 * elsewhere; the add-on and deploy layers only see this interface) and a writer of
 * temporary dist/<stack>/ folders with a correct or deliberately broken index.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { environmentDigest, sha256, type EnvironmentSpec } from '../../config';
import type { ClusterResult } from '../../infra/cluster';
import { nodeGroups, nodesArg } from '../../infra/hcloud/autoscaler';
import { rawStack, REPO_ROOT } from '../support/environments';

export const FAKE_TOKEN = 'hcloud-token-do-not-leak';
export const FAKE_NETWORK = 'lobstack-net';
export const FAKE_BACKUP_KEY_ID = 'backup-key-id-do-not-leak';
export const FAKE_BACKUP_KEY = 'backup-secret-do-not-leak';

/**
 * The `--nodes` arguments of the Hetzner module itself (infra/hcloud/autoscaler.ts), not
 * a copy: a fake that builds its own shape can agree with a wrong one. Whether the chart
 * renders them back correctly is test/infra/addons/chart-templates.test.ts's job.
 */
export function hetznerNodesArgs(spec: EnvironmentSpec): string[] {
  return nodeGroups(spec).map(nodesArg);
}

/** A ClusterResult as a cloud module returns it; call only after installMocks(). */
export function fakeCluster(spec: EnvironmentSpec, overrides: Partial<ClusterResult> = {}): ClusterResult {
  const provider = new k8s.Provider('fake-k8s', { kubeconfig: 'apiVersion: v1\nkind: Config\n' });
  const hcloud = spec.cloud.provider === 'hcloud';
  return {
    name: `${spec.name}-${spec.stack}`,
    kubeconfig: pulumi.secret('apiVersion: v1\nkind: Config\nusers: [{ name: admin, user: { token: secret } }]\n'),
    provider,
    autoscaler: hcloud
      ? {
          cloudProvider: 'hetzner',
          args: hetznerNodesArgs(spec),
          env: {
            HCLOUD_TOKEN: pulumi.secret(FAKE_TOKEN),
            HCLOUD_CLUSTER_CONFIG: pulumi.secret('eyJub2RlQ29uZmlncyI6e319'),
            HCLOUD_NETWORK: FAKE_NETWORK,
          },
        }
      : {
          cloudProvider: 'aws',
          args: [],
          env: {},
          serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/autoscaler' },
        },
    ...(hcloud
      ? {
          hcloud: {
            token: pulumi.secret(FAKE_TOKEN),
            networkName: FAKE_NETWORK,
            backupCredentials: {
              accessKeyId: pulumi.secret(FAKE_BACKUP_KEY_ID),
              secretAccessKey: pulumi.secret(FAKE_BACKUP_KEY),
            },
          },
        }
      : {}),
    readyResources: [],
    ...overrides,
  };
}

export interface DistFile {
  readonly name: string;
  readonly content: string;
}

/** The manifest files of a stack's committed dist/, in index (apply) order. */
export function committedFiles(stack: string): string[] {
  const index = JSON.parse(readFileSync(join(REPO_ROOT, 'dist', stack, 'index.json'), 'utf8')) as {
    files: { file: string }[];
  };
  return index.files.map((f) => f.file);
}

/** The committed namespaces.yaml of a stack. */
export function committedFile(stack: string, file: string): string {
  return readFileSync(join(REPO_ROOT, 'dist', stack, file), 'utf8');
}

/**
 * Writes <tmp>/dist/<spec.stack>/ with these files and a correct index.json (or one
 * altered by `patchIndex`); returns the dist root.
 */
export function writeDist(
  spec: EnvironmentSpec,
  files: readonly DistFile[],
  patchIndex: (index: Record<string, unknown>) => void = () => undefined,
): string {
  const root = join(mkdtempSync(join(tmpdir(), 'agent-platform-dist-')), 'dist');
  const dir = join(root, spec.stack);
  mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileSync(join(dir, f.name), f.content);
  const index: Record<string, unknown> = {
    stack: spec.stack,
    platform: spec.name,
    platformVersion: '0.1.0',
    kubernetesVersion: spec.kubernetes.version,
    environmentDigest: environmentDigest(spec),
    files: files.map((f) => ({ file: f.name, sha256: sha256(f.content), objects: 1 })),
  };
  patchIndex(index);
  writeFileSync(join(dir, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
  return root;
}

/** A minimal namespaces.yaml for any environment: one Namespace per spec.namespaces entry. */
export function namespacesYaml(spec: EnvironmentSpec): string {
  return spec.namespaces.map((n) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${n.name}\n`).join('---\n');
}

/** An AWS environment derived from the staging stack file (EKS: no control-plane pool). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function awsRaw(): any {
  const raw = rawStack('staging');
  raw.cloud = { provider: 'aws', region: 'us-east-1', locations: ['us-east-1a', 'us-east-1b'] };
  raw.nodePools = [
    { name: 'system', role: 'system', instanceType: 'm6i.large', min: 2, max: 3 },
    { name: 'api', role: 'api', instanceType: 'm6i.xlarge', min: 3, max: 8 },
    { name: 'agents', role: 'agents', instanceType: 'm7i.2xlarge', min: 2, max: 10 },
  ];
  return raw;
}
