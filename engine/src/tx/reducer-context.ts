// What game code sees while it runs: the database, who called, and deterministic time and randomness.
// Reducers must not read Date.now / Math.random / the network: replay depends on it.
import type { Identity } from '../schema/column.ts';
import type { Scheduler } from './schedule.ts';

export interface ReducerContext<DB> {
  readonly db: DB;
  /** The identity of the caller; the world's own identity for scheduled reducers and systems. */
  readonly sender: Identity;
  /** The caller's connection id (0 when not called over a connection). */
  readonly conn: number;
  /** This tick's time, ms since the epoch. The same for every call in a tick. */
  readonly now: number;
  readonly tick: number;
  /** Seeded per tick: same inputs, same numbers. A float in [0, 1). */
  random(): number;
  /** An integer in [0, n). */
  randomInt(n: number): number;
  readonly schedule: Scheduler;
}

/** The world's own identity: the sender of init, scheduled reducers and systems. */
export const WORLD_IDENTITY: Identity = '0'.repeat(64);
