// The clock limits read, injected so tests drive time by hand instead of sleeping.

/** Milliseconds on a monotonic scale (performance.now by default). */
export type Clock = () => number;

export const monotonicClock: Clock = () => performance.now();
