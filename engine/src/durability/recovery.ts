// Recovery on start: the newest valid snapshot, then the log suffix re-executed with each tick's state
// hash checked. A corrupt record ends the log there (the rest goes to quarantine/, with a warning).

import type { ModuleDef } from '../module/define.ts';
import type { WorldImage } from '../tick/image.ts';
import type { World } from '../tick/world.ts';
import { DurabilityError } from './errors.ts';
import type { DroppedData } from './log-api.ts';
import { applyRecord, stopOnMismatch, type HashMismatch, type ReplaySource } from './replayer.ts';
import type { DurabilityLogger } from './types.ts';

export interface RecoveryReport {
  /** Tick of the snapshot recovery started from; undefined when it replayed from tick 0. */
  snapshotTick: number | undefined;
  /** Log records re-executed after the snapshot. */
  replayedTicks: number;
  /** The tick the world is at after recovery (0 for a new world). */
  tick: number;
  /** What was cut from the log (torn or corrupt tails), each naming the last good tick. */
  dropped: DroppedData[];
  /** Ticks whose re-executed hash differed (only when allowVersionMismatch let recovery go on). */
  mismatches: HashMismatch[];
  durationMs: number;
}

export interface RecoverOptions {
  allowVersionMismatch: boolean;
  logger: DurabilityLogger;
}

/** Builds the live world (with `makeWorld`) and brings it to the last good tick on disk. */
export function recover<M extends ModuleDef>(
  src: ReplaySource<M>,
  makeWorld: () => World<M>,
  opts: RecoverOptions,
): { world: World<M>; report: RecoveryReport } {
  let world = makeWorld();
  const t0 = performance.now();
  const { log, snapshots, module } = src;
  const dropped: DroppedData[] = [...log.dropped];
  const lastTick = log.lastTick ?? 0;
  // A snapshot ahead of the log holds ticks that were never acknowledged (their log records did not
  // reach the disk); using it would leave a hole in the history.
  snapshots.setAsideAfter(lastTick, `ahead of the log, which ends at tick ${lastTick}`);

  let tried = false;
  const snap = snapshots.loadNewest(lastTick, (s) => {
    tried = true;
    if (s.meta.versionHash !== module.versionHash && !opts.allowVersionMismatch)
      throw new DurabilityError('VERSION_MISMATCH', `written by module version ${s.meta.versionHash}, this module is ${module.versionHash}`);
    world.importImage(s.image as WorldImage);
  });
  // A refused import can leave half a state behind: start over from a new world.
  if (snap === undefined && (world.tick !== 0 || tried)) world = makeWorld();

  const mismatches: HashMismatch[] = [];
  const onMismatch = opts.allowVersionMismatch
    ? (m: HashMismatch) => {
        if (mismatches.length === 0)
          opts.logger.warn(`recovery: tick ${m.tick} re-executed to hash ${m.actual}, the log says ${m.expected} (version mismatch allowed; going on)`);
        mismatches.push(m);
      }
    : stopOnMismatch;

  const start = world.tick;
  if (start < lastTick && snap === undefined && (log.firstTick ?? 1) > 1)
    throw new DurabilityError(
      'LOG_GAP',
      `no usable snapshot and the log starts at tick ${log.firstTick}: ticks 1..${(log.firstTick ?? 1) - 1} are missing; ` +
        `put the archived segments back into archive/ (or a valid snapshot into snapshots/) and start again`,
    );
  let replayed = 0;
  if (start < lastTick) {
    try {
      for (const rec of log.read(start + 1)) {
        applyRecord(src, world, rec, onMismatch);
        replayed++;
      }
    } catch (e) {
      if (!(e instanceof DurabilityError) || e.code !== 'LOG_CORRUPT') throw e;
      const before = log.dropped.length;
      log.truncateAfter(world.tick, `recovery stopped at a corrupt record (${e.message})`);
      dropped.push(...log.dropped.slice(before));
    }
  }
  const report = { snapshotTick: snap?.meta.tick, replayedTicks: replayed, tick: world.tick, dropped, mismatches, durationMs: performance.now() - t0 };
  return { world, report };
}
