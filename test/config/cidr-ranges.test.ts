import { containsRange, covers, parseAddressOrCidr as parseCidr } from '../../config/cidr-ranges';

// The gate's NetworkPolicy rules and the model's dangerous-settings checks share this arithmetic.
describe('CIDR arithmetic', () => {
  it('parses IPv4 and IPv6 ranges, clearing host bits', () => {
    expect(parseCidr('10.1.2.3/8')).toEqual({ family: 4, base: 10n << 24n, prefix: 8 });
    expect(parseCidr('169.254.169.254')).toMatchObject({ family: 4, prefix: 32 });
    expect(parseCidr('fd00:ec2::254')).toEqual({
      family: 6,
      base: 0xfd000ec2000000000000000000000254n,
      prefix: 128,
    });
    expect(parseCidr('::/0')).toEqual({ family: 6, base: 0n, prefix: 0 });
  });

  it('refuses malformed ranges', () => {
    for (const bad of ['10.0.0.0/33', '256.0.0.0/8', '10.0.0/8', '1::2::3', 'fe80::/129', 'x/8', '10.0.0.0/-1']) {
      expect(parseCidr(bad)).toBeUndefined();
    }
  });

  it('contains within one family only', () => {
    expect(covers('0.0.0.0/0', '169.254.169.254')).toBe(true);
    expect(covers('169.254.0.0/16', '169.254.169.254')).toBe(true);
    expect(covers('10.0.0.0/8', '169.254.169.254')).toBe(false);
    expect(covers('::/0', 'fd00:ec2::254')).toBe(true);
    expect(covers('fc00::/7', 'fd00:ec2::254')).toBe(true);
    expect(covers('::/0', '169.254.169.254')).toBe(false);
    expect(covers('10.0.0.0/8', '10.0.0.0/7')).toBe(false);
    expect(containsRange(parseCidr('172.16.0.0/12')!, parseCidr('172.31.255.0/24')!)).toBe(true);
  });
});
