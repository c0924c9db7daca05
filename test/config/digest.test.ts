import { environmentDigest, stableJson } from '../../config';
import { stackSpec } from '../support/environments';

/** The definition stableJson must keep: sorted keys, undefined dropped, computed naively. */
function naive(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(naive).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${naive(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

describe('stableJson', () => {
  it('sorts keys by code unit, drops undefined members, keeps array holes as empty', () => {
    const value = {
      b: [1, undefined, null, { z: undefined, y: 'é', Y: 1, '10': 2, '9': 3 }],
      a: undefined,
      ä: 1,
      A: 2,
    };
    expect(stableJson(value)).toBe('{"A":2,"b":[1,,null,{"10":2,"9":3,"Y":1,"y":"é"}],"ä":1}');
    expect(stableJson(value)).toBe(naive(value));
  });

  it('gives the same text for an object shared in many places as for separate copies', () => {
    const quota = { pods: 50, cpu: '8' };
    const shared = { tenants: [{ quota }, { quota }, { quota }] };
    const copies = { tenants: [{ quota: { ...quota } }, { quota: { cpu: '8', pods: 50 } }, { quota: { ...quota } }] };
    expect(stableJson(shared)).toBe(stableJson(copies));
    expect(stableJson(shared)).toBe(naive(shared));
  });

  it('is the naive definition on both real environments', () => {
    for (const stack of ['staging', 'prod'] as const) {
      const spec = stackSpec(stack);
      expect(stableJson(spec)).toBe(naive(spec));
      expect(environmentDigest(spec)).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});
