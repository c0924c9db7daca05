import {
  allowedDisruptions,
  DEFAULT_PDB_MIN_AVAILABLE,
  limitRangeBreaches,
  limitRangeOrderViolations,
  limitsBelowRequests,
  minAvailableBlocksDrain,
  modelAmount,
} from '../../../config/rules';
import { parseQuantity } from '../../../config/manifest';

describe('limitsBelowRequests: every limit is at least its request', () => {
  it('returns each resource whose limit is below its request, in the order of the requests', () => {
    expect(limitsBelowRequests({ cpu: '2', memory: '1Gi' }, { cpu: '1500m', memory: '512Mi' })).toEqual([
      { resource: 'cpu', request: '2', limit: '1500m' },
      { resource: 'memory', request: '1Gi', limit: '512Mi' },
    ]);
  });

  it('compares amounts, not text: 1 core = 1000m, 1Gi > 1G', () => {
    expect(limitsBelowRequests({ cpu: '1000m', memory: '1G' }, { cpu: '1', memory: '1Gi' })).toEqual([]);
    expect(limitsBelowRequests({ memory: '1Gi' }, { memory: '1G' })).toEqual([
      { resource: 'memory', request: '1Gi', limit: '1G' },
    ]);
  });

  it('does not judge a resource missing on one side, or a value that is not a quantity', () => {
    expect(limitsBelowRequests({ cpu: '2', memory: '1Gi' }, { memory: '2Gi' })).toEqual([]);
    expect(limitsBelowRequests({ cpu: 'lots' }, { cpu: '1' })).toEqual([]);
  });

  it('reads values through the amount it is given (the gate: any Kubernetes quantity)', () => {
    const gate = (_r: string, v: unknown) => parseQuantity(v);
    expect(limitsBelowRequests<unknown>({ memory: '2e9' }, { memory: '1Gi' }, gate)).toEqual([
      { resource: 'memory', request: '2e9', limit: '1Gi' },
    ]);
  });
});

describe('limitRangeOrderViolations: min <= defaultRequest <= default <= max', () => {
  const ordered = {
    min: { cpu: '50m', memory: '64Mi' },
    defaultRequest: { cpu: '100m', memory: '128Mi' },
    default: { cpu: '500m', memory: '512Mi' },
    max: { cpu: '4', memory: '8Gi' },
  };

  it('accepts an ordered item, equal neighbours included', () => {
    expect(limitRangeOrderViolations(ordered)).toEqual([]);
    expect(limitRangeOrderViolations({ ...ordered, default: ordered.max })).toEqual([]);
  });

  it('reports a default above the max on the larger field', () => {
    expect(limitRangeOrderViolations({ ...ordered, default: { cpu: '8', memory: '512Mi' } })).toEqual([
      { resource: 'cpu', lower: 'default', upper: 'max', low: '8', high: '4' },
    ]);
  });

  it('reports every pair out of order, by lower field then upper field', () => {
    const violations = limitRangeOrderViolations({ ...ordered, min: { cpu: '5', memory: '64Mi' } });
    expect(violations.map((v) => `${v.upper}.${v.resource} < ${v.lower}.${v.resource}`)).toEqual([
      'defaultRequest.cpu < min.cpu',
      'default.cpu < min.cpu',
      'max.cpu < min.cpu',
    ]);
  });

  it('judges only the fields and resources that are set (a PVC item: min <= max of storage)', () => {
    expect(limitRangeOrderViolations({ min: { storage: '10Gi' }, max: { storage: '1Gi' } })).toEqual([
      { resource: 'storage', lower: 'min', upper: 'max', low: '10Gi', high: '1Gi' },
    ]);
    expect(limitRangeOrderViolations({ max: { memory: '1Gi' }, default: { cpu: '8' } })).toEqual([]);
  });
});

describe('limitRangeBreaches: requests at least min, limits at most max', () => {
  const bounds = { min: { cpu: '100m', memory: '64Mi' }, max: { cpu: '2', memory: '4Gi' } };

  it('admits a container within the bounds, equal values included', () => {
    expect(
      limitRangeBreaches({ requests: { cpu: '100m', memory: '1Gi' }, limits: { cpu: '2', memory: '4Gi' } }, bounds),
    ).toEqual([]);
  });

  it('reports a request below min and a limit above max, per resource, requests first', () => {
    expect(
      limitRangeBreaches({ requests: { cpu: '50m', memory: '1Gi' }, limits: { cpu: '4', memory: '8Gi' } }, bounds),
    ).toEqual([
      { resource: 'cpu', kind: 'requests', value: '50m', bound: 'min', boundValue: '100m' },
      { resource: 'cpu', kind: 'limits', value: '4', bound: 'max', boundValue: '2' },
      { resource: 'memory', kind: 'limits', value: '8Gi', bound: 'max', boundValue: '4Gi' },
    ]);
  });

  it('judges only what is set: a pod item with a max alone', () => {
    expect(limitRangeBreaches({ limits: { cpu: '12' } }, { max: { cpu: '9' } })).toEqual([
      { resource: 'cpu', kind: 'limits', value: '12', bound: 'max', boundValue: '9' },
    ]);
    expect(limitRangeBreaches({ requests: { cpu: '1m' } }, { max: { cpu: '9' } })).toEqual([]);
  });
});

describe('PodDisruptionBudgets leave a disruption at the floor', () => {
  it('counts the disruptions minAvailable and maxUnavailable allow, integers and percentages', () => {
    expect(allowedDisruptions('minAvailable', 2, 3)).toBe(1);
    expect(allowedDisruptions('minAvailable', '50%', 3)).toBe(1); // ceil(1.5) = 2 must stay
    expect(allowedDisruptions('maxUnavailable', '50%', 3)).toBe(1); // floor(1.5)
    expect(allowedDisruptions('maxUnavailable', 0, 3)).toBe(0);
    expect(allowedDisruptions('minAvailable', 'most', 3)).toBeUndefined();
  });

  it('a minAvailable at or above the floor blocks every drain', () => {
    expect(minAvailableBlocksDrain(2, 3)).toBe(false);
    expect(minAvailableBlocksDrain(2, 2)).toBe(true);
    expect(minAvailableBlocksDrain(3, 2)).toBe(true);
  });

  it("one default for pdbMinAvailable: the model's documented 2", () => {
    expect(DEFAULT_PDB_MIN_AVAILABLE).toBe(2);
  });
});

describe('modelAmount: the model quantities', () => {
  it('reads cpu as millicores and everything else as bytes; anything else is not comparable', () => {
    expect(modelAmount('cpu', '1.5')).toBe(1500);
    expect(modelAmount('memory', '1Ki')).toBe(1024);
    expect(modelAmount('storage', '1G')).toBe(1e9);
    expect(modelAmount('cpu', '1Gi')).toBeUndefined();
  });
});
