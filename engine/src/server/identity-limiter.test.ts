import { it, expect } from 'vitest';
import { IdentityLimiter } from './identity-limiter.ts';

it('limits each identity to its burst and keeps at most maxIdentities buckets', () => {
  const lim = new IdentityLimiter(1, 3, 100);
  const a = 'a'.repeat(64);
  expect([lim.take(a), lim.take(a), lim.take(a), lim.take(a)]).toEqual([true, true, true, false]);
  expect(lim.take('b'.repeat(64))).toBe(true); // another identity has its own bucket
  for (let i = 0; i < 1000; i++) lim.take(i.toString(16).padStart(64, '0'));
  expect(lim.size).toBe(100);
});
