// A token bucket for per-connection call rates: `burst` calls at once, refilled continuously at
// `ratePerSecond`. One bucket per connection; taking costs a clock read and some arithmetic.

import { NetError } from '../errors.ts';
import { monotonicClock } from './clock.ts';
import type { Clock } from './clock.ts';

export interface RateLimitOptions {
  /** Sustained calls per second. */
  ratePerSecond: number;
  /** Calls allowed at once from a full bucket (and the bucket's size). */
  burst: number;
  now?: Clock;
}

export function checkRateLimitOptions(opts: RateLimitOptions): void {
  if (!(opts.ratePerSecond > 0) || !Number.isFinite(opts.ratePerSecond)) {
    throw new NetError('BAD_OPTION', `ratePerSecond must be a positive number, got ${opts.ratePerSecond}`);
  }
  if (!(opts.burst >= 1) || !Number.isFinite(opts.burst)) {
    throw new NetError('BAD_OPTION', `burst must be at least 1, got ${opts.burst}`);
  }
}

export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly perMs: number;
  private readonly burst: number;
  private readonly now: Clock;

  constructor(opts: RateLimitOptions) {
    checkRateLimitOptions(opts);
    this.perMs = opts.ratePerSecond / 1000;
    this.burst = opts.burst;
    this.now = opts.now ?? monotonicClock;
    this.tokens = opts.burst;
    this.last = this.now();
  }

  private refill(): void {
    const t = this.now();
    if (t > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + (t - this.last) * this.perMs);
      this.last = t;
    }
  }

  /** Takes `cost` tokens (e.g. the number of calls in one frame) if all are available. */
  take(cost = 1): boolean {
    this.refill();
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  /** Tokens available now (fractional). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  /** How long until `cost` tokens are available; 0 when they are now, Infinity if cost > burst. */
  retryAfterMs(cost = 1): number {
    if (cost > this.burst) return Infinity;
    this.refill();
    return this.tokens >= cost ? 0 : Math.ceil((cost - this.tokens) / this.perMs);
  }
}
