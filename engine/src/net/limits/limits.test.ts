// Token bucket and abuse counter, driven by a hand-moved clock.

import { describe, expect, it } from 'vitest';
import { AbuseCounter } from './abuse-counter.ts';
import { TokenBucket } from './token-bucket.ts';

function manualClock(start = 0): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('TokenBucket', () => {
  it('allows a burst, then the sustained rate', () => {
    const clock = manualClock(5000);
    const b = new TokenBucket({ ratePerSecond: 10, burst: 5, now: clock.now });
    for (let i = 0; i < 5; i++) expect(b.take()).toBe(true);
    expect(b.take()).toBe(false);
    expect(b.retryAfterMs()).toBe(100);
    clock.advance(99);
    expect(b.take()).toBe(false);
    clock.advance(1);
    expect(b.take()).toBe(true);
    expect(b.take()).toBe(false);
  });

  it('never refills past the burst', () => {
    const clock = manualClock();
    const b = new TokenBucket({ ratePerSecond: 100, burst: 3, now: clock.now });
    clock.advance(60_000);
    expect(b.available()).toBe(3);
    expect(b.take(3)).toBe(true);
    expect(b.take(1)).toBe(false);
  });

  it('takes several tokens at once (calls sharing a frame) or none', () => {
    const clock = manualClock();
    const b = new TokenBucket({ ratePerSecond: 1, burst: 4, now: clock.now });
    expect(b.take(3)).toBe(true);
    expect(b.take(2)).toBe(false);
    expect(b.available()).toBe(1);
    expect(b.retryAfterMs(2)).toBe(1000);
    expect(b.retryAfterMs(5)).toBe(Infinity);
  });

  it('ignores a clock that steps back', () => {
    const clock = manualClock(1000);
    const b = new TokenBucket({ ratePerSecond: 1, burst: 1, now: clock.now });
    expect(b.take()).toBe(true);
    clock.advance(-500);
    expect(b.take()).toBe(false);
    clock.advance(1000);
    expect(b.take()).toBe(false);
    clock.advance(500);
    expect(b.take()).toBe(true);
  });

  it('rejects bad options', () => {
    expect(() => new TokenBucket({ ratePerSecond: 0, burst: 1 })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
    expect(() => new TokenBucket({ ratePerSecond: 1, burst: 0.5 })).toThrow(/burst/);
  });
});

describe('AbuseCounter', () => {
  it('trips on the Nth error within the window', () => {
    const clock = manualClock();
    const a = new AbuseCounter({ maxErrors: 3, windowMs: 1000, now: clock.now });
    expect(a.record()).toBe(false);
    clock.advance(400);
    expect(a.record()).toBe(false);
    clock.advance(600);
    expect(a.record()).toBe(true);
    expect(a.recent()).toBe(3);
  });

  it('forgives errors spread wider than the window', () => {
    const clock = manualClock();
    const a = new AbuseCounter({ maxErrors: 3, windowMs: 1000, now: clock.now });
    for (let i = 0; i < 20; i++) {
      expect(a.record()).toBe(false);
      clock.advance(501);
    }
    // The last error was 501 ms ago, the one before 1002 ms ago (outside the window).
    expect(a.recent()).toBe(1);
    clock.advance(10_000);
    expect(a.recent()).toBe(0);
  });

  it('trips with maxErrors 1 at the first error, and reset() forgets', () => {
    const clock = manualClock();
    const one = new AbuseCounter({ maxErrors: 1, windowMs: 10, now: clock.now });
    expect(one.record()).toBe(true);
    const a = new AbuseCounter({ maxErrors: 2, windowMs: 1000, now: clock.now });
    a.record();
    a.reset();
    expect(a.record()).toBe(false);
    expect(a.record()).toBe(true);
  });

  it('rejects bad options', () => {
    expect(() => new AbuseCounter({ maxErrors: 0, windowMs: 1 })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
    expect(() => new AbuseCounter({ maxErrors: 1, windowMs: 0 })).toThrow(/windowMs/);
  });
});
