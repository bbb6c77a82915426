// A world: one module instance — its tables, its input queue and its tick. A tick runs, in order:
// init (first tick of a new world), queued calls in arrival order, connects/disconnects, due scheduled
// reducers, per-tick systems; then drains the change set, waits for the commit hook (durability) and
// publishes (subscriptions, call results). Everything a tick reads besides state is in its record.
import type { Identity } from '../schema/column.ts';
import type { ModuleDef, DbOf, ReducerDef } from '../module/define.ts';
import { Database } from '../table/database.ts';
import { TableHandle } from '../tx/table-handle.ts';
import { ChangeSet } from '../tx/change-set.ts';
import { Rng, tickSeed } from '../tx/rng.ts';
import { makeScheduler, type ScheduleTable } from '../tx/schedule.ts';
import { WORLD_IDENTITY } from '../tx/reducer-context.ts';
import { WorldlineError, Rejection, type ErrorCode } from '../errors/index.ts';
import { TickTimings, type Phase, type PhaseStats } from './timings.ts';
import { DevGuard } from './dev-guard.ts';
import { WorldContext } from './world-context.ts';
import { exportImage, importImage, type WorldImage } from './image.ts';
import type { TickInput, TickInputRecord, TickReport, CallResult, Logger, WorldOptions } from './types.ts';
import { OK, consoleLogger } from './types.ts';

/** Receives a call's result and the tag it was enqueued with (e.g. a request id). */
type Callback = ((r: CallResult, tag: number) => void) | null;
type AnyReducer = ReducerDef<never, never> & { fn: (ctx: unknown, args: unknown) => unknown };

const clockNow = performance.now.bind(performance);

export class World<M extends ModuleDef = ModuleDef> {
  readonly db: Database;
  readonly changes: ChangeSet;
  /** Typed table handles; writable only inside reducers and systems. */
  readonly tables: DbOf<M['tables']>;
  readonly versionHash: string;
  readonly logger: Logger;
  tick = 0;
  time = 0;
  seed: number;

  private readonly reducers = new Map<string, AnyReducer>();
  private queue: TickInput[] = [];
  /** Per queued input: its reducer, found once at enqueue (null for lifecycle inputs). */
  private fns: (AnyReducer | null)[] = [];
  private callbacks: Callback[] = [];
  private tags: number[] = [];
  private lifecycle: TickInput[] = [];
  private initPending: boolean;
  private readonly rng = new Rng();
  private readonly ctx: WorldContext;
  private readonly schedule: ScheduleTable;
  private readonly timings = new TickTimings();
  private readonly guard: DevGuard | null;
  private readonly clock: () => number;
  private commitHook: ((r: TickReport) => Promise<void> | void) | null = null;
  private readonly publishers: ((r: TickReport) => void)[] = [];
  private inflight: Promise<void> | null = null;
  private failed: Error | null = null;
  private running = false;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(readonly module: M, opts: WorldOptions = {}) {
    this.logger = opts.logger ?? consoleLogger;
    this.db = new Database(module.tableList);
    const handles: Record<string, TableHandle> = {};
    for (const store of this.db.tables) handles[store.name] = new TableHandle(store);
    this.tables = handles as unknown as DbOf<M['tables']>;
    this.schedule = handles['__schedule'] as unknown as ScheduleTable;
    this.changes = new ChangeSet(this.db.tables);
    this.versionHash = module.versionHash;
    this.seed = (opts.seed ?? 0x5eed) >>> 0;
    this.clock = opts.clock ?? Date.now;
    this.guard = opts.dev ? new DevGuard((m) => this.logger.warn(m)) : null;
    for (const name of module.reducerNames) this.reducers.set(name, module.reducers[name] as unknown as AnyReducer);
    const scheduler = makeScheduler(() => this.schedule, () => this.ctx.now, (r, a) => this.checkCall(r, a));
    this.ctx = new WorldContext(handles, this.rng, scheduler);
    this.initPending = Boolean(module.config.onInit);
  }

  // ---- inputs ----

  /** Queues a reducer call for the next tick; resolves with its result once the tick is committed. */
  call(reducer: string, args: unknown = {}, opts: { sender?: Identity; conn?: number } = {}): Promise<CallResult> {
    return new Promise((resolve) => this.enqueue(reducer, args, opts.sender ?? WORLD_IDENTITY, opts.conn ?? 0, resolve));
  }

  /** The allocation-light form of call(): `cb` (optional) receives the result. Invalid calls are
   * answered at once and never enter the tick (or the replay log). */
  enqueue(reducer: string, args: unknown, sender: Identity, conn: number, cb: Callback = null, tag = 0): void {
    const r = this.reducers.get(reducer);
    const err = r ? r.validate(args) : this.checkCall(reducer, args);
    if (err !== null) {
      cb?.({ ok: false, code: r ? 'BAD_ARGUMENTS' : 'UNKNOWN_REDUCER', error: err }, tag);
      return;
    }
    this.queue.push({ k: 'call', reducer, sender, conn, args });
    this.fns.push(r!);
    this.callbacks.push(cb);
    this.tags.push(tag);
  }

  connect(sender: Identity, conn: number): void { this.lifecycle.push({ k: 'connect', sender, conn }); }
  disconnect(sender: Identity, conn: number): void { this.lifecycle.push({ k: 'disconnect', sender, conn }); }

  /** null when `reducer(args)` may be called, else what is wrong with it. */
  checkCall(reducer: string, args: unknown): string | null {
    const r = this.reducers.get(reducer);
    if (!r) return `unknown reducer '${reducer}'${this.reducers.size ? `; this module has: ${[...this.reducers.keys()].join(', ')}` : ''}`;
    return r.validate(args);
  }

  get queued(): number { return this.queue.length + this.lifecycle.length; }

  // ---- hooks ----

  /** Runs after each tick's state is final, before anyone hears of it (the durability layer). */
  setCommitHook(hook: ((r: TickReport) => Promise<void> | void) | null): void { this.commitHook = hook; }
  /** Called after the commit hook settled, with the tick's change set (subscriptions). */
  onPublish(fn: (r: TickReport) => void): () => void {
    this.publishers.push(fn);
    return () => { const i = this.publishers.indexOf(fn); if (i >= 0) this.publishers.splice(i, 1); };
  }

  // ---- the tick ----

  /** Runs one tick with the queued inputs. With an async commit hook, results are released when it
   * settles; await `committed()` (or use stepAsync) before the next step. */
  step(): TickReport {
    if (this.failed) throw new WorldlineError('INTERNAL', `world stopped after a commit failure: ${this.failed.message}`);
    if (this.inflight) throw new WorldlineError('INTERNAL', 'the previous tick is still being committed; await world.committed() first');
    const tick = this.tick + 1;
    const time = Math.max(this.time, this.clock());
    // The queue's arrays become the tick's: no per-call copying. Init goes first (rare: unshift).
    const inputs = this.queue, fns = this.fns, callbacks = this.callbacks, tags = this.tags;
    this.queue = []; this.fns = []; this.callbacks = []; this.tags = [];
    if (this.initPending) { inputs.unshift({ k: 'init', sender: WORLD_IDENTITY, conn: 0 }); fns.unshift(null); callbacks.unshift(null); tags.unshift(0); this.initPending = false; }
    for (const l of this.lifecycle) { inputs.push(l); fns.push(null); callbacks.push(null); tags.push(0); }
    this.lifecycle = [];
    const report = this.execute({ tick, time, seed: tickSeed(this.seed, tick), inputs }, fns);
    this.finish(report, callbacks, tags);
    return report;
  }

  async stepAsync(): Promise<TickReport> {
    await this.committed();
    const r = this.step();
    await this.committed();
    return r;
  }

  /** Re-executes a logged tick (replay and recovery). Its inputs must be the logged ones, in order. */
  runTick(record: TickInputRecord): TickReport {
    if (record.tick !== this.tick + 1) throw new WorldlineError('INTERNAL', `runTick: expected tick ${this.tick + 1}, got ${record.tick}`);
    this.initPending = false;
    return this.execute(record, null);
  }

  /** Resolves when the last tick's commit hook and publication are done. */
  async committed(): Promise<void> {
    while (this.inflight) await this.inflight;
    if (this.failed) throw this.failed;
  }

  /** `fns`: each input's reducer as enqueue() found and validated it; null when the inputs come
   * from a log, so they are looked up and checked again. */
  private execute(record: TickInputRecord, fns: (AnyReducer | null)[] | null): TickReport {
    const t0 = clockNow();
    const ctx = this.ctx;
    this.rng.seed(record.seed);
    this.db.beginTick();
    ctx.beginTick(record.tick, record.time);
    const results: CallResult[] = new Array(record.inputs.length);
    let phase: Phase = 'calls';
    let mark = t0;
    const inputs = record.inputs;
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i]!;
      if (input.k !== 'call' && phase === 'calls') { const n = clockNow(); this.timings.add('calls', n - mark); mark = n; phase = 'lifecycle'; }
      const fn = fns !== null ? fns[i]! : null;
      results[i] = fn !== null && input.k === 'call' ? this.runCall(input, fn) : this.runInput(input);
    }
    let n = clockNow();
    if (phase === 'calls') { this.timings.add('calls', n - mark); this.timings.add('lifecycle', 0); } else this.timings.add('lifecycle', n - mark);
    mark = n;
    this.runScheduled(record.time);
    n = clockNow(); this.timings.add('scheduled', n - mark); mark = n;
    this.runSystems();
    n = clockNow(); this.timings.add('systems', n - mark); mark = n;
    this.changes.drain();
    this.db.collect();
    this.tick = record.tick;
    this.time = record.time;
    const hash = this.db.hash();
    n = clockNow(); this.timings.add('commit', n - mark);
    return { tick: record.tick, time: record.time, seed: record.seed, inputs, hash, results, changes: this.changes, startedAt: t0 };
  }

  /** A call enqueue() already validated: the hot path. */
  private runCall(input: TickInput & { k: 'call' }, r: AnyReducer): CallResult {
    const ctx = this.ctx;
    ctx.sender = input.sender;
    ctx.conn = input.conn;
    return this.runTx(input.reducer, r.fn, input.args);
  }

  /** Any input, looked up and validated here (lifecycle inputs, and every input of a logged tick). */
  private runInput(input: TickInput): CallResult {
    const ctx = this.ctx;
    ctx.sender = input.sender;
    ctx.conn = input.conn;
    switch (input.k) {
      case 'call': {
        const r = this.reducers.get(input.reducer);
        if (!r) return { ok: false, code: 'UNKNOWN_REDUCER', error: `unknown reducer '${input.reducer}'` };
        const err = r.validate(input.args);
        if (err !== null) return { ok: false, code: 'BAD_ARGUMENTS', error: err };
        return this.runTx(input.reducer, r.fn, input.args);
      }
      case 'init': return this.runLifecycle('onInit');
      case 'connect': return this.runLifecycle('onConnect');
      case 'disconnect': return this.runLifecycle('onDisconnect');
    }
  }

  private runLifecycle(which: 'onInit' | 'onConnect' | 'onDisconnect'): CallResult {
    const fn = this.module.config[which];
    return fn ? this.runTx(which, fn as (ctx: unknown) => void, undefined) : OK;
  }

  /** One transaction: all of `fn`'s writes, or none of them. */
  private runTx(name: string, fn: (ctx: unknown, args: unknown) => unknown, args: unknown): CallResult {
    const db = this.db;
    db.begin();
    const guard = this.guard;
    if (guard) guard.enter(name);
    try {
      const out = fn(this.ctx, args);
      if (out instanceof Rejection) {
        db.rollback();
        return { ok: false, code: 'REDUCER_FAILED', error: out.message };
      }
      db.commit();
      return OK;
    } catch (e) {
      db.rollback();
      return this.errorResult(name, e);
    } finally {
      if (guard) guard.exit();
    }
  }

  private errorResult(name: string, e: unknown): CallResult {
    if (e instanceof WorldlineError) return { ok: false, code: e.code, error: e.message };
    this.logger.error(`reducer '${name}' threw at tick ${this.ctx.tick} (sender ${this.ctx.sender.slice(0, 12)}…)`, e);
    return { ok: false, code: 'INTERNAL' as ErrorCode, error: `internal error in '${name}'; the change was rolled back (details are in the server log)` };
  }

  private runScheduled(now: number): void {
    const store = this.schedule.store;
    const atCol = store.colIndex['at']!;
    const due: { id: number; at: number }[] = [];
    store.multi[atCol]!.range(-Infinity, now, (s) => due.push({ id: store.read(s, store.pkCol) as number, at: store.cols[atCol]![s]! }));
    if (due.length === 0) return;
    // Order by (time, id), never by slot: slots differ after a snapshot reload, ids do not.
    due.sort((a, b) => a.at - b.at || a.id - b.id);
    const ctx = this.ctx;
    for (const d of due) {
      const row = this.schedule.find(d.id);
      if (!row) continue; // cancelled by an earlier scheduled reducer this tick
      ctx.sender = WORLD_IDENTITY;
      ctx.conn = 0;
      const r = this.reducers.get(row.reducer);
      const res = r ? this.runTx(row.reducer, r.fn, JSON.parse(row.args)) : { ok: false as const, code: 'UNKNOWN_REDUCER' as ErrorCode, error: row.reducer };
      if (!res.ok && res.code === 'INTERNAL') this.logger.warn(`scheduled reducer '${row.reducer}' (schedule ${d.id}) failed: ${res.error}`);
      this.runTx('__schedule', () => {
        if (!this.schedule.has(d.id)) return;
        if (row.every > 0) {
          let next = row.at + row.every;
          if (next <= now) next = now + row.every; // skip runs missed while the world was down
          this.schedule.set(d.id, 'at', next);
        } else this.schedule.delete(d.id);
      }, undefined);
    }
  }

  private runSystems(): void {
    const systems = this.module.config.systems;
    if (!systems) return;
    this.ctx.sender = WORLD_IDENTITY;
    this.ctx.conn = 0;
    for (let i = 0; i < systems.length; i++) {
      const res = this.runTx(`system #${i}`, systems[i] as (ctx: unknown) => void, undefined);
      if (!res.ok && res.code !== 'INTERNAL') this.logger.warn(`system #${i} failed at tick ${this.tick + 1}: ${res.error}`);
    }
  }

  private finish(report: TickReport, callbacks: Callback[], tags: number[]): void {
    const hook = this.commitHook;
    if (!hook) { this.timings.add('durability', 0); this.publish(report, callbacks, tags); return; }
    const t0 = clockNow();
    let sync: Promise<void> | void;
    try { sync = hook(report); } catch (e) { sync = Promise.reject(e); }
    if (!(sync instanceof Promise)) { this.timings.add('durability', clockNow() - t0); this.publish(report, callbacks, tags); return; }
    this.inflight = sync.then(
      () => { this.timings.add('durability', clockNow() - t0); this.inflight = null; this.publish(report, callbacks, tags); },
      (e: unknown) => {
        // Fail-stop: a tick that is not durable is never acknowledged, and no later tick runs.
        this.inflight = null;
        this.failed = e instanceof Error ? e : new Error(String(e));
        this.logger.error(`commit of tick ${report.tick} failed; the world stops`, e);
        this.running = false;
        for (let i = 0; i < callbacks.length; i++) callbacks[i]?.({ ok: false, code: 'INTERNAL', error: 'the server could not store this tick; the call may not have happened' }, tags[i]!);
      },
    );
  }

  private publish(report: TickReport, callbacks: Callback[], tags: number[]): void {
    const t0 = clockNow();
    for (const p of this.publishers) {
      try { p(report); } catch (e) { this.logger.error(`publisher failed at tick ${report.tick}`, e); }
    }
    const results = report.results;
    for (let i = 0; i < callbacks.length; i++) callbacks[i]?.(results[i]!, tags[i]!);
    const n = clockNow();
    this.timings.add('publish', n - t0);
    this.timings.add('total', n - report.startedAt);
  }

  // ---- loop ----

  start(): void {
    if (this.running) return;
    this.running = true;
    const dt = 1000 / this.module.tickRate;
    let next = clockNow();
    const loop = async () => {
      this.timer = null;
      if (!this.running) return;
      try {
        this.step();
        await this.committed();
      } catch (e) {
        if (!this.failed) this.logger.error('tick failed', e);
        this.running = false;
        return;
      }
      if (!this.running) return;
      next += dt;
      const now = clockNow();
      if (now - next > dt * 5) next = now; // far behind: don't try to catch up with a burst of ticks
      this.timer = setTimeout(loop, Math.max(0, next - now));
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    await this.committed().catch(() => undefined);
  }

  get isRunning(): boolean { return this.running; }

  // ---- state ----

  hash(): string { return this.db.hash(); }
  timingStats(): Record<Phase, PhaseStats> { return this.timings.stats(); }
  exportImage(): WorldImage { return exportImage(this); }
  importImage(img: WorldImage): void {
    importImage(this, img);
    this.initPending = false;
  }
}

export function createWorld<M extends ModuleDef>(module: M, opts: WorldOptions = {}): World<M> {
  return new World(module, opts);
}
