// Scheduled reducers are rows of the built-in `__schedule` table, so they are transactional (a failed
// reducer's schedule() never happened), snapshotted with everything else, and survive restarts.
import { t } from '../schema/column.ts';
import { table } from '../schema/table-def.ts';
import type { TableHandle } from './table-handle.ts';
import { senderError } from '../errors/index.ts';

export const scheduleTable = table('__schedule', {
  id: t.u32().primaryKey().autoInc(),
  reducer: t.string(),
  args: t.string(), // JSON: scheduled arguments must be JSON-representable (no bytes)
  at: t.f64().index('btree'),
  every: t.f64(), // 0 = run once
}, { visibility: 'private' });

export type ScheduleTable = TableHandle<typeof scheduleTable.columns>;

export interface Scheduler {
  /** Runs `reducer(args)` at world time `time` (ms since epoch). Returns the schedule id. */
  at(time: number, reducer: string, args?: object): number;
  /** Runs `reducer(args)` `delayMs` after this tick's time. */
  after(delayMs: number, reducer: string, args?: object): number;
  /** Runs `reducer(args)` every `intervalMs`, first after one interval. */
  every(intervalMs: number, reducer: string, args?: object): number;
  cancel(id: number): boolean;
}

export type ArgsCheck = (reducer: string, args: unknown) => string | null;

export function makeScheduler(table: () => ScheduleTable, now: () => number, check: ArgsCheck): Scheduler {
  const add = (time: number, every: number, reducer: string, args: object = {}): number => {
    if (!Number.isFinite(time) || !(every >= 0)) throw senderError('schedule: time and interval must be finite numbers', 'BAD_ARGUMENTS');
    const err = check(reducer, args);
    if (err !== null) throw senderError(`schedule '${reducer}': ${err}`, 'BAD_ARGUMENTS');
    return table().insert({ reducer, args: JSON.stringify(args), at: time, every }).id;
  };
  return {
    at: (time, reducer, args) => add(time, 0, reducer, args),
    after: (delayMs, reducer, args) => add(now() + delayMs, 0, reducer, args),
    every: (intervalMs, reducer, args) => {
      if (!(intervalMs > 0)) throw senderError('schedule.every needs a positive interval', 'BAD_ARGUMENTS');
      return add(now() + intervalMs, intervalMs, reducer, args);
    },
    cancel: (id) => table().delete(id),
  };
}
