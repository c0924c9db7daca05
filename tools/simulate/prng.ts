/**
 * A seeded pseudo-random number generator: the same seed gives the same arrivals, tiers and
 * session lengths on every machine, so a simulation is reproducible. mulberry32 (32-bit
 * state, period 2^32), plenty for tens of thousands of draws.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
}

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return {
    next() {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/** A standard normal draw (Box-Muller; one of the pair is used, which keeps draws independent of call order). */
export function normal(random: Random): number {
  const u = 1 - random.next(); // (0, 1]: log(0) never happens
  const v = random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** z of the 90th percentile of the standard normal distribution. */
const Z90 = 1.2815515655446004;

/** A log-normal draw given its median and 90th percentile (p90 = median · e^(σ·z90)). */
export function logNormal(random: Random, median: number, p90: number): number {
  const sigma = Math.log(p90 / median) / Z90;
  return median * Math.exp(sigma * normal(random));
}

/** Index drawn with probability proportional to its weight (weights sum > 0). */
export function weighted(random: Random, cumulative: readonly number[]): number {
  const total = cumulative[cumulative.length - 1]!;
  const x = random.next() * total;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
