// Public face of limits: per-connection call rate (token bucket) and protocol-abuse counting.

export { TokenBucket, checkRateLimitOptions } from './token-bucket.ts';
export type { RateLimitOptions } from './token-bucket.ts';
export { AbuseCounter } from './abuse-counter.ts';
export type { AbuseOptions } from './abuse-counter.ts';
export { monotonicClock } from './clock.ts';
export type { Clock } from './clock.ts';
