// A world: one module instance — its tables, its input queue and its tick. A tick runs, in order:
// init (first tick of a new world), queued calls in arrival order, connects/disconnects, due scheduled
// reducers, per-tick systems; then drains the change set, waits for the commit hook (durability) and
// publishes (subscriptions, call results). Everything a tick reads besides state is in its record.
import type { Identity } from '../schema/column.ts';
import type { ModuleDef, DbOf } from '../module/define.ts';
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
import { CallQueue, IN_CALL, IN_INIT, IN_CONNECT, IN_DISCONNECT, type AnyReducer, type Callback } from './call-queue.ts';
import { Report } from './report.ts';

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
  private lastName = '';
  private lastReducer: AnyReducer | undefined = undefined;
  /** Calls queued for the next tick. */
  private queue = new CallQueue();
  /** The last tick's inputs: kept until its results are out, then reused as the next queue. */
  private prev = new CallQueue();
  /** A logged tick's inputs (replay). */
  private readonly logged = new CallQueue();
  private lifecycle: TickInput[] = [];
  private publishing = false;
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
    // Calls come in runs of one reducer: the last lookup usually answers without hashing the name.
    let r: AnyReducer | undefined;
    if (reducer === this.lastName) r = this.lastReducer;
    else { r = this.reducers.get(reducer); if (r) { this.lastName = reducer; this.lastReducer = r; } }
    const err = r ? r.validate(args) : this.checkCall(reducer, args);
    if (err !== null) {
      cb?.({ ok: false, code: r ? 'BAD_ARGUMENTS' : 'UNKNOWN_REDUCER', error: err }, tag);
      return;
    }
    this.queue.push(IN_CALL, reducer, r!, sender, conn, args, cb, tag);
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
    if (this.publishing) throw new WorldlineError('INTERNAL', 'step() was called while the last tick\'s results were being delivered; call it after they are');
    const tick = this.tick + 1;
    const time = Math.max(this.time, this.clock());
    // The queue becomes the tick's inputs; the last tick's (its results are out) becomes the queue.
    const q = this.queue;
    this.prev.clear();
    this.queue = this.prev;
    this.prev = q;
    if (this.initPending) { q.unshift(IN_INIT, WORLD_IDENTITY, 0); this.initPending = false; }
    for (const l of this.lifecycle) q.pushInput(l);
    this.lifecycle = [];
    const report = this.execute(tick, time, tickSeed(this.seed, tick), q, null);
    this.finish(report, q);
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
    const q = this.logged;
    q.clear();
    for (const input of record.inputs) q.pushInput(input);
    return this.execute(record.tick, record.time, record.seed, q, record.inputs);
  }

  /** Resolves when the last tick's commit hook and publication are done. */
  async committed(): Promise<void> {
    while (this.inflight) await this.inflight;
    if (this.failed) throw this.failed;
  }

  /** Runs the inputs in `q`. A call's `fn` is set when enqueue() found and validated it; inputs from
   * a log have none, so they are looked up and checked again. `logged`: the inputs as objects, when
   * they came as such. */
  private execute(tick: number, time: number, seed: number, q: CallQueue, logged: TickInput[] | null): TickReport {
    const t0 = clockNow();
    const ctx = this.ctx;
    this.rng.seed(seed);
    this.db.beginTick();
    ctx.beginTick(tick, time);
    const len = q.length;
    const results: CallResult[] = new Array(len);
    // The queue holds runs of calls and runs of lifecycle inputs (init first, connects and
    // disconnects last): each run is timed to its phase.
    let callsMs = 0, lifecycleMs = 0, mark = t0, n = t0;
    for (let i = 0; i < len;) {
      const end = q.runEnd(i);
      this.runInputs(q, i, end, results);
      n = clockNow();
      if (q.kind[i] === IN_CALL) callsMs += n - mark; else lifecycleMs += n - mark;
      mark = n;
      i = end;
    }
    this.timings.add('calls', callsMs);
    this.timings.add('lifecycle', lifecycleMs);
    this.runScheduled(time);
    n = clockNow(); this.timings.add('scheduled', n - mark); mark = n;
    this.runSystems();
    n = clockNow(); this.timings.add('systems', n - mark); mark = n;
    this.changes.drain();
    this.db.collect();
    this.tick = tick;
    this.time = time;
    const hash = this.db.hash();
    n = clockNow(); this.timings.add('commit', n - mark);
    return new Report(tick, time, seed, hash, results, this.changes, t0, q, logged);
  }

  /** Runs inputs [from, to) of `q` into `results`. The loop has a method of its own: inside
   * execute(), V8 optimized it on stack replacement during the first big tick, before the code
   * after the loop had run, and that code deoptimized on every later tick. */
  private runInputs(q: CallQueue, from: number, to: number, results: CallResult[]): void {
    const fns = q.fn;
    for (let i = from; i < to; i++) {
      const fn = fns[i]!;
      results[i] = fn !== null ? this.runCall(q, i, fn) : this.runInput(q, i);
    }
  }

  /** A call enqueue() already validated: the hot path. */
  private runCall(q: CallQueue, i: number, r: AnyReducer): CallResult {
    const ctx = this.ctx;
    ctx.sender = q.sender[i]!;
    ctx.conn = q.conn[i]!;
    return this.runTx(q.reducer[i]!, r.fn, q.args[i]);
  }

  /** Any input, looked up and validated here (lifecycle inputs, and every input of a logged tick). */
  private runInput(q: CallQueue, i: number): CallResult {
    const ctx = this.ctx;
    ctx.sender = q.sender[i]!;
    ctx.conn = q.conn[i]!;
    switch (q.kind[i]) {
      case IN_CALL: {
        const name = q.reducer[i]!, args = q.args[i];
        const r = this.reducers.get(name);
        if (!r) return { ok: false, code: 'UNKNOWN_REDUCER', error: `unknown reducer '${name}'` };
        const err = r.validate(args);
        if (err !== null) return { ok: false, code: 'BAD_ARGUMENTS', error: err };
        return this.runTx(name, r.fn, args);
      }
      case IN_INIT: return this.runLifecycle('onInit');
      case IN_CONNECT: return this.runLifecycle('onConnect');
      case IN_DISCONNECT: return this.runLifecycle('onDisconnect');
      default: throw new WorldlineError('INTERNAL', `input kind ${q.kind[i]}`);
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
      // Most reducers return nothing: test that first, since instanceof takes a generic builtin
      // (a lookup of Symbol.hasInstance) even in optimized code.
      if (out !== undefined && out instanceof Rejection) {
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

  private finish(report: TickReport, q: CallQueue): void {
    const hook = this.commitHook;
    if (!hook) { this.timings.add('durability', 0); this.publish(report, q); return; }
    const t0 = clockNow();
    let sync: Promise<void> | void;
    try { sync = hook(report); } catch (e) { sync = Promise.reject(e); }
    if (!(sync instanceof Promise)) { this.timings.add('durability', clockNow() - t0); this.publish(report, q); return; }
    this.inflight = sync.then(
      () => { this.timings.add('durability', clockNow() - t0); this.inflight = null; this.publish(report, q); },
      (e: unknown) => {
        // Fail-stop: a tick that is not durable is never acknowledged, and no later tick runs.
        this.inflight = null;
        this.failed = e instanceof Error ? e : new Error(String(e));
        this.logger.error(`commit of tick ${report.tick} failed; the world stops`, e);
        this.running = false;
        const cbs = q.cb, tags = q.tag;
        for (let i = 0; i < q.length; i++) cbs[i]?.({ ok: false, code: 'INTERNAL', error: 'the server could not store this tick; the call may not have happened' }, tags[i]!);
      },
    );
  }

  private publish(report: TickReport, q: CallQueue): void {
    const t0 = clockNow();
    this.publishing = true;
    try {
      for (const p of this.publishers) {
        try { p(report); } catch (e) { this.logger.error(`publisher failed at tick ${report.tick}`, e); }
      }
      const results = report.results, cbs = q.cb, tags = q.tag;
      for (let i = 0; i < q.length; i++) {
        const cb = cbs[i];
        if (cb === null) continue;
        try { cb!(results[i]!, tags[i]!); } catch (e) { this.logger.error(`a call's result callback failed at tick ${report.tick}`, e); }
      }
    } finally {
      this.publishing = false;
    }
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
