// Re-executes a whole log and reports the first tick whose state hash differs from the logged one
// (the check behind `worldline replay --verify`).

import type { ModuleDef } from '../module/define.ts';
import type { WorldImage } from '../tick/image.ts';
import { DurabilityError } from './errors.ts';
import { applyRecord, freshWorld, type HashMismatch, type ReplaySource } from './replayer.ts';

export interface VerifyReport {
  /** Tick the check started from: 0, or the oldest snapshot when the log's start was archived away. */
  startTick: number;
  startedFromSnapshot: boolean;
  /** Last tick re-executed with a matching hash. */
  lastGoodTick: number;
  checkedTicks: number;
  firstDivergence?: HashMismatch;
  /** A record that could not be read (corrupt or missing), if the check stopped at one. */
  unreadable?: string;
  durationMs: number;
}

export function verifyLog<M extends ModuleDef>(src: ReplaySource<M>, onProgress?: (tick: number) => void): VerifyReport {
  const t0 = performance.now();
  let world = freshWorld(src);
  let startedFromSnapshot = false;
  if ((src.log.firstTick ?? 1) > 1) {
    const oldest = src.snapshots.list()[0];
    if (oldest !== undefined) {
      const snap = src.snapshots.loadNewest(oldest, (s) => world.importImage(s.image as WorldImage));
      if (snap) startedFromSnapshot = true;
      else world = freshWorld(src);
    }
  }
  const startTick = world.tick;
  let firstDivergence: HashMismatch | undefined;
  let unreadable: string | undefined;
  let checked = 0;
  const stop = new Error('divergence');
  try {
    for (const rec of src.log.read(startTick + 1)) {
      applyRecord(src, world, rec, (m) => {
        firstDivergence = m;
        throw stop;
      });
      checked++;
      if (onProgress && checked % 1000 === 0) onProgress(rec.tick);
    }
  } catch (e) {
    if (e !== stop) {
      if (!(e instanceof DurabilityError)) throw e;
      unreadable = e.message;
    }
  }
  const lastGoodTick = firstDivergence ? firstDivergence.tick - 1 : world.tick;
  return { startTick, startedFromSnapshot, lastGoodTick, checkedTicks: checked, firstDivergence, unreadable, durationMs: performance.now() - t0 };
}
