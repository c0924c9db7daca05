/** One quantity module: the Kubernetes grammar, values in base units, canonical forms, the platform forms. */
import * as config from '../../../config';
import { bytes, canonicalQuantity, cpuMillis, parseQuantity, QUANTITY_PATTERN } from '../../../config/manifest';

describe('parseQuantity', () => {
  test.each([
    ['500m', 0.5],
    ['2', 2],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['1e3', 1000],
    ['1E', 1e18],
    ['100n', 100e-9],
    ['5u', 5e-6],
    ['.5', 0.5],
    ['-1k', -1000],
    [' 2Mi ', 2 * 2 ** 20],
    [3, 3],
  ])('%p is %p in base units', (value, expected) => {
    expect(parseQuantity(value)).toBeCloseTo(expected, 15);
  });

  test.each(['', '.', 'abc', '1Kb', '1ki', '1.2.3', 'Infinity'])('%p is not a quantity', (value) => {
    expect(parseQuantity(value)).toBeUndefined();
    expect(new RegExp(QUANTITY_PATTERN).test(value)).toBe(false);
  });
});

test('canonical forms follow the API server', () => {
  expect(canonicalQuantity('1000m')).toBe('1');
  expect(canonicalQuantity('0.5')).toBe('500m');
  expect(canonicalQuantity('1024Mi')).toBe('1Gi');
  // A lone E is the exa suffix, not an exponent (the canonical form read it as 1 before).
  expect(canonicalQuantity('2E')).toBe('2E');
  expect(canonicalQuantity('2e3')).toBe('2e3');
  expect(() => canonicalQuantity('1.2.3')).toThrow("'1.2.3' is not a Kubernetes quantity");
});

test('the platform forms keep their grammar and messages', () => {
  expect(cpuMillis('250m')).toBe(250);
  expect(cpuMillis('1.5')).toBe(1500);
  expect(bytes('512Mi')).toBe(536870912);
  expect(bytes('1K')).toBe(1000);
  expect(() => cpuMillis('1Gi')).toThrow("'1Gi' is not a CPU quantity (examples: 250m, 1, 1.5)");
  expect(() => bytes('1m')).toThrow("'1m' is not a byte quantity (examples: 512Mi, 2Gi, 10G)");
});

test('the old module names export the same functions', () => {
  expect(config.cpuMillis).toBe(cpuMillis);
  expect(config.bytes).toBe(bytes);
  expect(config.canonicalQuantity).toBe(canonicalQuantity);
});
