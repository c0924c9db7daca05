import * as pulumi from '@pulumi/pulumi';
import { installMocks } from '../../support/pulumi-mocks';
import { stackSpec } from '../../support/environments';
import { checkHcloudSpec, validateHcloudSpec } from '../../../infra/hcloud/validate';
import { slotOf } from '../../../infra/hcloud/subnets';
import { instanceType, type EnvironmentSpec, type NodePool } from '../../../config';

const mocks = installMocks();

type Pool = { -readonly [K in keyof NodePool]: NodePool[K] };

/** The staging spec with some pools changed (specs are read-only: copy, never mutate). */
function withPools(edit: (pools: Pool[]) => Pool[], extra: Partial<EnvironmentSpec> = {}): EnvironmentSpec {
  const spec = stackSpec('staging');
  return { ...spec, ...extra, nodePools: edit(spec.nodePools.map((p) => ({ ...p }))) };
}
const pool = (pools: Pool[], name: string) => pools.find((p) => p.name === name)!;
const problemsOf = (spec: EnvironmentSpec) => checkHcloudSpec(spec).problems;

describe('validateHcloudSpec', () => {
  it('accepts both real stacks without warnings', () => {
    for (const stack of ['staging', 'prod'] as const) {
      const result = checkHcloudSpec(stackSpec(stack));
      expect(result.problems).toEqual([]);
      expect(result.warnings).toEqual([]);
      expect(result.subnets!.pools.size).toBe(3);
    }
  });

  it('refuses a server type Hetzner does not sell, naming the pool', () => {
    const spec = withPools((pools) => {
      pool(pools, 'api').instanceType = 'cpx99';
      return pools;
    });
    expect(problemsOf(spec)).toEqual([
      {
        propertyPath: 'nodePools[1].instanceType',
        reason: expect.stringMatching(
          /^\(cpx99\) of pool "api" is not a Hetzner server type \(allowed: cpx22, cpx32, .*\)$/,
        ),
      },
    ]);
  });

  it('warns about a deprecated server type with its replacement, through pulumi.log.warn', () => {
    const warn = jest.spyOn(pulumi.log, 'warn').mockResolvedValue();
    const spec = withPools((pools) => {
      const api = pool(pools, 'api');
      api.instanceType = 'cpx21';
      api.instance = instanceType('hcloud', 'cpx21')!;
      return pools;
    });
    validateHcloudSpec(spec);
    expect(warn).toHaveBeenCalledWith(
      'nodePools[1].instanceType: Hetzner deprecated cpx21 (pool "api"); use cpx22, its current equivalent',
    );
    warn.mockRestore();
  });

  it('refuses a location outside the catalogue or the network zone', () => {
    const spec = {
      ...stackSpec('staging'),
      cloud: { ...stackSpec('staging').cloud, locations: ['fsn1', 'ash', 'mars1'] },
    };
    expect(problemsOf(spec)).toEqual(
      expect.arrayContaining([
        {
          propertyPath: 'cloud.locations[1]',
          reason:
            '(ash) is in network zone us-east, not in cloud.region (eu-central); one private network spans one zone',
        },
        {
          propertyPath: 'cloud.locations[2]',
          reason: '(mars1) is not a Hetzner location (allowed: fsn1, nbg1, hel1, ash, hil, sin)',
        },
      ]),
    );
  });

  it('refuses pools that could grow past 100 servers in the network', () => {
    const spec = withPools((pools) => {
      pool(pools, 'agents').max = 90;
      return pools;
    });
    expect(problemsOf(spec)).toEqual([
      {
        propertyPath: 'nodePools',
        reason:
          "can grow to 101 servers (control-plane: 3, api: 8, agents: 90); a Hetzner network holds at most 100: lower the pools' max (with the other pools as they are, agents fits at most 89)",
      },
    ]);
  });

  it('splits a pool of more than 10 static servers over several spread groups', () => {
    const spec = withPools((pools) => {
      Object.assign(pool(pools, 'agents'), { min: 25, max: 40 });
      return pools;
    });
    expect(problemsOf(spec)).toEqual([]);
  });

  it('refuses more spread placement groups than a project allows', () => {
    const spec = withPools((pools) => [
      ...pools,
      ...Array.from({ length: 10 }, (_, i) => ({ ...pool(pools, 'api'), name: `batch${i}`, min: 50, max: 50 })),
    ]);
    const problems = problemsOf(spec).filter((p) => p.reason.includes('placement groups'));
    expect(problems).toEqual([
      {
        propertyPath: 'nodePools',
        reason:
          'need 53 spread placement groups of 10 servers (control-plane: 1, api: 1, agents: 1, batch0: 5, batch1: 5, batch2: 5, batch3: 5, batch4: 5, batch5: 5, batch6: 5, batch7: 5, batch8: 5, batch9: 5); ' +
          "a Hetzner project allows 50: lower the pools' min or raise the project limit with Hetzner",
      },
    ]);
  });

  it('refuses two pools whose names hash to the same subnet, naming the pool', () => {
    const taken = new Set(stackSpec('staging').nodePools.map((p) => slotOf(p.name, 256)));
    let name = '';
    for (let i = 0; !name; i++) if (taken.has(slotOf(`extra-${i}`, 256))) name = `extra-${i}`;
    const spec = withPools((pools) => [...pools, { ...pool(pools, 'api'), name, min: 0, max: 1 }]);
    expect(problemsOf(spec)).toEqual([
      {
        propertyPath: 'nodePools[3].name',
        reason: expect.stringMatching(new RegExp(`^pool "${name}" hashes to the same subnet as pool "`)),
      },
    ]);
  });

  it('refuses a network that overlaps the k3s pod or service range', () => {
    const base = stackSpec('staging');
    const spec = { ...base, cloud: { ...base.cloud, networkCidr: '10.42.0.0/16' } };
    expect(problemsOf(spec)).toEqual([
      {
        propertyPath: 'cloud.networkCidr',
        reason: '(10.42.0.0/16) overlaps the k3s pod range 10.42.0.0/16; choose e.g. 10.10.0.0/16',
      },
    ]);
  });

  it('refuses names that make server names longer than a DNS label', () => {
    const spec = withPools((pools) => pools, {
      name: 'a-very-long-platform',
      stack: 'a-rather-long-stack-name-for-tests',
    });
    expect(problemsOf(spec).map((p) => p.propertyPath)).toEqual(
      expect.arrayContaining(['nodePools[0].name', 'nodePools[2].name']),
    );
  });

  it('warns that initial above min is not applied on an autoscaled pool', () => {
    const spec = withPools((pools) => {
      pool(pools, 'agents').initial = 7;
      return pools;
    });
    expect(checkHcloudSpec(spec).warnings).toEqual([
      'nodePools[2].initial: pool "agents" starts with min (5) servers on hcloud, not initial (7): the program creates min servers and the cluster autoscaler adds up to max (12) on demand',
    ]);
  });

  it('refuses an environment without a control-plane pool', () => {
    const spec = withPools((pools) => pools.filter((p) => p.role !== 'control-plane'));
    expect(problemsOf(spec)).toEqual([
      {
        propertyPath: 'nodePools',
        reason:
          'must contain exactly one pool with role "control-plane" and at least one server (the k3s servers); found none',
      },
    ]);
  });

  it('refuses a non-hcloud environment', () => {
    const base = stackSpec('staging');
    const spec = { ...base, cloud: { ...base.cloud, provider: 'aws' as const } };
    expect(problemsOf(spec)).toEqual([
      { propertyPath: 'cloud.provider', reason: 'is "aws"; the hcloud module builds only "hcloud" environments' },
    ]);
  });

  it('throws one InputPropertiesError listing every problem, before any resource is registered', async () => {
    const { createHcloudCluster } = await import('../../../infra/hcloud');
    const spec = withPools((pools) => {
      pool(pools, 'api').instanceType = 'cpx99';
      pool(pools, 'agents').max = 95;
      return pools;
    });
    const before = mocks.resources.length;
    let error: unknown;
    try {
      createHcloudCluster('bad', spec, { token: pulumi.secret('t') });
    } catch (e) {
      error = e;
    }
    expect(pulumi.InputPropertiesError.isInstance(error)).toBe(true);
    const e = error as pulumi.InputPropertiesError;
    expect(e.errors.map((x) => x.propertyPath)).toEqual(['nodePools[1].instanceType', 'nodePools']);
    expect(e.message).toMatch(
      /^environment "lobstack" \(stack staging\) cannot be built on Hetzner Cloud:\n {2}nodePools\[1\]\.instanceType: \(cpx99\) of pool "api"/,
    );
    expect(e.message).toContain('\n  nodePools: can grow to 106 servers');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(mocks.resources.length).toBe(before);
  });
});
