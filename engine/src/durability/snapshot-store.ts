// Snapshots on disk under <dataDir>/snapshots/: written in the background (async I/O, one at a time,
// the newest request wins), atomically (temp file, fsync, rename, fsync dir), keeping the last K.

import fs from 'node:fs';
import path from 'node:path';
import { crc32c } from '@node-rs/crc32';
import { DurabilityError } from './errors.ts';
import { fsyncDir, moveIntoDirSync } from './fs-util.ts';
import { parseSnapshot, snapshotParts, snapshotTrailer, type SnapshotMeta } from './snapshot-format.ts';
import { consoleLogger, type DurabilityLogger } from './types.ts';

export interface StoredSnapshot {
  meta: SnapshotMeta;
  image: unknown;
}

/** Storage of snapshots; implemented on disk (here) and in memory (memory-snapshot-store.ts). */
export interface SnapshotStore {
  /** Writes a snapshot off the caller's path. Resolves true once stored, false if a newer snapshot
   * request replaced this one before it started. `image` must not change while this is pending. */
  save(meta: SnapshotMeta, image: unknown): Promise<boolean>;
  /** Ticks of the stored snapshots, ascending (validity not checked). */
  list(): number[];
  /** Newest snapshot with tick <= maxTick that passes its checks and `accept` (which throws to
   * refuse it, e.g. when importing it fails). Refused ones are reported, moved aside and skipped. */
  loadNewest(maxTick?: number, accept?: (s: StoredSnapshot) => void): StoredSnapshot | undefined;
  /** Moves snapshots with tick > `tick` aside (e.g. ahead of a log whose tail was cut). */
  setAsideAfter(tick: number, reason: string): void;
  flush(): Promise<void>;
}

const SUFFIX = '.wsnap';
const WRITE_BATCH = 8 * 1024 * 1024;

export interface FileSnapshotOptions {
  dataDir: string;
  /** fsync the file and the directory ('durable'), or leave it to the OS ('os'). */
  fsync: boolean;
  keep: number;
  logger?: DurabilityLogger;
  /** Inspect only (tools): never writes, removes or moves a file. */
  readOnly?: boolean;
}

export class FileSnapshotStore implements SnapshotStore {
  readonly dir: string;
  private readonly quarantine: string;
  private readonly logger: DurabilityLogger;
  private running: Promise<void> | undefined;
  private next: { meta: SnapshotMeta; image: unknown; done: (stored: boolean, err?: Error) => void } | undefined;

  constructor(private readonly opts: FileSnapshotOptions) {
    if (!(opts.keep >= 1)) throw new DurabilityError('BAD_OPTION', `keepSnapshots must be at least 1 (got ${opts.keep})`);
    this.dir = path.join(opts.dataDir, 'snapshots');
    this.quarantine = path.join(opts.dataDir, 'quarantine');
    this.logger = opts.logger ?? consoleLogger;
    if (opts.readOnly) return;
    fs.mkdirSync(this.dir, { recursive: true });
    // Leftover temp files are snapshots that never finished: not data, safe to remove.
    for (const n of fs.readdirSync(this.dir)) if (n.endsWith('.tmp')) fs.rmSync(path.join(this.dir, n), { force: true });
  }

  fileOf(tick: number): string {
    return path.join(this.dir, String(tick).padStart(20, '0') + SUFFIX);
  }

  list(): number[] {
    const out: number[] = [];
    if (!fs.existsSync(this.dir)) return out;
    for (const n of fs.readdirSync(this.dir)) {
      if (n.length === 20 + SUFFIX.length && n.endsWith(SUFFIX) && /^\d{20}/.test(n)) out.push(Number(n.slice(0, 20)));
    }
    return out.sort((a, b) => a - b);
  }

  save(meta: SnapshotMeta, image: unknown): Promise<boolean> {
    if (this.opts.readOnly) return Promise.reject(new DurabilityError('CLOSED', 'the snapshot store was opened read-only'));
    return new Promise<boolean>((resolve, reject) => {
      this.next?.done(false);
      this.next = { meta, image, done: (stored, err) => (err ? reject(err) : resolve(stored)) };
      if (this.running === undefined) this.running = this.pump();
    });
  }

  private async pump(): Promise<void> {
    while (this.next !== undefined) {
      const job = this.next;
      this.next = undefined;
      try {
        await this.write(job.meta, job.image);
        this.prune();
        job.done(true);
      } catch (e) {
        this.logger.warn(`snapshot of tick ${job.meta.tick} failed: ${(e as Error).message}`);
        job.done(false, e as Error);
      }
    }
    this.running = undefined;
  }

  private async write(meta: SnapshotMeta, image: unknown): Promise<void> {
    const parts = snapshotParts(meta, image);
    const final = this.fileOf(meta.tick);
    const tmp = path.join(this.dir, `.${path.basename(final)}.${process.pid}.tmp`);
    const fh = await fs.promises.open(tmp, 'w');
    try {
      let crc = 0;
      let pos = 0;
      let batch: Uint8Array[] = [];
      let batchBytes = 0;
      const flushBatch = async (): Promise<void> => {
        // Checksumming per batch, between awaits, keeps each slice of main-thread work short.
        for (const c of batch) crc = crc32c(c, crc);
        const { bytesWritten } = await fh.writev(batch, pos);
        if (bytesWritten !== batchBytes) throw new Error(`short write (${bytesWritten} of ${batchBytes} bytes)`);
        pos += batchBytes;
        batch = [];
        batchBytes = 0;
      };
      for (const c of parts.chunks) {
        batch.push(c);
        batchBytes += c.byteLength;
        if (batchBytes >= WRITE_BATCH || batch.length >= 512) await flushBatch();
      }
      if (batch.length > 0) await flushBatch();
      await fh.write(snapshotTrailer(crc), 0, 8, pos);
      if (this.opts.fsync) await fh.sync();
    } catch (e) {
      await fh.close();
      fs.rmSync(tmp, { force: true });
      throw e;
    }
    await fh.close();
    await fs.promises.rename(tmp, final);
    if (this.opts.fsync) await fsyncDir(this.dir);
  }

  /** Keeps the newest K snapshots; older ones are superseded copies of state the log also holds. */
  private prune(): void {
    const ticks = this.list();
    for (let i = 0; i < ticks.length - this.opts.keep; i++) fs.rmSync(this.fileOf(ticks[i]), { force: true });
  }

  load(tick: number): StoredSnapshot {
    const file = this.fileOf(tick);
    const size = fs.statSync(file).size;
    const bytes = new Uint8Array(new ArrayBuffer(size));
    const fd = fs.openSync(file, 'r');
    try {
      let got = 0;
      while (got < size) {
        const r = fs.readSync(fd, bytes, got, size - got, got);
        if (r === 0) break;
        got += r;
      }
    } finally {
      fs.closeSync(fd);
    }
    const snap = parseSnapshot(bytes);
    if (snap.meta.tick !== tick) throw new DurabilityError('SNAPSHOT_CORRUPT', `snapshot file for tick ${tick} holds tick ${snap.meta.tick}`);
    return snap;
  }

  loadNewest(maxTick = Infinity, accept?: (s: StoredSnapshot) => void): StoredSnapshot | undefined {
    const ticks = this.list().filter((t) => t <= maxTick);
    for (let i = ticks.length - 1; i >= 0; i--) {
      try {
        const snap = this.load(ticks[i]);
        accept?.(snap);
        return snap;
      } catch (e) {
        if (typeof (e as NodeJS.ErrnoException).errno === 'number') {
          // An I/O error says nothing about the file's contents: skip it but leave it in place.
          this.logger.warn(`snapshot of tick ${ticks[i]} could not be read (${(e as Error).message}); skipped it`);
          continue;
        }
        this.setAside(ticks[i], `unusable (${(e as Error).message})`);
      }
    }
    return undefined;
  }

  setAsideAfter(tick: number, reason: string): void {
    for (const t of this.list()) if (t > tick) this.setAside(t, reason);
  }

  /** Moves one snapshot to quarantine/ so it is neither used nor counted, but not lost either. */
  setAside(tick: number, reason: string): void {
    if (this.opts.readOnly) {
      this.logger.warn(`snapshot of tick ${tick} is ${reason}; skipped it`);
      return;
    }
    const kept = moveIntoDirSync(this.fileOf(tick), this.quarantine, this.opts.fsync);
    this.logger.warn(`snapshot of tick ${tick} is ${reason}; skipped it and moved it to ${kept}`);
  }

  async flush(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }
}
