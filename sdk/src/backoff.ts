// Reconnect delays: exponential from minMs to maxMs, with jitter so a server restart is not met by
// every client in the same millisecond.

export interface ReconnectOptions {
  /** First delay (default 250 ms). */
  minMs?: number;
  /** Largest delay (default 5000 ms). */
  maxMs?: number;
}

/** The delay before reconnect attempt `attempt` (0-based): between half and all of
 * min(maxMs, minMs · 2^attempt). */
export function nextDelay(attempt: number, o: ReconnectOptions | undefined, random: () => number = Math.random): number {
  const min = Math.max(0, o?.minMs ?? 250);
  const max = Math.max(min, o?.maxMs ?? 5000);
  const full = Math.min(max, min * 2 ** Math.min(attempt, 30));
  return full * (0.5 + 0.5 * random());
}
