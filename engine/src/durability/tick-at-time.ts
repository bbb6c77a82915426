// Maps a wall-clock time to the last tick at or before it, for `--at <ISO time>` and tools.

import type { ReplaySource } from './replayer.ts';

/** The last tick whose time is <= `time`; 0 when `time` is before the first tick (and the log
 * starts at tick 1); undefined when the log cannot tell. */
export function findTickAtTime(src: ReplaySource, time: number): number | undefined {
  const first = src.log.firstTick;
  if (first === undefined) return 0;
  let found: number | undefined = first === 1 ? 0 : undefined;
  for (const [tick, t] of src.log.times(first)) {
    if (t > time) break;
    found = tick;
  }
  return found;
}
