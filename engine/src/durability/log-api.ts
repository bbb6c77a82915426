// The replay log's interface: one per world, implemented in memory (memory-log.ts) and on disk
// (file-log.ts), both checked by the same conformance suite (log-conformance.test.ts).

import type { DurabilityMode, LogRecord } from './types.ts';

/** Data that recovery had to drop, reported so nothing disappears without a trace. */
export interface DroppedData {
  /** Last tick that survived. undefined when nothing survived. */
  lastGoodTick: number | undefined;
  reason: string;
  bytes: number;
  /** Where the dropped bytes were kept (quarantine/), if they were worth keeping. */
  keptAt?: string;
}

export interface ReplayLog {
  readonly mode: DurabilityMode;
  /** Module version hash written in the newest segment found on open; undefined for a new log. */
  readonly storedVersionHash: string | undefined;
  /** Earliest tick that can be read (archived segments included); undefined when empty. */
  readonly firstTick: number | undefined;
  /** Last appended tick; undefined when the log is empty. */
  readonly lastTick: number | undefined;
  /** Bytes of records appended since open (framing included). */
  readonly bytesAppended: number;
  /** What open() or truncateAfter() dropped. */
  readonly dropped: readonly DroppedData[];
  /** Queues a record. The promise settles once the record is as safe as the mode promises: written
   * and fsynced ('durable'), handed to the OS ('os'), or kept in memory ('memory'). Records must
   * come in tick order without gaps. */
  append(rec: LogRecord): Promise<void>;
  /** Records with from <= tick <= to, in order (to defaults to the last tick). Throws a
   * DurabilityError 'LOG_CORRUPT' or 'LOG_GAP' when a record cannot be read. */
  read(from: number, to?: number): Generator<LogRecord>;
  /** Tick and time of each record from `from` on, without decoding inputs or checking checksums:
   * a cheap scan for searches by time. */
  times(from: number): Generator<[tick: number, time: number]>;
  /** Drops every record after `tick` (kept in quarantine/, never deleted). No append may be pending. */
  truncateAfter(tick: number | undefined, reason: string): void;
  /** Moves segments whose ticks are all <= tick to archive/ (no-op in memory). */
  archiveThrough(tick: number): number;
  /** Waits until everything appended so far is settled. */
  flush(): Promise<void>;
  close(): Promise<void>;
}
