/**
 * The plan machinery (record under mocks, summarize, render) and the cost
 * estimate, on a small fake program shaped like infra/ (test/tools/fixtures).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PRICES_AS_OF } from '../../config';
import { diffCost, estimateCost, serviceLoadBalancers, specFromStackText } from '../../tools/cost';
import { planJson, renderPlanMarkdown } from '../../tools/plan/markdown';
import { build } from 'esbuild';
import { recordProgram, type PlannedResource } from '../../tools/plan/record';
import { planStack, PlanInputError } from '../../tools/plan/run';
import { summarizePlan } from '../../tools/plan/summarize';
import { parseRaw, rawStack, REPO_ROOT, stackNames, stackSpec } from '../support/environments';
import { fakeProgram } from './fixtures/fake-program';

describe('recordProgram', () => {
  let resources: PlannedResource[];
  beforeAll(async () => {
    resources = await recordProgram(() => fakeProgram(stackSpec('staging')), { stack: 'staging' });
  });

  it('records type, name, parent and custom for every resource', () => {
    const cluster = resources.find((r) => r.name === 'staging')!;
    expect(cluster).toMatchObject({ type: 'agent-platform:hcloud:Cluster', custom: false });
    expect(cluster.parent).toBeUndefined();
    const pool = resources.find((r) => r.name === 'staging-agents')!;
    expect(pool.parent).toBe(cluster.urn);
    const server = resources.find((r) => r.name === 'staging-agents-0')!;
    expect(server).toMatchObject({ type: 'hcloud:index/server:Server', custom: true, parent: pool.urn });
    expect(server.inputs).toMatchObject({ serverType: 'cpx42', location: 'fsn1' });
    expect(resources.filter((r) => r.type === 'hcloud:index/server:Server')).toHaveLength(3 + 3 + 5);
  });

  it('turns a failure inside apply into one ProgramError naming it (in a plain node process, as the CLI runs)', async () => {
    const outfile = join(REPO_ROOT, 'build', 'test', 'failing-program.js');
    await build({
      entryPoints: [join(__dirname, 'fixtures', 'failing-program-entry.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      packages: 'external',
      logLevel: 'silent',
    });
    const run = spawnSync(process.execPath, [outfile], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(run.stdout).toBe(
      'ProgramError: the program failed under the mocked engine:\n  - node group reported no Auto Scaling group\n',
    );
    expect(run.status).toBe(3);
  });

  it('records secret inputs as [secret], never their value', () => {
    const server = resources.find((r) => r.name === 'staging-agents-0')!;
    expect(server.inputs.userData).toBe('[secret]');
    expect(JSON.stringify(resources)).not.toContain('do-not-print');
  });
});

describe('plan of the fake program, both stacks', () => {
  const docs = new Map<string, Awaited<ReturnType<typeof planStack>>>();
  beforeAll(async () => {
    for (const stack of ['staging', 'prod'])
      docs.set(stack, await planStack({ stack, root: REPO_ROOT, program: fakeProgram }));
  });

  it('groups servers by pool with their type, count and labels', () => {
    const { doc } = docs.get('staging')!;
    const agents = doc.plan.pools.find((p) => p.pool.name === 'agents')!;
    expect(agents.resources).toHaveLength(5);
    expect(agents.resources[0]!.inputs).toEqual(
      expect.arrayContaining([
        { name: 'serverType', value: 'cpx42' },
        { name: 'location', value: 'fsn1' },
        expect.objectContaining({ name: 'labels', value: expect.stringContaining('agent-platform.io/pool=agents') }),
      ]),
    );
    expect(docs.get('prod')!.doc.plan.pools.find((p) => p.pool.name === 'agents')!.resources).toHaveLength(8);
  });

  it('groups Helm releases by add-on with chart versions', () => {
    const { doc } = docs.get('prod')!;
    expect(doc.plan.addons.map((a) => a.addon)).toEqual(['keda', 'vault']);
    expect(doc.plan.addons[0]).toMatchObject({
      releases: [
        {
          name: 'keda',
          chart: 'keda',
          version: '2.17.2',
          namespace: 'keda',
          repository: 'https://kedacore.github.io/charts',
        },
      ],
    });
    expect(doc.plan.addons[0]!.resources.map((r) => r.type)).toEqual([
      'kubernetes:core/v1:Namespace',
      'kubernetes:helm.sh/v3:Release',
    ]);
  });

  it('keeps shared cloud resources by top-level component and counts the manifests layer', () => {
    const { doc } = docs.get('staging')!;
    expect(doc.plan.shared.map((g) => g.group)).toEqual(['agent-platform:hcloud:Cluster staging']);
    expect(doc.plan.shared[0]!.resources.map((r) => r.name)).toEqual([
      'staging-api-lb',
      'staging-network',
      'staging-ssh',
    ]);
    expect(doc.plan.manifests).toEqual([
      { type: 'kubernetes:yaml/v2:ConfigFile', name: 'staging-namespaces', files: ['dist/staging/namespaces.yaml'] },
    ]);
  });

  it('renders Markdown with pools, add-ons, key inputs and the dated cost, without secrets', () => {
    const { spec, doc } = docs.get('staging')!;
    const md = renderPlanMarkdown(spec, doc);
    expect(md).toContain('## Plan: stack `staging`');
    expect(md).toContain('#### Pool `agents`');
    expect(md).toContain(
      '| 5 | `hcloud:index/server:Server` | `staging-agents-0` … `staging-agents-4` | serverType: cpx42;',
    );
    expect(md).toContain('location: fsn1, nbg1, hel1');
    expect(md).toContain('| keda | keda | keda | 2.17.2 | keda | https://kedacore.github.io/charts | – | 2 |');
    expect(md).toContain(
      '| vault | vault | vault | 0.30.0 | vault | https://helm.releases.hashicorp.com | `server.ha.replicas=3` | 1 |',
    );
    expect(md).toContain(
      '| staging-namespaces | `kubernetes:yaml/v2:ConfigFile` | – | `dist/staging/namespaces.yaml` |',
    );
    expect(md).toContain(`Instance prices as of **${PRICES_AS_OF.hcloud}**`);
    expect(md).not.toContain('do-not-print');
    const json = planJson(spec, doc) as { pools: { name: string; resources: unknown[] }[] };
    expect(json.pools.map((p) => [p.name, p.resources.length])).toEqual([
      ['control-plane', 3],
      ['api', 3],
      ['agents', 5],
    ]);
  });

  it('prices pools at min and max, and the load balancer the program declares', () => {
    const staging = docs.get('staging')!.doc.cost;
    expect(staging.pools.map((p) => [p.pool, p.unitPrice, p.monthlyMin, p.monthlyMax])).toEqual([
      ['control-plane', 13.99, 41.97, 41.97],
      ['api', 7.99, 23.97, 63.92],
      ['agents', 25.49, 127.45, 305.88],
    ]);
    expect(staging.extras).toEqual([
      { item: 'Load balancer lb11', quantity: 1, unit: 'each', unitPrice: 5.39, monthly: 5.39 },
    ]);
    expect([staging.poolsMin, staging.poolsMax, staging.totalMin, staging.totalMax]).toEqual([
      193.39, 411.77, 198.78, 417.16,
    ]);
    const prod = docs.get('prod')!.doc.cost;
    expect([prod.poolsMin, prod.poolsMax, prod.totalMin, prod.totalMax]).toEqual([287.86, 1229.45, 293.25, 1234.84]);
    expect(prod.currency).toBe('EUR');
  });

  it('refuses an unknown stack, listing the stacks', async () => {
    await expect(planStack({ stack: 'qa', root: REPO_ROOT, program: fakeProgram })).rejects.toThrow(
      new PlanInputError(`--stack "qa": there is no Pulumi.qa.yaml (stacks: ${stackNames()})`),
    );
  });
});

describe('summarizePlan on hand-made recordings', () => {
  const r = (type: string, name: string, inputs: Record<string, unknown> = {}, parent?: string): PlannedResource => ({
    type,
    name,
    urn: `urn:${type}::${name}`,
    custom: !type.startsWith('agent-platform:'),
    inputs,
    ...(parent ? { parent } : {}),
  });

  it('assigns node groups by name, Helm releases by add-on component, and never the API load balancer to the api pool', () => {
    const cluster = r('agent-platform:aws:Cluster', 'staging');
    const addon = r('agent-platform:addons:Istio', 'staging-istio');
    const plan = summarizePlan(stackSpec('staging'), [
      cluster,
      r(
        'aws:eks/nodeGroup:NodeGroup',
        'staging-agents',
        {
          instanceTypes: ['m6i.xlarge'],
          capacityType: 'SPOT',
          scalingConfig: { minSize: 2, desiredSize: 2, maxSize: 10 },
        },
        cluster.urn,
      ),
      r('hcloud:index/loadBalancer:LoadBalancer', 'staging-api-lb', { loadBalancerType: 'lb11' }, cluster.urn),
      addon,
      r(
        'kubernetes:helm.sh/v3:Release',
        'staging-istiod',
        { chart: 'istiod', version: '1.27.1', namespace: 'istio-system' },
        addon.urn,
      ),
      r(
        'kubernetes:helm.sh/v3:Release',
        'staging-istio-base',
        { chart: 'base', version: '1.27.1', namespace: 'istio-system' },
        addon.urn,
      ),
    ]);
    expect(plan.pools.find((p) => p.pool.name === 'agents')!.resources).toEqual([
      {
        type: 'aws:eks/nodeGroup:NodeGroup',
        name: 'staging-agents',
        inputs: [
          { name: 'instanceTypes', value: 'm6i.xlarge' },
          { name: 'capacityType', value: 'SPOT' },
          { name: 'scaling', value: 'min 2, desired 2, max 10' },
        ],
      },
    ]);
    expect(plan.pools.find((p) => p.pool.name === 'api')!.resources).toEqual([]);
    expect(plan.shared[0]!.resources.map((e) => e.name)).toEqual(['staging-api-lb']);
    expect(plan.addons).toEqual([
      expect.objectContaining({
        addon: 'istio',
        releases: [
          { name: 'istio-base', chart: 'base', version: '1.27.1', namespace: 'istio-system' },
          { name: 'istiod', chart: 'istiod', version: '1.27.1', namespace: 'istio-system' },
        ],
      }),
    ]);
  });
});

describe('cost estimate', () => {
  it('names a pool without a price (deprecated type) and leaves it out of the total', () => {
    const raw = rawStack('staging');
    raw.nodePools[1].instanceType = 'cpx21';
    const cost = estimateCost(parseRaw(raw, 'staging'));
    const api = cost.pools.find((p) => p.pool === 'api')!;
    expect(api.unitPrice).toBeUndefined();
    expect(api.notes).toContain('no price: cpx21 is deprecated (use cpx22)');
    expect(cost.unpriced).toEqual(['pool api (cpx21)']);
    expect(cost.poolsMin).toBe(169.42);
  });

  it('counts the load balancers Services of type LoadBalancer create, from Helm values and applied manifests', () => {
    const resources: PlannedResource[] = [
      {
        type: 'kubernetes:helm.sh/v3:Release',
        name: 'lobstack-addons-istio-ingressgateway',
        urn: 'urn:1',
        custom: true,
        inputs: {
          name: 'istio-ingressgateway',
          values: { service: { type: 'LoadBalancer', annotations: { 'load-balancer.hetzner.cloud/type': 'lb21' } } },
        },
      },
      {
        type: 'kubernetes:yaml/v2:ConfigGroup',
        name: 'lobstack-manifests-edge',
        urn: 'urn:2',
        custom: false,
        inputs: {
          yaml: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: edge\n  namespace: web\nspec:\n  type: LoadBalancer\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: internal\nspec:\n  type: ClusterIP\n',
        },
      },
    ];
    expect(serviceLoadBalancers(resources)).toEqual([
      { source: 'release istio-ingressgateway', annotations: { 'load-balancer.hetzner.cloud/type': 'lb21' } },
      { source: 'Service web/edge', annotations: {} },
    ]);
    const cost = estimateCost(stackSpec('staging'), resources);
    expect(cost.extras).toEqual([
      { item: 'Load balancer lb21', quantity: 1, unit: 'each', unitPrice: 16.4, monthly: 16.4 },
      { item: 'Load balancer lb11', quantity: 1, unit: 'each', unitPrice: 5.39, monthly: 5.39 },
    ]);
    expect(cost.notes).toContain(
      'Includes the load balancers the cloud controller creates for Services of type LoadBalancer: release istio-ingressgateway, Service web/edge.',
    );
  });

  it('prices AWS pools in USD with their root volume and marks spot as an upper bound', () => {
    const spec = parseRaw(
      {
        ...rawStack('staging'),
        cloud: {
          provider: 'aws',
          region: 'us-east-1',
          locations: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
          networkCidr: '10.20.0.0/16',
        },
        nodePools: [
          { name: 'system', role: 'system', instanceType: 'm6i.large', min: 2, max: 3 },
          { name: 'api', role: 'api', instanceType: 'm6i.large', min: 2, max: 6 },
          {
            name: 'agents',
            role: 'agents',
            instanceType: 'm6i.xlarge',
            min: 2,
            max: 10,
            capacity: 'spot',
            volumeSizeGiB: 100,
          },
        ],
      },
      'aws-test',
    );
    const cost = estimateCost(spec);
    expect(cost.currency).toBe('USD');
    expect(cost.pricesAsOf).toBe(PRICES_AS_OF.aws);
    const agents = cost.pools.find((p) => p.pool === 'agents')!;
    // m6i.xlarge 0.192 $/h x 730 = 140.16, plus 100 GiB gp3 at 0.08 = 8.
    expect(agents.unitPrice).toBe(148.16);
    expect(agents.monthlyMax).toBe(1481.6);
    expect(agents.notes).toEqual([
      'includes a 100 GiB gp3 root volume per node',
      'spot: priced at the on-demand rate, an upper bound (spot prices float, typically well below)',
    ]);
  });

  it('diffs the node-pool estimate against the base', () => {
    const baseRaw = rawStack('staging');
    baseRaw.nodePools.push({ name: 'batch', role: 'batch', instanceType: 'cx33', min: 1, max: 2 });
    const headRaw = rawStack('staging');
    headRaw.nodePools[2].max = 20;
    headRaw.nodePools.push({ name: 'jobs', role: 'batch', instanceType: 'cx23', min: 1, max: 3 });
    const diff = diffCost(estimateCost(parseRaw(baseRaw, 'staging')), estimateCost(parseRaw(headRaw, 'staging')));
    expect(diff.pools.map((p) => [p.pool, p.change, p.deltaMin, p.deltaMax])).toEqual([
      ['control-plane', 'unchanged', 0, 0],
      ['api', 'unchanged', 0, 0],
      ['agents', 'changed', 0, 203.92],
      ['jobs', 'added', 3.49, 10.47],
      ['batch', 'removed', -5.49, -10.98],
    ]);
    expect([diff.deltaMin, diff.deltaMax]).toEqual([-2, 203.41]);
    expect(diff.currencyChanged).toBe(false);
  });
});

describe('plan cost against a base commit', () => {
  let repo: string;
  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'plan-base-'));
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: repo,
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@e',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@e',
        },
      });
    git('init', '-q', '-b', 'main');
    writeFileSync(join(repo, 'Pulumi.staging.yaml'), readFileSync(join(REPO_ROOT, 'Pulumi.staging.yaml')));
    git('add', '.');
    git('commit', '-q', '-m', 'base');
    const text = readFileSync(join(REPO_ROOT, 'Pulumi.staging.yaml'), 'utf8').replace(
      /instanceType: cpx42 # 8 vCPU, 16 GB\n(\s+)min: 5\n(\s+)max: 12/,
      'instanceType: cpx42 # 8 vCPU, 16 GB\n$1min: 5\n$2max: 16',
    );
    writeFileSync(join(repo, 'Pulumi.staging.yaml'), text);
    writeFileSync(join(repo, 'Pulumi.prod.yaml'), readFileSync(join(REPO_ROOT, 'Pulumi.prod.yaml')));
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('reads the stack file at the base with git show and reports the delta', async () => {
    const { spec, doc } = await planStack({ stack: 'staging', root: repo, program: fakeProgram, baseCommit: 'main' });
    expect(doc.costDiff).toMatchObject({ deltaMin: 0, deltaMax: 101.96 });
    expect(renderPlanMarkdown(spec, doc)).toContain(
      '**Estimated monthly cost:** €198.78 at minimum size, €519.12 at maximum (prices as of 2025-10-15); node pools against the base: €0.00 at minimum, +€101.96 at maximum.',
    );
    expect(renderPlanMarkdown(spec, doc)).toContain(
      '**Cost against the base (node pools):** €193.39–€411.77 → €193.39–€513.73 a month (€0.00 at min, +€101.96 at max).',
    );
  });

  it('says so when the stack is new at the base', async () => {
    const { doc } = await planStack({ stack: 'prod', root: repo, program: fakeProgram, baseCommit: 'main' });
    expect(doc.costDiff).toEqual({ unavailable: 'Pulumi.prod.yaml does not exist at the base (main): a new stack.' });
  });

  it('shows the stack file warnings and names what it cannot price', async () => {
    const text = readFileSync(join(REPO_ROOT, 'Pulumi.staging.yaml'), 'utf8').replace(
      'instanceType: cpx22',
      'instanceType: cpx21',
    );
    writeFileSync(join(repo, 'Pulumi.qa.yaml'), text);
    const { spec, doc } = await planStack({ stack: 'qa', root: repo, program: fakeProgram });
    const md = renderPlanMarkdown(spec, doc);
    expect(md).toContain(
      '> ⚠️ nodePools[1].instanceType: hcloud type cpx21 is deprecated; use cpx22 (its current equivalent)',
    );
    expect(md).toContain(
      '| api | cpx21 | on-demand | 3–8 | n/a | n/a | n/a | no price: cpx21 is deprecated (use cpx22) |',
    );
    expect(md).toContain('Not priced (the total excludes them): pool api (cpx21).');
  });

  it('parses a stack file text the way the loader does', () => {
    const spec = specFromStackText(
      readFileSync(join(REPO_ROOT, 'Pulumi.prod.yaml'), 'utf8'),
      'prod',
      'Pulumi.prod.yaml',
    );
    expect(spec.nodePools.map((p) => p.name)).toEqual(['control-plane', 'api', 'agents']);
  });
});
