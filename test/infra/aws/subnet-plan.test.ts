import { planSubnets, zoneSlot } from '../../../infra/aws/subnet-plan';

const ZONES = ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'];

describe('planSubnets', () => {
  it('gives each zone a /19 private and a /22 public subnet of a /16, by zone letter', () => {
    expect(planSubnets('10.30.0.0/16', 'eu-central-1', ZONES)).toEqual([
      { zone: 'eu-central-1a', privateCidr: '10.30.0.0/19', publicCidr: '10.30.224.0/22' },
      { zone: 'eu-central-1b', privateCidr: '10.30.32.0/19', publicCidr: '10.30.228.0/22' },
      { zone: 'eu-central-1c', privateCidr: '10.30.64.0/19', publicCidr: '10.30.232.0/22' },
    ]);
  });

  it('does not renumber a zone when the list is reordered or a zone is added', () => {
    const before = planSubnets('10.30.0.0/16', 'eu-central-1', ['eu-central-1a', 'eu-central-1c']);
    const after = planSubnets('10.30.0.0/16', 'eu-central-1', ['eu-central-1c', 'eu-central-1b', 'eu-central-1a']);
    for (const zone of before) expect(after.find((z) => z.zone === zone.zone)).toEqual(zone);
  });

  it('scales with the VPC prefix (/20: /23 private, /26 public)', () => {
    expect(planSubnets('10.1.16.0/20', 'us-east-1', ['us-east-1f'])).toEqual([
      { zone: 'us-east-1f', privateCidr: '10.1.26.0/23', publicCidr: '10.1.31.64/26' },
    ]);
  });

  it('keeps private and public ranges disjoint for all six zone letters', () => {
    const plan = planSubnets(
      '10.0.0.0/16',
      'us-east-1',
      ['a', 'b', 'c', 'd', 'e', 'f'].map((l) => `us-east-1${l}`),
    );
    const cidrs = plan.flatMap((z) => [z.privateCidr, z.publicCidr]);
    expect(new Set(cidrs).size).toBe(12);
    expect(plan.map((z) => z.privateCidr)).not.toContain('10.0.224.0/19');
  });

  it('refuses a VPC range that is too small or too large', () => {
    expect(() => planSubnets('10.0.0.0/24', 'eu-central-1', ZONES)).toThrow(
      "'cloud.networkCidr' (10.0.0.0/24) must be a /16 to /20 on aws: each zone gets a /27 for nodes and pods (the VPC CNI gives every pod a VPC address)",
    );
    expect(() => planSubnets('10.0.0.0/8', 'eu-central-1', ZONES)).toThrow('must be a /16 to /20');
  });

  it('refuses a range with host bits set, naming the range to use', () => {
    expect(() => planSubnets('10.30.1.0/16', 'eu-central-1', ZONES)).toThrow(
      "'cloud.networkCidr' (10.30.1.0/16) has host bits set; use 10.30.0.0/16",
    );
  });

  it('refuses a zone outside the region or without a letter suffix', () => {
    expect(() => zoneSlot('eu-west-1a', 'eu-central-1')).toThrow(
      `'cloud.locations' entry "eu-west-1a" must be an availability zone of eu-central-1 ending in one letter a-f (e.g. eu-central-1a)`,
    );
    expect(() => zoneSlot('eu-central-1-az1', 'eu-central-1')).toThrow('ending in one letter a-f');
  });

  it('refuses a zone listed twice', () => {
    expect(() => planSubnets('10.30.0.0/16', 'eu-central-1', ['eu-central-1a', 'eu-central-1a'])).toThrow(
      "'cloud.locations' lists eu-central-1a twice",
    );
  });
});
