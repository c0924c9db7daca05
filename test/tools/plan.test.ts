/**
 * `npm run plan` on the real program (infra/program.ts definePlatform) for both
 * stacks, under the mocked engine: pools, add-ons, shared resources and cost.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADDON_CHARTS, PRICES_AS_OF } from '../../config';
import { createEksCluster } from '../../infra/aws';
import { runPlan } from '../../tools/plan';
import { renderPlanMarkdown, type PlanDocument } from '../../tools/plan/markdown';
import { planStack } from '../../tools/plan/run';
import { REPO_ROOT } from '../support/environments';

interface PlanJson {
  stack: string;
  pools: {
    name: string;
    instanceType: string;
    min: number;
    max: number;
    resources: { type: string; name: string; inputs: { name: string; value: string }[] }[];
  }[];
  addons: {
    addon: string;
    releases: {
      name: string;
      chart?: string;
      version?: string;
      namespace?: string;
      repository?: string;
      replicas?: string[];
    }[];
  }[];
  shared: { group: string; resources: { type: string; name: string; inputs: { name: string; value: string }[] }[] }[];
  manifests: { name: string; type: string; objects?: number }[];
  costDiff?: { deltaMin: number; deltaMax: number; beforeMin: number; afterMax: number };
  cost: {
    currency: string;
    pricesAsOf: string;
    poolsMin: number;
    poolsMax: number;
    totalMin: number;
    totalMax: number;
    extras: unknown[];
    unpriced: string[];
  };
}

const input = (r: { inputs: { name: string; value: string }[] }, name: string) =>
  r.inputs.find((i) => i.name === name)?.value;

describe.each([
  [
    'staging',
    { 'control-plane': ['cpx32', 3], api: ['cpx22', 3], agents: ['cpx42', 5] },
    3,
    [193.39, 411.77, 204.17, 422.55],
  ],
  [
    'prod',
    { 'control-plane': ['cpx32', 3], api: ['cpx32', 3], agents: ['cpx42', 8] },
    5,
    [287.86, 1229.45, 298.64, 1240.23],
  ],
] as const)('npm run plan -- --stack %s', (stack, servers, vaultReplicas, money) => {
  let plan: PlanJson;
  let raw: string;
  let markdown: string;
  beforeAll(async () => {
    // Against HEAD: the stack files in the working tree are those of HEAD, so the cost is unchanged.
    const result = await runPlan(['--stack', stack, '--format', 'json', '--base', 'HEAD'], REPO_ROOT);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    raw = result.out;
    plan = JSON.parse(raw) as PlanJson;
    markdown = renderPlanMarkdown(result.result!.spec, result.result!.doc);
    // The program runs twice under mocks (the base and now): minutes on a busy 2-core machine.
  }, 180_000);

  it('declares the servers of each pool with their type, location spread and pool labels', () => {
    for (const [pool, [type, count]] of Object.entries(servers)) {
      const group = plan.pools.find((p) => p.name === pool)!;
      const created = group.resources.filter((r) => r.type === 'hcloud:index/server:Server');
      expect(created).toHaveLength(count);
      for (const server of created) {
        expect(input(server, 'serverType')).toBe(type);
        expect(input(server, 'labels')).toContain(`agent-platform.io/pool=${pool}`);
      }
      expect(new Set(created.map((s) => input(s, 'location')))).toEqual(new Set(['fsn1', 'nbg1', 'hel1']));
      expect(group.resources.some((r) => r.type === 'hcloud:index/placementGroup:PlacementGroup')).toBe(true);
    }
  });

  it('lists every add-on release with its pinned chart version', () => {
    const releases = plan.addons.flatMap((a) => a.releases);
    const pinned = Object.values(ADDON_CHARTS);
    expect(releases.length).toBeGreaterThanOrEqual(12);
    for (const release of releases) {
      const pin = pinned.find((p) => p.chart === release.chart);
      expect(pin).toBeDefined();
      expect(release.version).toBe(pin!.version);
      expect(release.repository).toBe(pin!.repository);
    }
    expect(plan.addons.find((a) => a.addon === 'vault')!.releases[0]!.replicas).toContain(
      `server.ha.replicas=${vaultReplicas}`,
    );
  });

  it('shows the API load balancer, the network and the firewall from the admin CIDRs', () => {
    const shared = plan.shared.flatMap((g) => g.resources);
    expect(
      input(
        shared.find((r) => r.type === 'hcloud:index/loadBalancer:LoadBalancer')!,
        'loadBalancerType',
      ),
    ).toBe('lb11');
    expect(
      input(
        shared.find((r) => r.type === 'hcloud:index/network:Network')!,
        'ipRange',
      ),
    ).toMatch(/^10\.\d+\.0\.0\/16$/);
    expect(
      input(
        shared.find((r) => r.type === 'hcloud:index/firewall:Firewall')!,
        'rules',
      ),
    ).toContain('in tcp/6443 from ["203.0.113.0/24"');
  });

  it('applies the reviewed dist/ files as manifest groups', () => {
    expect(plan.manifests.map((m) => m.name)).toContain('namespaces');
    expect(plan.manifests.find((m) => m.name === 'namespaces')!.objects).toBeGreaterThan(0);
  });

  it('estimates the monthly cost at min and max size, with the API and ingress load balancers', () => {
    expect([plan.cost.poolsMin, plan.cost.poolsMax, plan.cost.totalMin, plan.cost.totalMax]).toEqual(money);
    expect(plan.cost.currency).toBe('EUR');
    expect(plan.cost.unpriced).toEqual([
      `primary IPv4 addresses of ${Object.values(servers).reduce((n, [, count]) => n + count, 0)} servers (billed per server, and per autoscaled node)`,
    ]);
    expect(plan.cost.extras).toEqual([
      { item: 'Load balancer lb11', quantity: 2, unit: 'each', unitPrice: 5.39, monthly: 10.78 },
    ]);
  });

  it('compares the cost with the stack file at the base', () => {
    expect(plan.costDiff).toMatchObject({ deltaMin: 0, deltaMax: 0, beforeMin: money[0], afterMax: money[1] });
    expect(markdown).toContain(
      `Cost against the base: node pools unchanged (€${money[0].toFixed(2)}–€${money[1].toFixed(2)} a month).`,
    );
  });

  it('renders Markdown: pools, add-ons with versions, cost with its date', () => {
    expect(markdown.startsWith(`## Plan: stack \`${stack}\``)).toBe(true);
    expect(markdown).toContain('#### Pool `agents`');
    expect(markdown).toContain(`| vault | vault | vault | ${ADDON_CHARTS.vault.version} | lobstack-vault |`);
    expect(markdown).toContain(`Instance prices as of **${PRICES_AS_OF.hcloud}**`);
  });

  it('prints no credential', () => {
    for (const text of [raw, markdown]) {
      expect(text).not.toMatch(/offline-plan-placeholder|PRIVATE KEY|BEGIN CERTIFICATE|K10[0-9a-f]{20}/);
    }
  });
});

describe('plan and cost of an AWS environment (examples/lobstack-aws, EKS cluster module)', () => {
  let repo: string;
  let doc: PlanDocument;
  beforeAll(async () => {
    repo = mkdtempSync(join(tmpdir(), 'plan-aws-'));
    execFileSync('git', ['init', '-q'], { cwd: repo });
    copyFileSync(
      join(REPO_ROOT, 'examples', 'lobstack-aws', 'Pulumi.lobstack-aws.yaml'),
      join(repo, 'Pulumi.lobstack-aws.yaml'),
    );
    ({ doc } = await planStack({
      stack: 'lobstack-aws',
      root: repo,
      program: (spec) => createEksCluster(spec.name, spec),
    }));
  }, 180_000);
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('groups the managed node groups by pool with type, capacity and scaling', () => {
    const groups = (pool: string) =>
      doc.plan.pools
        .find((p) => p.pool.name === pool)!
        .resources.filter((r) => r.type === 'aws:eks/nodeGroup:NodeGroup');
    expect(groups('agents')).toHaveLength(1);
    expect(groups('agents')[0]!.inputs).toEqual(
      expect.arrayContaining([
        { name: 'instanceTypes', value: 'c6i.2xlarge' },
        { name: 'capacityType', value: 'ON_DEMAND' },
        { name: 'scaling', value: 'min 5, desired 5, max 12' },
      ]),
    );
    expect(groups('system')[0]!.inputs).toContainEqual({ name: 'scaling', value: 'min 3, desired 3, max 5' });
  });

  it('prices pools in USD with their gp3 root volumes, plus the EKS control plane and NAT gateway', () => {
    expect(doc.cost.currency).toBe('USD');
    expect(doc.cost.pools.map((p) => [p.pool, p.unitPrice, p.monthlyMin, p.monthlyMax])).toEqual([
      ['system', 148.16, 444.48, 740.8],
      ['api', 74.08, 222.24, 592.64],
      ['agents', 264.2, 1321, 3170.4],
    ]);
    expect(doc.cost.extras.map((e) => [e.item, e.quantity, e.monthly])).toEqual([
      ['NAT gateway', 1, 32.85],
      ['EKS cluster', 1, 73],
    ]);
    expect([doc.cost.totalMin, doc.cost.totalMax]).toEqual([2093.57, 4609.69]);
  });
});

describe('npm run plan: failures', () => {
  it("exits 1 with the program's own message when the program refuses (e.g. a stale dist/)", async () => {
    class DistError extends Error {
      override readonly name = 'DistError';
    }
    const refusing = () => {
      throw new DistError('refusing to deploy dist/staging/ (nothing was changed): run `npm run synth`');
    };
    expect(await runPlan(['--stack', 'staging', '--no-base'], REPO_ROOT, refusing)).toEqual({
      code: 1,
      out: '',
      err: 'plan: the program failed under the mocked engine: DistError: refusing to deploy dist/staging/ (nothing was changed): run `npm run synth`\n',
    });
  });

  it('exits 2 for an unknown stack, a bad format or a bad base', async () => {
    expect(await runPlan(['--stack', 'qa'], REPO_ROOT)).toEqual({
      code: 2,
      out: '',
      err: 'plan: --stack "qa": there is no Pulumi.qa.yaml (stacks: prod, staging)\n',
    });
    const format = await runPlan(['--stack', 'staging', '--format', 'html'], REPO_ROOT);
    expect(format.code).toBe(2);
    expect(format.err).toContain(
      "option '--format <format>' argument 'html' is invalid. Allowed choices are markdown, json.",
    );
    const missing = await runPlan([], REPO_ROOT);
    expect(missing).toMatchObject({ code: 2, err: "plan: error: required option '--stack <name>' not specified\n" });
    const base = await runPlan(['--stack', 'staging', '--base', 'no-such-ref'], REPO_ROOT);
    expect(base.code).toBe(2);
    expect(base.err).toMatch(/^plan: --base "no-such-ref" is not a commit in this repository/);
  });
});
