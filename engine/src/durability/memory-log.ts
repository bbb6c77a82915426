// The replay log kept in memory ('memory' setting): same encoding as on disk, so time travel and
// restore work the same way, but nothing survives the process.

import { DurabilityError } from './errors.ts';
import type { DroppedData, ReplayLog } from './log-api.ts';
import { FRAME_HEADER_BYTES, decodePayload, encodeRecord, peekTime } from './record-codec.ts';
import type { LogRecord } from './types.ts';

export class MemoryReplayLog implements ReplayLog {
  readonly mode = 'memory' as const;
  readonly storedVersionHash = undefined;
  readonly dropped: DroppedData[] = [];
  firstTick: number | undefined;
  bytesAppended = 0;
  private frames: Buffer[] = [];

  get lastTick(): number | undefined {
    return this.firstTick === undefined || this.frames.length === 0 ? undefined : this.firstTick + this.frames.length - 1;
  }

  append(rec: LogRecord): Promise<void> {
    const last = this.lastTick;
    if (last !== undefined && rec.tick !== last + 1)
      return Promise.reject(
        new DurabilityError('LOG_GAP', `append of tick ${rec.tick} after tick ${last}: ticks must be logged in order without gaps`),
      );
    const frame = encodeRecord(rec);
    if (this.frames.length === 0) this.firstTick = rec.tick;
    this.frames.push(frame);
    this.bytesAppended += frame.length;
    return Promise.resolve();
  }

  *read(from: number, to: number = Infinity): Generator<LogRecord> {
    if (this.firstTick === undefined) return;
    const end = Math.min(to, this.lastTick!);
    for (let t = Math.max(from, this.firstTick); t <= end; t++)
      yield decodePayload(this.frames[t - this.firstTick].subarray(FRAME_HEADER_BYTES));
  }

  *times(from: number): Generator<[number, number]> {
    if (this.firstTick === undefined) return;
    for (let t = Math.max(from, this.firstTick); t <= this.lastTick!; t++) yield [t, peekTime(this.frames[t - this.firstTick], FRAME_HEADER_BYTES)];
  }

  truncateAfter(tick: number | undefined, reason: string): void {
    if (this.firstTick === undefined) return;
    const keep = tick === undefined ? 0 : Math.max(0, tick - this.firstTick + 1);
    if (keep >= this.frames.length) return;
    let bytes = 0;
    for (let i = keep; i < this.frames.length; i++) bytes += this.frames[i].length;
    this.frames.length = keep;
    this.dropped.push({ lastGoodTick: this.lastTick, reason, bytes });
  }

  archiveThrough(): number {
    return 0;
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
