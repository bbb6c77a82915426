// Counts protocol errors from one connection: a malformed frame now and then is answered with an
// Error frame, but `maxErrors` within `windowMs` means persistent abuse and the caller disconnects.

import { NetError } from '../errors.ts';
import { monotonicClock } from './clock.ts';
import type { Clock } from './clock.ts';

export interface AbuseOptions {
  /** Errors within the window that trip the counter. */
  maxErrors: number;
  windowMs: number;
  now?: Clock;
}

export class AbuseCounter {
  // The times of the last maxErrors errors, as a ring: the slot after the newest is the oldest.
  private readonly times: Float64Array;
  private pos = 0;
  private filled = 0;
  private readonly windowMs: number;
  private readonly now: Clock;

  constructor(opts: AbuseOptions) {
    if (!Number.isInteger(opts.maxErrors) || opts.maxErrors < 1) {
      throw new NetError('BAD_OPTION', `maxErrors must be a positive integer, got ${opts.maxErrors}`);
    }
    if (!(opts.windowMs > 0)) throw new NetError('BAD_OPTION', `windowMs must be positive, got ${opts.windowMs}`);
    this.times = new Float64Array(opts.maxErrors);
    this.windowMs = opts.windowMs;
    this.now = opts.now ?? monotonicClock;
  }

  /** Records one error; true when maxErrors happened within windowMs (time to disconnect). */
  record(): boolean {
    const t = this.now();
    this.times[this.pos] = t;
    this.pos = this.pos + 1 === this.times.length ? 0 : this.pos + 1;
    if (this.filled < this.times.length) this.filled++;
    return this.filled === this.times.length && t - this.times[this.pos] <= this.windowMs;
  }

  /** Errors recorded within the last windowMs. */
  recent(): number {
    const cutoff = this.now() - this.windowMs;
    let n = 0;
    for (let i = 0; i < this.filled; i++) if (this.times[i] >= cutoff) n++;
    return n;
  }

  reset(): void {
    this.pos = 0;
    this.filled = 0;
  }
}
