/**
 * A token bucket per client address: `perMinute` actions a minute on average, as many at once
 * after a quiet spell. Addresses whose bucket is full again are forgotten, so the table holds
 * only the recently busy.
 */
export class AddressRateLimit {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly perMinute: number,
    readonly now: () => number = Date.now,
  ) {}

  /** Takes one action for `address`; the seconds to wait when none is left, else 0. */
  take(address: string): number {
    const now = this.now();
    this.#forgetIdle(now);
    const bucket = this.#buckets.get(address) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + ((now - bucket.at) / 60_000) * this.perMinute);
    bucket.at = now;
    this.#buckets.set(address, bucket);
    if (bucket.tokens < 1) return Math.max(1, Math.ceil(((1 - bucket.tokens) * 60) / this.perMinute));
    bucket.tokens -= 1;
    return 0;
  }

  #forgetIdle(now: number): void {
    // A bucket refills within a minute: one untouched that long is full, like a new one.
    if (this.#buckets.size < 1024) return;
    for (const [address, bucket] of this.#buckets) if (now - bucket.at >= 60_000) this.#buckets.delete(address);
  }
}
