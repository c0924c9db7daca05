/**
 * The API's requests as a fluid queue: requests arrive at the demand rate (from the sessions
 * waiting for a sandbox and the running ones) and are served at up to the capacity of the Ready
 * replicas; what exceeds the capacity waits (the backlog) and is served first-in first-out once
 * there is room. Both rates are constant between calls to `set`, so the served-request counter
 * is piecewise linear: it is kept as points (one per change and one where a backlog empties),
 * from which the HPA's metrics (a rate over a trailing window) are read exactly.
 */
export class ApiLoad {
  private time = 0;
  private demand = 0;
  private capacity = 0;
  private backlog = 0;
  private served = 0;
  /** Seconds during which a backlog existed (requests waited for the API). */
  saturatedSeconds = 0;
  private readonly points: { time: number; served: number }[] = [{ time: 0, served: 0 }];

  /** @param keepSeconds the longest window a metric reads: older points are dropped. */
  constructor(private readonly keepSeconds: number) {}

  /** Serves requests up to `t` at the current rates. */
  advance(t: number): void {
    let now = this.time;
    if (t <= now) return;
    if (this.backlog > 0) {
      const drains = this.capacity > this.demand ? now + this.backlog / (this.capacity - this.demand) : Infinity;
      const until = Math.min(drains, t);
      this.served += this.capacity * (until - now);
      this.saturatedSeconds += until - now;
      this.backlog = until === drains ? 0 : this.backlog + (this.demand - this.capacity) * (until - now);
      if (until < t) this.points.push({ time: until, served: this.served });
      now = until;
    }
    if (now < t) {
      const dt = t - now;
      if (this.demand <= this.capacity) {
        this.served += this.demand * dt;
      } else {
        this.served += this.capacity * dt;
        this.backlog += (this.demand - this.capacity) * dt;
        this.saturatedSeconds += dt;
      }
    }
    this.time = t;
    this.points.push({ time: t, served: this.served });
    // Keep one point at or before the oldest time a window may start at.
    let drop = 0;
    while (drop + 1 < this.points.length && this.points[drop + 1]!.time <= t - this.keepSeconds) drop++;
    if (drop > 0) this.points.splice(0, drop);
  }

  /** New rates from `t` on (requests per second). */
  set(t: number, demand: number, capacity: number): void {
    this.advance(t);
    this.demand = demand;
    this.capacity = capacity;
  }

  get demandRate(): number {
    return this.demand;
  }

  get capacityRate(): number {
    return this.capacity;
  }

  /** Requests waiting at the last `advance`. */
  get waiting(): number {
    return this.backlog;
  }

  /** Seconds a request arriving now waits before the API serves it (first in, first out). */
  delay(): number {
    if (this.backlog <= 0) return 0;
    return this.capacity > 0 ? this.backlog / this.capacity : Infinity;
  }

  /** Requests served from the start up to `x` (at most the last `advance`). */
  servedAt(x: number): number {
    const p = this.points;
    if (x <= p[0]!.time) return p[0]!.served;
    let lo = 0;
    let hi = p.length - 1;
    if (x >= p[hi]!.time) return p[hi]!.served;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (p[mid]!.time <= x) lo = mid;
      else hi = mid;
    }
    const a = p[lo]!;
    const b = p[hi]!;
    return a.served + ((b.served - a.served) * (x - a.time)) / (b.time - a.time);
  }

  /**
   * Requests per second served over the `window` seconds before `t` (after `advance(t)`); at
   * the very start, the rate being served.
   */
  servedRate(t: number, window: number): number {
    const from = Math.max(0, t - window);
    if (t <= from) return this.backlog > 0 ? this.capacity : Math.min(this.demand, this.capacity);
    return (this.servedAt(t) - this.servedAt(from)) / (t - from);
  }
}
