/**
 * The autoscaler reads its node configs (cloud-init, labels, taints, token) from a Secret
 * through envFrom, which Kubernetes reads only when the container starts. Its pod template
 * must therefore change whenever that environment changes, through a value the chart
 * really renders into the pod template.
 */
import { installMocks, isSecret, valueOf } from '../../support/pulumi-mocks';

installMocks();

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { parse } from 'yaml';
import { ADDON_CHARTS } from '../../../config';
import { definitionOf } from '../../../infra/addons/catalogue';
import { ENV_CHECKSUM_ANNOTATION, envChecksum } from '../../../infra/addons/config-checksum';
import type { ClusterResult } from '../../../infra/cluster';
import { REPO_ROOT, stackSpec } from '../../support/environments';
import { fakeCluster } from '../support';

const spec = stackSpec('staging');
const chartDir = join(
  REPO_ROOT,
  '..',
  'shared',
  'charts',
  'cluster-autoscaler',
  ADDON_CHARTS.clusterAutoscaler.version,
);

function podAnnotations(cluster: ClusterResult): Record<string, pulumi.Output<string>> {
  const def = definitionOf('clusterAutoscaler');
  const values = def.values({
    spec,
    cluster,
    namespace: 'kube-system',
    namespaces: {},
    checksum: envChecksum,
  }) as Record<string, unknown>;
  return values.podAnnotations as Record<string, pulumi.Output<string>>;
}

function withEnv(env: Record<string, pulumi.Input<string>>): ClusterResult {
  const base = fakeCluster(spec);
  return { ...base, autoscaler: { ...base.autoscaler, env } };
}

const ENV = {
  HCLOUD_TOKEN: pulumi.secret('token'),
  HCLOUD_CLUSTER_CONFIG: pulumi.secret('eyJub2RlQ29uZmlncyI6eyJhIjoxfX0='),
  HCLOUD_NETWORK: '42',
};

describe('cluster-autoscaler restarts when its node config changes', () => {
  it('puts the checksum where the pinned chart renders it: the pod template annotations', () => {
    const values = parse(readFileSync(join(chartDir, 'values.yaml'), 'utf8')) as Record<string, unknown>;
    expect(values).toHaveProperty('podAnnotations');
    const template = readFileSync(join(chartDir, 'templates', 'deployment.yaml'), 'utf8');
    expect(template).toMatch(/template:\n\s+metadata:\n\s+\{\{- if \.Values\.podAnnotations \}\}\n\s+annotations:/);
    expect(Object.keys(podAnnotations(withEnv(ENV)))).toEqual([ENV_CHECKSUM_ANNOTATION]);
  });

  it('changes the annotation when the cloud-init (or any variable) changes, and only then', async () => {
    const checksum = (env: Record<string, pulumi.Input<string>>) =>
      valueOf(podAnnotations(withEnv(env))[ENV_CHECKSUM_ANNOTATION]!);
    const before = await checksum(ENV);
    expect(before).toMatch(/^[0-9a-f]{64}$/);
    expect(await checksum({ ...ENV })).toBe(before);
    expect(
      await checksum({
        HCLOUD_NETWORK: '42',
        HCLOUD_CLUSTER_CONFIG: ENV.HCLOUD_CLUSTER_CONFIG,
        HCLOUD_TOKEN: ENV.HCLOUD_TOKEN,
      }),
    ).toBe(before);
    expect(
      await checksum({ ...ENV, HCLOUD_CLUSTER_CONFIG: pulumi.secret('eyJub2RlQ29uZmlncyI6eyJhIjoyfX0=') }),
    ).not.toBe(before);
    expect(await checksum({ ...ENV, HCLOUD_TOKEN: pulumi.secret('rotated') })).not.toBe(before);
  });

  it('shows the checksum in the plan (not a secret) without revealing the values it covers', async () => {
    const annotation = podAnnotations(withEnv(ENV))[ENV_CHECKSUM_ANNOTATION]!;
    expect(await isSecret(annotation)).toBe(false);
    expect(await valueOf(annotation)).not.toContain('token');
  });

  it('adds neither Secret nor annotation when the cloud module gives the autoscaler no environment', () => {
    const def = definitionOf('clusterAutoscaler');
    const base = fakeCluster(spec);
    const values = def.values({
      spec,
      cluster: { ...base, autoscaler: { ...base.autoscaler, env: {} } },
      namespace: 'kube-system',
      namespaces: {},
      checksum: envChecksum,
    }) as Record<string, unknown>;
    expect(values).not.toHaveProperty('podAnnotations');
    expect(values).not.toHaveProperty('envFromSecret');
  });
});
