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
  /** The served counter at its breakpoints, oldest first from `head` (parallel arrays: fewer objects). */
  private times: number[] = [0];
  private counts: number[] = [0];
  private head = 0;

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
      if (until < t) this.point(until);
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
    this.point(t);
    // Keep one point at or before the oldest time a window may start at.
    while (this.head + 1 < this.times.length && this.times[this.head + 1]! <= t - this.keepSeconds) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.counts = this.counts.slice(this.head);
      this.head = 0;
    }
  }

  private point(t: number): void {
    this.times.push(t);
    this.counts.push(this.served);
  }

  /** New rates from `t` on (requests per second). */
  set(t: number, demand: number, capacity: number): void {
    // Unchanged rates: the counter stays linear, no breakpoint needed.
    if (demand === this.demand && capacity === this.capacity) return;
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

  /** Requests waiting at the last `advance` (or `delay`). */
  get waiting(): number {
    return this.backlog;
  }

  /** Seconds a request arriving at `t` waits before the API serves it (first in, first out). */
  delay(t: number): number {
    this.advance(t);
    if (this.backlog <= 0) return 0;
    return this.capacity > 0 ? this.backlog / this.capacity : Infinity;
  }

  /** Requests served from the start up to `x` (at most the last `advance`). */
  servedAt(x: number): number {
    const { times, counts } = this;
    let lo = this.head;
    let hi = times.length - 1;
    if (x <= times[lo]!) return counts[lo]!;
    if (x >= times[hi]!) return counts[hi]!;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (times[mid]! <= x) lo = mid;
      else hi = mid;
    }
    return counts[lo]! + ((counts[hi]! - counts[lo]!) * (x - times[lo]!)) / (times[hi]! - times[lo]!);
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
