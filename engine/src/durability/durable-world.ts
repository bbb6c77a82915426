// A world bound to its data directory: recovered on open, every tick appended to the replay log
// before anyone hears of it, snapshots every N ticks, and time travel (at) and restore on top.

import fs from 'node:fs';
import type { DbOf, ModuleDef } from '../module/define.ts';
import type { WorldImage } from '../tick/image.ts';
import { consoleLogger, type Logger, type TickReport, type WorldOptions } from '../tick/types.ts';
import { createWorld, type World } from '../tick/world.ts';
import { lockDataDir, type DirLock } from './dir-lock.ts';
import { DurabilityError } from './errors.ts';
import { FileReplayLog } from './file-log.ts';
import type { ReplayLog } from './log-api.ts';
import { MemoryReplayLog } from './memory-log.ts';
import { MemorySnapshotStore } from './memory-snapshot-store.ts';
import { recover, type RecoveryReport } from './recovery.ts';
import { setBack, worldAt, type ReplaySource } from './replayer.ts';
import { FileSnapshotStore, type SnapshotStore } from './snapshot-store.ts';
import { findTickAtTime } from './tick-at-time.ts';
import type { DurabilityMode, LogRecord, Retention } from './types.ts';
import { readWorldMeta, writeWorldMeta, DATA_FORMAT } from './world-meta.ts';

export interface DurableWorldOptions {
  /** Directory holding log/, snapshots/, archive/, quarantine/ and world.json. Not needed for 'memory'. */
  dataDir?: string;
  /** What a crash may lose: see docs/durability.md. Default 'durable'. */
  durability?: DurabilityMode;
  /** Take a snapshot every this many ticks (default 1200: one minute at 20 Hz). */
  snapshotEvery?: number;
  /** Snapshots to keep (default 10). Time travel is fast back to the oldest kept one. */
  keepSnapshots?: number;
  /** Log segments older than the oldest kept snapshot: 'keep' in log/ (default) or 'archive' to archive/. */
  retention?: Retention;
  /** Open a data directory written by another module version (its ticks are re-executed with this one). */
  allowVersionMismatch?: boolean;
  /** New log segment after this many bytes (default 64 MiB). */
  segmentBytes?: number;
  /** Take a snapshot on close() so the next start replays nothing (default true). */
  snapshotOnClose?: boolean;
  logger?: Logger;
  /** Options for the live world; its seed is fixed when the data directory is created. */
  world?: Omit<WorldOptions, 'logger'>;
}

/** A world as it was at some tick: readable, not writable (table writes throw outside reducers). */
export interface WorldView<M extends ModuleDef = ModuleDef> {
  readonly tick: number;
  readonly time: number;
  readonly tables: DbOf<M['tables']>;
  readonly versionHash: string;
  hash(): string;
  exportImage(): WorldImage;
}

export interface RestoreEvent {
  /** The tick number the restore used up. */
  tick: number;
  /** The tick whose state the world now has. */
  toTick: number;
}

const DEFAULT_SEED = 0x5eed;

function checkOptions(o: DurableWorldOptions): void {
  const bad = (msg: string): never => {
    throw new DurabilityError('BAD_OPTION', msg);
  };
  const mode = o.durability ?? 'durable';
  if (!['memory', 'os', 'durable'].includes(mode)) bad(`durability must be 'memory', 'os' or 'durable' (got '${mode}')`);
  if (mode !== 'memory' && !o.dataDir) bad(`durability '${mode}' needs a dataDir; pass { dataDir } or use durability: 'memory'`);
  if (o.snapshotEvery !== undefined && !(Number.isInteger(o.snapshotEvery) && o.snapshotEvery > 0))
    bad(`snapshotEvery must be a positive whole number of ticks (got ${o.snapshotEvery})`);
  if (o.retention !== undefined && o.retention !== 'keep' && o.retention !== 'archive') bad(`retention must be 'keep' or 'archive' (got '${o.retention}')`);
}

/** Opens (or creates) a durable world: recovers it from `dataDir`, then logs every tick. */
export async function openDurableWorld<M extends ModuleDef>(module: M, opts: DurableWorldOptions = {}): Promise<DurableWorld<M>> {
  checkOptions(opts);
  const mode = opts.durability ?? 'durable';
  const logger = opts.logger ?? consoleLogger;
  const keep = opts.keepSnapshots ?? 10;
  let log: ReplayLog;
  let snapshots: SnapshotStore;
  let seed = (opts.world?.seed ?? DEFAULT_SEED) >>> 0;
  let lock: DirLock | undefined;
  if (mode === 'memory') {
    log = new MemoryReplayLog();
    snapshots = new MemorySnapshotStore(keep);
  } else {
    const dataDir = opts.dataDir!;
    fs.mkdirSync(dataDir, { recursive: true });
    lock = lockDataDir(dataDir);
    let meta: ReturnType<typeof readWorldMeta>;
    let flog: FileReplayLog;
    try {
      meta = readWorldMeta(dataDir);
      flog = FileReplayLog.open({ dataDir, mode, versionHash: module.versionHash, segmentBytes: opts.segmentBytes, logger });
    } catch (e) {
      lock.release();
      throw e;
    }
    const stored = flog.storedVersionHash ?? meta?.versionHash;
    if (stored !== undefined && stored !== module.versionHash) {
      if (!opts.allowVersionMismatch) {
        await flog.close();
        lock.release();
        throw new DurabilityError(
          'VERSION_MISMATCH',
          `${dataDir} was written by module version ${stored}, but this module is version ${module.versionHash}. ` +
            `Start the module version that wrote it, use another data directory, or pass allowVersionMismatch: true ` +
            `to re-execute the old log with the new module (hash checks then only warn).`,
        );
      }
      logger.warn(`opening ${dataDir} (module version ${stored}) with module version ${module.versionHash}, as allowed`);
    }
    if (meta === undefined) writeWorldMeta(dataDir, { format: DATA_FORMAT, seed, createdAt: Date.now(), versionHash: module.versionHash }, mode === 'durable');
    else {
      if (opts.world?.seed !== undefined && opts.world.seed >>> 0 !== meta.seed)
        logger.warn(`world seed ${opts.world.seed} ignored: ${dataDir} was created with seed ${meta.seed}, and replay needs that one`);
      seed = meta.seed;
    }
    log = flog;
    snapshots = new FileSnapshotStore({ dataDir, fsync: mode === 'durable', keep, logger });
  }
  const src: ReplaySource<M> = { module, seed, log, snapshots };
  let recovered: ReturnType<typeof recover<M>>;
  try {
    recovered = recover(src, () => createWorld(module, { ...opts.world, seed, logger }), {
      allowVersionMismatch: opts.allowVersionMismatch ?? false,
      logger,
    });
  } catch (e) {
    await log.close();
    lock?.release();
    throw e;
  }
  const { world, report: recovery } = recovered;
  if (recovery.tick > 0 || recovery.dropped.length > 0)
    logger.info(
      `recovered to tick ${recovery.tick} in ${recovery.durationMs.toFixed(0)} ms ` +
        `(snapshot ${recovery.snapshotTick ?? 'none'}, ${recovery.replayedTicks} tick(s) replayed)`,
    );
  return new DurableWorld(world, src, recovery, mode, opts, lock);
}

export class DurableWorld<M extends ModuleDef = ModuleDef> {
  readonly snapshotEvery: number;
  private readonly retention: Retention;
  private readonly restoreListeners: ((e: RestoreEvent) => void)[] = [];
  private pendingSnapshot: Promise<void> = Promise.resolve();
  private lastSnapshotTick: number;
  private closed = false;

  constructor(
    readonly world: World<M>,
    private readonly src: ReplaySource<M>,
    readonly recovery: RecoveryReport,
    readonly mode: DurabilityMode,
    private readonly opts: DurableWorldOptions,
    private readonly lock?: DirLock,
  ) {
    this.snapshotEvery = opts.snapshotEvery ?? 1200;
    this.retention = opts.retention ?? 'keep';
    this.lastSnapshotTick = recovery.snapshotTick ?? 0;
    world.setCommitHook((r) => this.commit(r));
    // A long replay on this start would be paid again on the next one: snapshot now instead.
    if (recovery.replayedTicks >= this.snapshotEvery) this.snapshot(Promise.resolve());
  }

  get log(): ReplayLog {
    return this.src.log;
  }

  get snapshots(): SnapshotStore {
    return this.src.snapshots;
  }

  private commit(r: TickReport): Promise<void> | void {
    if (this.closed) throw new DurabilityError('CLOSED', `tick ${r.tick} ran after the durable world was closed; it is not stored`);
    const rec: LogRecord = { kind: 'tick', tick: r.tick, time: r.time, seed: r.seed, inputs: r.inputs, hash: r.hash };
    const stored = this.src.log.append(rec);
    if (r.tick - this.lastSnapshotTick >= this.snapshotEvery) this.snapshot(stored);
    if (this.mode !== 'memory') return stored;
    // In memory the append is already done: stay synchronous so step() needs no await.
    stored.catch((e: unknown) => (this.opts.logger ?? consoleLogger).error(`tick ${r.tick} not kept in the in-memory log`, e));
    return undefined;
  }

  /** Copies the world now (a tick boundary) and writes the copy once its tick is in the log. */
  private snapshot(afterLogged: Promise<void>): Promise<void> {
    const image = this.world.exportImage();
    this.lastSnapshotTick = image.tick;
    const meta = { tick: image.tick, time: image.time, hash: image.hash, versionHash: image.versionHash, createdAt: Date.now() };
    const logger = this.opts.logger ?? consoleLogger;
    const done = afterLogged
      .then(() => this.src.snapshots.save(meta, image))
      .then((stored) => {
        const oldest = this.src.snapshots.list()[0];
        if (stored && this.retention === 'archive' && oldest !== undefined) this.src.log.archiveThrough(oldest);
      })
      .catch((e: unknown) => logger.warn(`snapshot of tick ${meta.tick} not stored: ${(e as Error).message}`));
    this.pendingSnapshot = this.pendingSnapshot.then(() => done);
    return done;
  }

  /** Writes a snapshot of the current tick (after the tick is in the log). */
  async snapshotNow(): Promise<void> {
    await this.world.committed();
    await this.snapshot(this.src.log.flush());
  }

  /** The world as it was after `tick` (0 = before the first tick): a separate, read-only instance. */
  at(tick: number): WorldView<M> {
    if (!Number.isInteger(tick) || tick < 0 || tick > this.world.tick)
      throw new DurabilityError('NO_SUCH_TICK', `tick ${tick} is outside the world's history 0..${this.world.tick}`);
    const w = worldAt(this.src, tick);
    return { tick: w.tick, time: w.time, tables: w.tables, versionHash: w.versionHash, hash: () => w.hash(), exportImage: () => w.exportImage() };
  }

  /** The last tick whose time is at or before `time` (ms since the epoch); undefined if none. */
  tickAt(time: number): number | undefined {
    return findTickAtTime(this.src, time);
  }

  /** Sets the live world back to its state after `tick`. The restore is itself a logged tick, so the
   * history after `tick` stays in the log and at() still reaches it. Resolves once it is stored. */
  async restore(tick: number): Promise<RestoreEvent> {
    if (this.closed) throw new DurabilityError('CLOSED', 'restore() after close()');
    await this.world.committed();
    const current = this.world.tick;
    if (!Number.isInteger(tick) || tick < 0 || tick > current)
      throw new DurabilityError('NO_SUCH_TICK', `cannot restore to tick ${tick}: the world's history is 0..${current}`);
    const image = worldAt(this.src, tick).exportImage();
    const event: RestoreEvent = { tick: current + 1, toTick: tick };
    setBack(this.world, image, event.tick, this.world.time);
    const stored = this.src.log.append({ kind: 'restore', tick: event.tick, time: this.world.time, toTick: tick, hash: this.world.hash() });
    // Snapshot right away so recovery does not have to rebuild the old state through the log.
    this.snapshot(stored);
    for (const fn of this.restoreListeners) fn(event);
    await stored;
    return event;
  }

  /** Called after a restore replaced the live state (subscriptions must resend full state). */
  onRestore(fn: (e: RestoreEvent) => void): () => void {
    this.restoreListeners.push(fn);
    return () => {
      const i = this.restoreListeners.indexOf(fn);
      if (i >= 0) this.restoreListeners.splice(i, 1);
    };
  }

  /** Waits until every tick so far is stored and pending snapshots are written. */
  async flush(): Promise<void> {
    await this.world.committed();
    await this.src.log.flush();
    await this.pendingSnapshot;
    await this.src.snapshots.flush();
  }

  /** Stops the world's loop, stores everything and closes the log. Later ticks fail (fail-stop). */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.world.stop();
    if ((this.opts.snapshotOnClose ?? true) && this.mode !== 'memory' && this.world.tick > this.lastSnapshotTick)
      this.snapshot(this.src.log.flush());
    await this.flush();
    this.closed = true;
    await this.src.log.close();
    this.lock?.release();
  }
}

export type { RecoveryReport };
