// Rebuilding state from the log: apply one record to a world, or build a separate world holding the
// state after any tick (nearest snapshot at or before it, then re-execute the log up to it).

import type { ModuleDef } from '../module/define.ts';
import type { WorldImage } from '../tick/image.ts';
import { silentLogger, type TickInputRecord } from '../tick/types.ts';
import { createWorld, type World } from '../tick/world.ts';
import { DurabilityError } from './errors.ts';
import type { ReplayLog } from './log-api.ts';
import type { SnapshotStore } from './snapshot-store.ts';
import type { LogRecord } from './types.ts';

export interface ReplaySource<M extends ModuleDef = ModuleDef> {
  module: M;
  /** The world seed (from world.json); ticks carry their own derived seeds. */
  seed: number;
  log: ReplayLog;
  snapshots: SnapshotStore;
}

export interface HashMismatch {
  tick: number;
  expected: string;
  actual: string;
}

/** Called when a re-executed tick ends with another hash than the logged one; throw to stop. */
export type OnMismatch = (m: HashMismatch) => void;

export const stopOnMismatch: OnMismatch = (m) => {
  throw new DurabilityError(
    'DIVERGENCE',
    `re-executing tick ${m.tick} gave state hash ${m.actual}, the log recorded ${m.expected}: the module is not deterministic ` +
      `(it read the clock, Math.random or outside state) or its code changed without a version change`,
  );
};

/** A world with no history, as createWorld makes it: tick 0 of the log. */
export function freshWorld<M extends ModuleDef>(src: ReplaySource<M>): World<M> {
  return createWorld(src.module, { seed: src.seed, logger: silentLogger, clock: () => 0 });
}

/** Applies a record to `world`, which must be at `rec.tick - 1`. */
export function applyRecord<M extends ModuleDef>(src: ReplaySource<M>, world: World<M>, rec: LogRecord, onMismatch: OnMismatch): void {
  if (rec.tick !== world.tick + 1)
    throw new DurabilityError(
      'LOG_GAP',
      `the log jumps from tick ${world.tick} to tick ${rec.tick}: segments are missing (look in archive/ and quarantine/ of the data directory)`,
    );
  if (rec.kind === 'tick') {
    const report = world.runTick(rec as unknown as TickInputRecord);
    if (report.hash !== rec.hash) onMismatch({ tick: rec.tick, expected: rec.hash, actual: report.hash });
    return;
  }
  const past = worldAt(src, rec.toTick, onMismatch);
  setBack(world, past.exportImage(), rec.tick, rec.time);
  const hash = world.hash();
  if (hash !== rec.hash) onMismatch({ tick: rec.tick, expected: rec.hash, actual: hash });
}

/** Puts `world` in the state of `image` while its tick counter moves on to `tick`. */
export function setBack(world: World, image: WorldImage, tick: number, time: number): void {
  world.importImage(image);
  world.tick = tick;
  world.time = time;
}

/** A new world holding the state after `tick`. Throws NO_SUCH_TICK when the log cannot reach it. */
export function worldAt<M extends ModuleDef>(src: ReplaySource<M>, tick: number, onMismatch: OnMismatch = stopOnMismatch): World<M> {
  let world = freshWorld(src);
  let tried = false;
  const snap = src.snapshots.loadNewest(tick, (s) => {
    tried = true;
    world.importImage(s.image as WorldImage);
  });
  // A refused import can leave half a state behind.
  if (snap === undefined && tried) world = freshWorld(src);
  if (world.tick < tick) {
    for (const rec of src.log.read(world.tick + 1, tick)) applyRecord(src, world, rec, onMismatch);
  }
  if (world.tick !== tick) {
    const first = src.log.firstTick;
    throw new DurabilityError(
      'NO_SUCH_TICK',
      `tick ${tick} cannot be rebuilt: the log holds ticks ${first ?? '-'}..${src.log.lastTick ?? '-'} and the nearest usable snapshot is ` +
        `${snap ? `at tick ${snap.meta.tick}` : 'none'}; reached tick ${world.tick}`,
    );
  }
  return world;
}
