/**
 * Statistics over repeated measurements. Benchmarks report the median (robust to
 * one slow run on a shared machine) with min and max so the spread stays visible.
 */

export interface Summary {
  /** Number of samples. */
  readonly n: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** Median of the samples: the middle one, or the mean of the two middle ones. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new RangeError('median of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new RangeError('summary of no samples');
  for (const s of samples) {
    if (!Number.isFinite(s)) throw new RangeError(`sample ${String(s)} is not a finite number`);
  }
  return { n: samples.length, median: median(samples), min: Math.min(...samples), max: Math.max(...samples) };
}

/**
 * How time grows between two sizes, as the exponent k in time ∝ size^k fitted
 * through two points: 1 is linear, 2 quadratic. Fixed costs (process start,
 * module loading) pull it below 1, so it is computed on in-process times.
 */
export function growthExponent(smallSize: number, smallTime: number, largeSize: number, largeTime: number): number {
  if (smallSize <= 0 || largeSize <= smallSize) throw new RangeError('sizes must be positive and increasing');
  if (smallTime <= 0 || largeTime <= 0) throw new RangeError('times must be positive');
  return Math.log(largeTime / smallTime) / Math.log(largeSize / smallSize);
}
