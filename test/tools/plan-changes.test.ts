/**
 * Cloud-side changes and plan risk flags: the real cloud modules (infra/hcloud,
 * infra/aws) recorded under mocks for an environment and for the same environment
 * with one dial turned, compared with the providers' replacement rules.
 */
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { loadStackFile, parseEnvironment, readStackConfig, type EnvironmentSpec } from '../../config';
import { createEksCluster } from '../../infra/aws';
import { createHcloudCluster } from '../../infra/hcloud';
import { changedPaths, compareRecordings, type ResourceChange } from '../../tools/plan/changes';
import { renderCloudChanges, renderPlanRisks } from '../../tools/plan/changes-markdown';
import { ruleFor } from '../../tools/plan/provider-rules';
import { recordProgram, type PlannedResource } from '../../tools/plan/record';
import { planRisks } from '../../tools/plan/risks';
import { OFFLINE_OUTPUTS, offlineCalls } from '../../tools/plan/offline';
import { parseRaw, rawStack, REPO_ROOT, stackSpec } from '../support/environments';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Raw = any;

// Each recording runs a whole cloud module under mocks: seconds, more on a busy machine.
jest.setTimeout(180_000);

function withPool(raw: Raw, pool: string, change: (p: Raw) => void): Raw {
  change(raw.nodePools.find((p: Raw) => p.name === pool));
  return raw;
}

async function recordHcloud(spec: EnvironmentSpec): Promise<PlannedResource[]> {
  return recordProgram(() => createHcloudCluster(spec.name, spec, { token: pulumi.secret('placeholder') }), {
    stack: spec.stack,
    calls: offlineCalls(spec),
    outputs: OFFLINE_OUTPUTS,
  });
}

const AWS_FILE = join(REPO_ROOT, 'examples', 'lobstack-aws', 'Pulumi.lobstack-aws.yaml');
const awsRaw = (): Raw => structuredClone(readStackConfig(AWS_FILE));
const awsSpec = (raw: Raw) => parseEnvironment(raw, { stack: 'lobstack-aws', source: 'Pulumi.lobstack-aws.yaml' }).spec;

async function recordAws(spec: EnvironmentSpec): Promise<PlannedResource[]> {
  return recordProgram(() => createEksCluster(spec.name, spec), {
    stack: spec.stack,
    calls: offlineCalls(spec),
    outputs: OFFLINE_OUTPUTS,
  });
}

const of = (changes: readonly ResourceChange[], type: string) => changes.filter((c) => c.type === type);

describe('cloud-side changes on Hetzner (infra/hcloud under mocks)', () => {
  let base: PlannedResource[];
  beforeAll(async () => {
    base = await recordHcloud(stackSpec('staging'));
  });

  it('finds no change between two recordings of the same environment', async () => {
    expect(compareRecordings(base, await recordHcloud(stackSpec('staging')))).toEqual([]);
  });

  it("flags every running server of a pool whose server type changes as resized with downtime, with the provider's reason", async () => {
    const spec = parseRaw(
      withPool(rawStack('staging'), 'api', (p) => (p.instanceType = 'cpx32')),
      'staging',
    );
    const changes = compareRecordings(base, await recordHcloud(spec));
    const servers = of(changes, 'hcloud:index/server:Server');
    expect(servers.map((c) => [c.name, c.kind])).toEqual([
      ['lobstack-api-0', 'downtime'],
      ['lobstack-api-1', 'downtime'],
      ['lobstack-api-2', 'downtime'],
    ]);
    expect(servers[0]!.reasons).toEqual([
      '`serverType`: cpx22 → cpx32 (the server is powered off, resized (ChangeType) and booted again)',
    ]);
    const markdown = renderCloudChanges({
      cloudChanges: { base: 'abc1234', changes },
    } as never).join('\n');
    expect(markdown).toContain('**An estimate**');
    expect(markdown).toContain(
      '| **resized or rolled with downtime** | `hcloud:index/server:Server` | `lobstack-api-0` | `serverType`: cpx22 → cpx32',
    );
  });

  it('flags a smaller pool as deleted servers, and knows a location change replaces a server', async () => {
    const spec = parseRaw(
      withPool(rawStack('staging'), 'agents', (p) => (p.min = 4)),
      'staging',
    );
    const changes = compareRecordings(base, await recordHcloud(spec));
    expect(of(changes, 'hcloud:index/server:Server').map((c) => [c.name, c.kind])).toEqual([
      ['lobstack-agents-4', 'delete'],
    ]);
    expect(changes[0]).toMatchObject({ kind: 'delete', reasons: ['no longer declared'] });
    expect(ruleFor('hcloud:index/server:Server', 'location')).toEqual({
      effect: 'replace',
      why: 'location forces a new server',
    });
  });
});

describe('cloud-side changes on EKS (infra/aws under mocks)', () => {
  let base: PlannedResource[];
  beforeAll(async () => {
    base = await recordAws(awsSpec(awsRaw()));
  });

  it('replaces the node group whose instance type changes (instanceTypes force a new group)', async () => {
    const raw = withPool(awsRaw(), 'agents', (p) => (p.instanceType = 'c7i.2xlarge'));
    const changes = compareRecordings(base, await recordAws(awsSpec(raw)));
    const groups = of(changes, 'aws:eks/nodeGroup:NodeGroup');
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ kind: 'replace', name: expect.stringContaining('agents') });
    expect(groups[0]!.reasons[0]).toMatch(
      /^`instanceTypes`: \["c6i\.2xlarge"\] → \["c7i\.2xlarge"\] \(instanceTypes force a new node group/,
    );
  });

  it('rolls every node group when a launch template changes, and says why', () => {
    const template = base.find((r) => r.type === 'aws:ec2/launchTemplate:LaunchTemplate')!;
    const changed = base.map((r) => (r === template ? { ...r, inputs: { ...r.inputs, description: 'changed' } } : r));
    const changes = compareRecordings(base, changed);
    expect(changes.map((c) => [c.type, c.kind])).toEqual([
      ['aws:eks/nodeGroup:NodeGroup', 'downtime'],
      ['aws:ec2/launchTemplate:LaunchTemplate', 'update'],
    ]);
    expect(changes[0]!.reasons[0]).toContain('rolling update (every node drained and replaced)');
  });
});

describe('changedPaths and deletions', () => {
  it('names nested paths and compares lists whole', () => {
    expect(changedPaths({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { b: 2, c: [2, 1] }, d: 1 })).toEqual(['a.b', 'a.c']);
  });

  it('says a protected resource is refused, and ignores paths the program ignores', () => {
    const r = (inputs: Record<string, unknown>, extra: Partial<PlannedResource> = {}): PlannedResource => ({
      type: 'hcloud:index/volume:Volume',
      name: 'data',
      urn: 'urn:data',
      custom: true,
      inputs,
      ...extra,
    });
    expect(compareRecordings([r({ size: 10 }, { protect: true })], [])).toEqual([
      {
        kind: 'delete',
        type: 'hcloud:index/volume:Volume',
        name: 'data',
        urn: 'urn:data',
        reasons: ['protected: `pulumi up` refuses to delete it until `protect` is lifted'],
        protect: true,
      },
    ]);
    expect(compareRecordings([r({ userData: 'a' })], [r({ userData: 'b' }, { ignoreChanges: ['userData'] })])).toEqual(
      [],
    );
  });
});

describe('plan risk flags', () => {
  const release = (version: string, tag: string): PlannedResource => ({
    type: 'kubernetes:helm.sh/v3:Release',
    name: 'lobstack-keda',
    urn: 'urn:keda',
    custom: true,
    inputs: { name: 'keda', chart: 'keda', version, values: { image: { keda: { tag } } } },
  });

  it('flags an add-on chart bump and its image change', () => {
    const risks = planRisks({
      spec: stackSpec('staging'),
      resources: [release('2.21.0', '2.21.0')],
      baseResources: [release('2.20.2', '2.20.2')],
      changes: [],
    });
    expect(risks).toEqual([
      {
        category: 'addon-charts',
        message:
          "keda: chart keda 2.20.2 → 2.21.0 (Helm upgrades it in place: read the chart's upgrade notes, CRD changes and the Kubernetes minors it supports)",
      },
      { category: 'images', message: 'keda: values.image.keda.tag changed (its pods restart with it)' },
    ]);
  });

  it('flags a pool shrink below what may be running and an instance type change', () => {
    const spec = parseRaw(
      withPool(rawStack('staging'), 'agents', (p) => {
        p.max = 6;
        p.instanceType = 'cpx52';
      }),
      'staging',
    );
    const messages = planRisks({ baseSpec: stackSpec('staging'), spec, resources: [] }).map(
      (r) => `${r.category}: ${r.message}`,
    );
    expect(messages).toEqual([
      expect.stringMatching(/^pool-shrink: pool agents: max \d+ → 6, below what may be running now/),
      'instance-type: pool agents: cpx42 → cpx52 (8 vCPU, 16 GiB → 12 vCPU, 24 GiB): each running server is powered off and resized; autoscaled nodes come up with the new type',
    ]);
  });

  it('flags a Kubernetes minor bump with the upgrade order, and the deletion of a stateful resource', () => {
    const risks = planRisks({
      spec: stackSpec('staging'),
      baseVersions: { kubernetesVersion: '1.31', k3sVersion: 'v1.31.14+k3s1' },
      versions: { kubernetesVersion: '1.34', k3sVersion: 'v1.34.2+k3s1' },
      resources: [],
      baseResources: [],
      changes: [
        { kind: 'delete', type: 'hcloud:index/network:Network', name: 'lobstack-network', urn: 'u', reasons: [] },
      ],
    });
    expect(risks.map((r) => r.category)).toEqual(['versions', 'versions', 'stateful']);
    expect(risks[0]!.message).toBe(
      'Kubernetes minor 1.31 → 1.34: skips 1.32, 1.33: Kubernetes upgrades one minor at a time, deploy 1.32 first; upgrade order: k3s servers one at a time, then each worker pool node by node (cordon, drain honouring PDBs); add-ons must support both minors during the step',
    );
    expect(risks[2]!.message).toBe('lobstack-network: private network (every node detached) deleted');
    const markdown = renderPlanRisks({ risks } as never).join('\n');
    expect(markdown).toContain('- ⚠️ **Kubernetes or node runtime version changed** (2)');
  });
});

it('loads the AWS example the tests change (guards the fixture)', () => {
  expect(loadStackFile(AWS_FILE, 'lobstack-aws').spec.cloud.provider).toBe('aws');
});

it("ignores a dynamic provider's serialized code, which differs between two builds of one source", () => {
  const r = (code: string): PlannedResource => ({
    type: 'pulumi-nodejs:dynamic:Resource',
    name: 'api-ready',
    urn: 'urn:api-ready',
    custom: true,
    inputs: { __provider: code, endpoint: 'https://192.0.2.10:6443' },
  });
  expect(
    compareRecordings([r('exports.handler = __f0; // build 1')], [r('exports.handler = __f0; // build 2')]),
  ).toEqual([]);
});
