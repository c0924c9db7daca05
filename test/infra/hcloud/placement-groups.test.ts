import * as hcloud from '@pulumi/hcloud';
import { installMocks, valueOf } from '../../support/pulumi-mocks';
import { placementGroupCount, placementGroupIndex, PoolPlacementGroups } from '../../../infra/hcloud/placement-groups';

const mocks = installMocks();

describe('PoolPlacementGroups', () => {
  it('needs one spread group per 10 static servers', () => {
    expect([0, 1, 10, 11, 25].map(placementGroupCount)).toEqual([0, 1, 1, 2, 3]);
    expect([0, 9, 10, 19, 20].map(placementGroupIndex)).toEqual([0, 0, 1, 1, 2]);
  });

  it('creates the groups of a 25-server pool with stable names, and maps servers to them', async () => {
    const provider = new hcloud.Provider('pg-hcloud', { token: 't' });
    const groups = new PoolPlacementGroups('pg', {
      spec: { name: 'lobstack', stack: 'prod' },
      pool: 'agents',
      servers: 25,
      provider,
    });
    await Promise.all(groups.groups.map((g) => valueOf(g.urn)));
    const recorded = mocks.ofType('hcloud:index/placementGroup:PlacementGroup');
    expect(recorded.map((r) => [r.name, r.inputs.name, r.inputs.type])).toEqual([
      ['pg-0', 'lobstack-prod-agents-0', 'spread'],
      ['pg-1', 'lobstack-prod-agents-1', 'spread'],
      ['pg-2', 'lobstack-prod-agents-2', 'spread'],
    ]);
    expect(groups.groupFor(24)).toBe(groups.groups[2]);
    expect(() => groups.groupFor(30)).toThrow('server 30 has no placement group (pool has 3)');
  });
});
