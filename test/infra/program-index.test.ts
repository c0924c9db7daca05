/**
 * infra/index.ts (the Pulumi entry) under mocks: it loads the stack file from Pulumi
 * config, reads the Hetzner token as a secret, hands it to the cloud module, and
 * exports the kubeconfig as a secret. The cloud module is replaced by a mock that
 * records what the entry hands it (the entry only needs its exported factory).
 */
import * as pulumi from '@pulumi/pulumi';
import { installMocks, isSecret, valueOf } from '../support/pulumi-mocks';

const mocks = installMocks({ stack: 'staging' });

import { ADDON_NAMES, readStackConfig } from '../../config';
import type { ClusterResult } from '../../infra/cluster';
import { REPO_ROOT } from '../support/environments';
import { committedFiles, fakeCluster } from './support';

const received: { token?: pulumi.Output<string>; name?: string } = {};
jest.mock('../../infra/hcloud', () => ({
  createHcloudCluster: (
    name: string,
    spec: Parameters<typeof fakeCluster>[0],
    args: { token: pulumi.Output<string> },
  ) => {
    received.token = args.token;
    received.name = name;
    return fakeCluster(spec) as ClusterResult;
  },
}));

describe('infra/index.ts', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let program: any;
  beforeAll(async () => {
    const raw = readStackConfig(`${REPO_ROOT}/Pulumi.staging.yaml`);
    pulumi.runtime.setAllConfig(
      {
        'agent-platform:platform': JSON.stringify(raw),
        'agent-platform:hcloudToken': 'hcloud-secret-token',
        'agent-platform:backupAccessKeyId': 'backup-key-id',
        'agent-platform:backupSecretAccessKey': 'backup-secret-key',
      },
      ['agent-platform:hcloudToken', 'agent-platform:backupAccessKeyId', 'agent-platform:backupSecretAccessKey'],
    );
    program = await import('../../infra/index');
    await valueOf(program.kubeconfig);
    // Registration is asynchronous: wait until the releases (registered last) are all there.
    const expected = ADDON_NAMES.length - 1;
    for (let i = 0; i < 250 && mocks.ofType('kubernetes:helm.sh/v3:Release').length < expected; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });

  test('hands the Hetzner token to the cloud module as a secret', async () => {
    expect(received.name).toBe('lobstack');
    expect(await isSecret(received.token!)).toBe(true);
    expect(await valueOf(received.token!)).toBe('hcloud-secret-token');
  });

  test('exports the kubeconfig as a secret, and what was applied', async () => {
    expect(await isSecret(program.kubeconfig)).toBe(true);
    expect(program.appliedFiles).toEqual(committedFiles('staging'));
    expect(program.environmentDigest).toMatch(/^[0-9a-f]{64}$/);
    const addons = program.addons as { name: string; version: string; namespace: string }[];
    expect(addons.map((a) => a.name).sort()).toEqual(ADDON_NAMES.filter((n) => n !== 'metricsServer').sort());
    expect(addons.find((a) => a.name === 'vault')).toMatchObject({
      namespace: 'lobstack-vault',
      version: '0.31.0',
    });
  });

  test('registers the add-ons and the manifests on the cloud module cluster', () => {
    expect(mocks.ofType('kubernetes:helm.sh/v3:Release')).toHaveLength(ADDON_NAMES.length - 1);
    expect(mocks.ofType('kubernetes:yaml/v2:ConfigGroup').map((g) => g.name)).toEqual(
      committedFiles('staging').map((f, i) =>
        i === 0 ? 'lobstack-namespaces-namespaces' : `lobstack-manifests-${f.replace(/\.yaml$/, '')}`,
      ),
    );
  });
});
