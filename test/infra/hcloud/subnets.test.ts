import {
  allocateSubnets,
  cidrsOverlap,
  hostIp,
  slotOf,
  SubnetCollisionError,
  subnetSlots,
} from '../../../infra/hcloud/subnets';

/** Two distinct names that hash to the same slot of a /16 (found, not hard-coded). */
function collidingPair(): [string, string] {
  const seen = new Map<number, string>();
  for (let i = 0; ; i++) {
    const name = `pool-${i}`;
    const slot = slotOf(name, 256);
    const other = seen.get(slot);
    if (other) return [other, name];
    seen.set(slot, name);
  }
}

describe('allocateSubnets', () => {
  const pools = ['control-plane', 'api', 'agents'];

  it('gives each pool a /24 inside the network, derived from its name', () => {
    const plan = allocateSubnets('10.10.0.0/16', pools);
    for (const pool of pools) {
      const subnet = plan.pools.get(pool)!;
      expect(subnet.cidr).toBe(`10.10.${subnet.slot}.0/24`);
      expect(subnet.slot).toBe(slotOf(pool, 256));
      expect(subnet.slot).toBeLessThan(255);
    }
    expect(new Set(pools.map((p) => plan.pools.get(p)!.cidr)).size).toBe(3);
  });

  it('reserves the last /24 for autoscaled nodes', () => {
    expect(allocateSubnets('10.10.0.0/16', pools).autoscaled).toEqual({ slot: 255, cidr: '10.10.255.0/24' });
    expect(allocateSubnets('10.20.0.0/20', pools).autoscaled).toEqual({ slot: 15, cidr: '10.20.15.0/24' });
  });

  it('keeps every subnet when pools are reordered, added or removed', () => {
    const before = allocateSubnets('10.10.0.0/16', pools);
    const reordered = allocateSubnets('10.10.0.0/16', ['agents', 'control-plane', 'api']);
    const added = allocateSubnets('10.10.0.0/16', ['gpu', ...pools, 'batch']);
    const removed = allocateSubnets('10.10.0.0/16', ['agents', 'control-plane']);
    for (const pool of pools) {
      expect(reordered.pools.get(pool)).toEqual(before.pools.get(pool));
      expect(added.pools.get(pool)).toEqual(before.pools.get(pool));
    }
    expect(removed.pools.get('agents')).toEqual(before.pools.get('agents'));
    expect(removed.pools.get('control-plane')).toEqual(before.pools.get('control-plane'));
  });

  it('refuses two pools whose names share a subnet, naming both', () => {
    const [a, b] = collidingPair();
    expect(() => allocateSubnets('10.10.0.0/16', [a, b])).toThrow(SubnetCollisionError);
    const slot = slotOf(a, 256);
    expect(() => allocateSubnets('10.10.0.0/16', [a, b])).toThrow(
      `pool "${b}" hashes to the same subnet as pool "${a}" (10.10.${slot}.0/24 in cloud.networkCidr 10.10.0.0/16); ` +
        'subnets are allocated by pool name so that adding, removing or reordering pools never renumbers nodes: ' +
        'give whichever of the two pools is new another name (renaming a live pool replaces its servers)',
    );
  });

  it('refuses a network smaller than two /24s', () => {
    expect(() => allocateSubnets('10.10.0.0/24', pools)).toThrow(
      'cloud.networkCidr (10.10.0.0/24) must be a /23 or larger to hold one /24 per pool',
    );
  });
});

describe('address helpers', () => {
  it('counts /24 slots', () => {
    expect(subnetSlots('10.0.0.0/16')).toBe(256);
    expect(subnetSlots('10.0.0.0/23')).toBe(2);
    expect(subnetSlots('10.0.0.0/25')).toBe(0);
  });

  it('computes host addresses and overlaps', () => {
    expect(hostIp('10.10.37.0/24', 250)).toBe('10.10.37.250');
    expect(cidrsOverlap('10.42.0.0/16', '10.0.0.0/8')).toBe(true);
    expect(cidrsOverlap('10.10.0.0/16', '10.42.0.0/16')).toBe(false);
  });
});
