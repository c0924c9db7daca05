import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesize, type SynthResult } from '../../../charts-src/synthesize';
import { loadStackFile, type EnvironmentSpec } from '../../../config';
import { REPO_ROOT } from '../../support/environments';

const ROOT = join(REPO_ROOT, 'examples', 'lobstack-aws');

describe('examples/lobstack-aws (seed 000 on EKS)', () => {
  let spec: EnvironmentSpec;
  let warnings: readonly string[];
  let result: SynthResult;
  let outDir: string;

  beforeAll(() => {
    ({ spec, warnings } = loadStackFile(join(ROOT, 'Pulumi.lobstack-aws.yaml')));
    outDir = mkdtempSync(join(tmpdir(), 'lobstack-aws-'));
    result = synthesize({ root: ROOT, outDir });
  });

  it('loads through the validator without warnings', () => {
    expect(warnings).toEqual([]);
    expect(spec.stack).toBe('lobstack-aws');
    expect(spec.cloud).toEqual({
      provider: 'aws',
      region: 'eu-central-1',
      locations: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'],
      networkCidr: '10.30.0.0/16',
    });
    expect(spec.kubernetes.version).toBe('1.35');
    expect(spec.protect).toBe(false);
  });

  it('maps the pools onto system, api and gVisor agents with seed 000 bounds', () => {
    const pools = spec.nodePools.map((p) => ({
      name: p.name,
      role: p.role,
      type: p.instanceType,
      min: p.min,
      max: p.max,
      gvisor: p.gvisor,
      capacity: p.capacity,
    }));
    expect(pools).toEqual([
      { name: 'system', role: 'system', type: 'm6i.xlarge', min: 3, max: 5, gvisor: false, capacity: 'on-demand' },
      { name: 'api', role: 'api', type: 'm6i.large', min: 3, max: 8, gvisor: false, capacity: 'on-demand' },
      { name: 'agents', role: 'agents', type: 'c6i.2xlarge', min: 5, max: 12, gvisor: true, capacity: 'on-demand' },
    ]);
    expect(spec.placement.system.name).toBe('system');
    expect(spec.placement.api.name).toBe('api');
    expect(spec.placement.agents?.name).toBe('agents');
    expect(spec.nodePools.find((p) => p.name === 'agents')!.taints).toEqual([
      { key: 'agent-platform.io/dedicated', value: 'agents', effect: 'NoSchedule' },
    ]);
  });

  it('turns the Hetzner add-ons off and installs metrics-server from its chart', () => {
    expect(spec.addons.hcloudCcm.enabled).toBe(false);
    expect(spec.addons.hcloudCsi.enabled).toBe(false);
    expect(spec.addons.metricsServer.source).toBe('chart');
    expect(spec.addons.clusterAutoscaler.enabled).toBe(true);
  });

  it('keeps the namespaces of Pulumi.staging.yaml', () => {
    const staging = loadStackFile(join(REPO_ROOT, 'Pulumi.staging.yaml')).spec;
    expect(spec.namespaces.map((n) => [n.name, n.podSecurity, n.quota])).toEqual(
      staging.namespaces.map((n) => [n.name, n.podSecurity, n.quota]),
    );
    expect(spec.controlPlaneApi.replicas).toEqual(staging.controlPlaneApi.replicas);
    expect(spec.agents?.tiers).toEqual(staging.agents?.tiers);
  });

  it('synthesizes into its own dist/lobstack-aws/ with the platform namespaces', () => {
    expect(result.stacks.map((s) => s.stack)).toEqual(['lobstack-aws']);
    const files = readdirSync(join(outDir, 'lobstack-aws'));
    expect(files).toContain('index.json');
    const index = JSON.parse(readFileSync(join(outDir, 'lobstack-aws', 'index.json'), 'utf8'));
    expect(index).toMatchObject({ stack: 'lobstack-aws', platform: 'lobstack', kubernetesVersion: '1.35' });
    const manifests = files
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => readFileSync(join(outDir, 'lobstack-aws', f), 'utf8'));
    expect(manifests.join('\n')).toContain('name: lobstack-agents');
    expect(manifests.join('\n')).not.toMatch(/hcloud/);
  });
});
