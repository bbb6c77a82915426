// The replay log on disk: segment files under <dataDir>/log/, appended with group commit (all records
// queued while the previous write was in flight go out in one writev and, when durable, one fdatasync).

import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { DurabilityError } from './errors.ts';
import { fsyncDir, moveIntoDirSync, writeAll } from './fs-util.ts';
import type { DroppedData, ReplayLog } from './log-api.ts';
import { logDirs, listSegments, scanAndRepair, type LogDirs, type SegmentRef } from './log-scan.ts';
import { decodePayload, describeFrameProblem, encodeRecord, peekTime } from './record-codec.ts';
import { SeekIndex } from './seek-index.ts';
import { SegmentCursor } from './segment-cursor.ts';
import { encodeSegmentHeader, segmentFileName } from './segment-format.ts';
import { consoleLogger, type DurabilityLogger, type LogRecord } from './types.ts';

const fdatasync = promisify(fs.fdatasync);
const fsOpen = promisify(fs.open);
const fsClose = promisify(fs.close);
const fsWrite = promisify(fs.write);

export interface FileLogOptions {
  dataDir: string;
  mode: 'os' | 'durable';
  /** Written into each new segment's header. */
  versionHash: string;
  /** A new segment starts once the current one passes this size. Default 64 MiB. */
  segmentBytes?: number;
  logger?: DurabilityLogger;
  /** Inspect only (tools): no repair, no appends; a bad tail is reported and ignored. */
  readOnly?: boolean;
}

interface Pending {
  tick: number;
  frame: Buffer;
  resolve: () => void;
  reject: (e: Error) => void;
}

export class FileReplayLog implements ReplayLog {
  readonly mode: 'os' | 'durable';
  storedVersionHash: string | undefined;
  firstTick: number | undefined;
  lastTick: number | undefined;
  bytesAppended = 0;
  dropped: DroppedData[] = [];

  private readonly dirs: LogDirs;
  private readonly segmentBytes: number;
  private readonly logger: DurabilityLogger;
  private readonly durable: boolean;
  private segments: SegmentRef[] = [];
  private fd: number | undefined;
  private size = 0; // bytes of the current segment confirmed written
  private records = 0; // records in the current segment
  private currentVersion: string | undefined;
  private readonly seeks = new SeekIndex();
  private queue: Pending[] = [];
  private inflight: Pending[] = [];
  private draining = false;
  private last: Promise<void> = Promise.resolve();
  private failed: Error | undefined;
  private closed = false;

  private constructor(private readonly opts: FileLogOptions) {
    this.mode = opts.mode;
    this.durable = opts.mode === 'durable';
    this.dirs = logDirs(opts.dataDir);
    this.segmentBytes = opts.segmentBytes ?? 64 * 1024 * 1024;
    this.logger = opts.logger ?? consoleLogger;
  }

  /** Opens (creating if needed) the log under `dataDir`, cutting any torn or corrupt tail. */
  static open(opts: FileLogOptions): FileReplayLog {
    const log = new FileReplayLog(opts);
    if (!opts.readOnly) fs.mkdirSync(log.dirs.log, { recursive: true });
    log.reopen();
    return log;
  }

  private reopen(cut?: { tick: number | undefined; reason: string }): void {
    const scan = scanAndRepair(this.dirs, this.durable, this.logger, cut, this.opts.readOnly);
    this.dropped.push(...scan.dropped);
    this.seeks.clear();
    this.segments = scan.segments;
    this.lastTick = scan.lastTick;
    this.storedVersionHash = scan.storedVersionHash;
    this.currentVersion = scan.storedVersionHash;
    this.size = scan.currentSize;
    this.records = scan.currentRecords;
    const archived = listSegments(this.dirs.archive);
    this.firstTick = archived[0]?.firstTick ?? (scan.lastTick !== undefined ? this.segments[0]?.firstTick : undefined);
    const cur = this.segments.at(-1);
    this.fd = cur !== undefined && !this.opts.readOnly ? fs.openSync(cur.file, 'r+') : undefined;
  }

  append(rec: LogRecord): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.closed) return Promise.reject(new DurabilityError('CLOSED', 'the replay log is closed'));
    if (this.opts.readOnly) return Promise.reject(new DurabilityError('CLOSED', 'the replay log was opened read-only'));
    if (this.lastTick !== undefined && rec.tick !== this.lastTick + 1)
      return Promise.reject(
        new DurabilityError('LOG_GAP', `append of tick ${rec.tick} after tick ${this.lastTick}: ticks must be logged in order without gaps`),
      );
    const frame = encodeRecord(rec);
    this.lastTick = rec.tick;
    this.firstTick ??= rec.tick;
    this.bytesAppended += frame.length;
    const p = new Promise<void>((resolve, reject) => this.queue.push({ tick: rec.tick, frame, resolve, reject }));
    this.last = p;
    if (!this.draining) void this.drain();
    return p;
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0 && this.failed === undefined) {
        const batch = this.queue;
        this.queue = [];
        this.inflight = batch;
        try {
          // Normally one tick per batch; a backlog goes out together, split only at segment ends.
          let i = 0;
          while (i < batch.length) {
            await this.ensureSegment(batch[i].tick);
            const room = this.segmentBytes - this.size;
            let j = i + 1;
            let bytes = batch[i].frame.length;
            while (j < batch.length && bytes + batch[j].frame.length <= room) bytes += batch[j++].frame.length;
            const part = batch.slice(i, j);
            const seg = this.segments.at(-1)!.firstTick;
            let at = this.size;
            for (const p of part) {
              this.seeks.note(seg, p.tick, at);
              at += p.frame.length;
            }
            const total = await writeAll(this.fd!, part.map((p) => p.frame), this.size);
            if (this.durable) await fdatasync(this.fd!);
            this.size += total;
            this.records += part.length;
            for (const p of part) p.resolve();
            i = j;
          }
        } catch (e) {
          // After a failed fsync the kernel may have dropped the dirty pages: never retry, stop.
          this.failed = new DurabilityError('LOG_FAILED', `replay log write failed (${(e as Error).message}); the world must stop and recover from disk`);
          this.logger.warn(this.failed.message);
          for (const p of batch) p.reject(this.failed);
          for (const p of this.queue) p.reject(this.failed);
          this.queue = [];
        }
        this.inflight = [];
      }
    } finally {
      this.draining = false;
    }
  }

  /** Starts a new segment when none is open, the current one is full, or the module version changed. */
  private async ensureSegment(tick: number): Promise<void> {
    const versionChanged = this.currentVersion !== this.opts.versionHash;
    if (this.fd !== undefined && !versionChanged && (this.size < this.segmentBytes || this.records === 0)) return;
    const old = this.fd;
    const oldRef = this.segments.at(-1);
    const file = path.join(this.dirs.log, segmentFileName(tick));
    if (old !== undefined && this.records === 0 && oldRef !== undefined) {
      // A header-only segment holds no data; replace it rather than leave an empty file behind.
      await fsClose(old);
      fs.unlinkSync(oldRef.file);
      this.segments.pop();
    } else if (old !== undefined) {
      await fsClose(old);
    }
    this.fd = undefined;
    const fd = await fsOpen(file, 'wx');
    const header = encodeSegmentHeader({ versionHash: this.opts.versionHash, firstTick: tick, createdAt: Date.now() });
    await fsWrite(fd, header, 0, header.length, 0);
    if (this.durable) {
      await fdatasync(fd);
      await fsyncDir(this.dirs.log);
    }
    this.fd = fd;
    this.size = header.length;
    this.records = 0;
    this.currentVersion = this.opts.versionHash;
    this.segments.push({ firstTick: tick, file });
  }

  *read(from: number, to: number = Infinity): Generator<LogRecord> {
    const inMemory = [...this.inflight, ...this.queue];
    const current = this.segments.at(-1)?.file;
    const confirmed = this.size;
    const segs = this.allSegments(from);
    let i = 0;
    let expected: number | undefined;
    const check = (tick: number): void => {
      if (expected !== undefined && tick !== expected)
        throw new DurabilityError('LOG_GAP', `the log jumps from tick ${expected - 1} to tick ${tick}: a segment is missing from log/ and archive/`);
      expected = tick + 1;
    };
    for (; i < segs.length && segs[i].firstTick <= to; i++) {
      const seg = segs[i];
      const c = new SegmentCursor(seg.file, seg.file === current ? confirmed : undefined);
      const start = seg.firstTick < from ? this.seeks.find(seg.firstTick, from) : undefined;
      if (start !== undefined) c.seek(start);
      try {
        if (c.header === undefined)
          throw new DurabilityError('LOG_CORRUPT', `log segment ${seg.file} is unreadable (${c.headerError}); last good tick ${(expected ?? from) - 1}`);
        for (;;) {
          const step = c.next(from);
          if (step.kind === 'end') break;
          if (step.kind === 'bad')
            throw new DurabilityError(
              'LOG_CORRUPT',
              `log segment ${path.basename(seg.file)} is corrupt at byte ${step.offset} (${describeFrameProblem(step.reason)}); last good tick ${expected !== undefined ? expected - 1 : 'before ' + from}`,
            );
          this.seeks.note(seg.firstTick, step.tick, step.offset);
          if (step.tick < from) continue;
          if (step.tick > to) return;
          check(step.tick);
          yield decodePayload(step.payload);
        }
      } finally {
        c.close();
      }
    }
    for (const p of inMemory) {
      if (p.tick < from || (expected !== undefined && p.tick < expected)) continue;
      if (p.tick > to) return;
      check(p.tick);
      yield decodePayload(p.frame.subarray(8));
    }
  }

  *times(from: number): Generator<[number, number]> {
    const current = this.segments.at(-1)?.file;
    const confirmed = this.size;
    const inMemory = [...this.inflight, ...this.queue];
    let last = -1;
    for (const seg of this.allSegments(from)) {
      const c = new SegmentCursor(seg.file, seg.file === current ? confirmed : undefined);
      try {
        for (let step = c.next(Infinity); step.kind === 'frame'; step = c.next(Infinity)) {
          if (step.tick < from) continue;
          last = step.tick;
          yield [step.tick, peekTime(step.payload, 0)];
        }
      } finally {
        c.close();
      }
    }
    for (const p of inMemory) if (p.tick >= from && p.tick > last) yield [p.tick, peekTime(p.frame, 8)];
  }

  /** Segments of log/ and archive/ in tick order, starting with the one holding `from`. */
  private allSegments(from: number): SegmentRef[] {
    const byTick = new Map<number, SegmentRef>();
    for (const s of listSegments(this.dirs.archive)) byTick.set(s.firstTick, s);
    for (const s of this.segments) byTick.set(s.firstTick, s);
    const segs = [...byTick.values()].sort((a, b) => a.firstTick - b.firstTick);
    let i = 0;
    while (i + 1 < segs.length && segs[i + 1].firstTick <= from) i++;
    return segs.slice(i);
  }

  truncateAfter(tick: number | undefined, reason: string): void {
    if (this.opts.readOnly) throw new DurabilityError('CLOSED', 'the replay log was opened read-only');
    if (this.queue.length > 0 || this.inflight.length > 0)
      throw new DurabilityError('BAD_OPTION', 'truncateAfter() while appends are pending; await flush() first');
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
    this.reopen({ tick, reason });
  }

  archiveThrough(tick: number): number {
    if (this.opts.readOnly) return 0;
    let moved = 0;
    while (this.segments.length > 1 && this.segments[1].firstTick <= tick + 1) {
      moveIntoDirSync(this.segments[0].file, this.dirs.archive, this.durable);
      this.segments.shift();
      moved++;
    }
    return moved;
  }

  flush(): Promise<void> {
    return this.last;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.last.catch(() => {});
    if (this.fd !== undefined) await fsClose(this.fd);
    this.fd = undefined;
  }
}
