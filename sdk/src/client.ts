// The Worldline client: one WebSocket at a time, reconnected with backoff; a typed cache per table
// that only ever shows a consistent state (whole updates, or a whole resync after a reconnect);
// typed reducer calls; subscriptions and areas that survive reconnects.
import {
  ClientState, FrameEncoder, decodeFrame, applyFrame, resolveLimits,
  type Frame, type WelcomeFrame, type TickUpdateFrame, type SubscriptionAppliedFrame, type ErrorFrame,
  type CallReducer, type ProtocolLimits, type TableChangeReport,
} from '@worldline/engine/protocol/index.ts';
import { ClientError } from './errors.ts';
import { Emitter, type Off } from './emitter.ts';
import { CallManager } from './calls.ts';
import { CacheTable, diffTables, type TableCache, type TableChanges } from './table-cache.ts';
import { SubscriptionSet, type AreaSpec, type Subscription, type AreaSubscription } from './subscriptions.ts';
import type { ConnectOptions, ClientEvents, ClientStatus } from './options.ts';
import { resolveWebSocket, messageBytes, OPEN, type WebSocketCtor, type WebSocketLike, type MessageEventLike, type CloseEventLike } from './websocket.ts';
import { nextDelay } from './backoff.ts';
import type { TableName, Row, Pk, ReducerName, ReducerParams, ReducerCallers, Filter, AreaOptions } from './types.ts';

/** Codes after which reconnecting cannot help. */
const FINAL_CODES = new Set(['UNAUTHORIZED', 'VERSION_MISMATCH']);

export class WorldlineClient<M> {
  /** Typed caches: client.db.player.find(id), .iter(), .onInsert(…). */
  readonly db: { readonly [K in TableName<M>]: TableCache<Row<M, K>, Pk<M, K>> };
  /** Typed reducer calls: await client.reducers.move({ dx: 1, dy: 0 }). */
  readonly reducers: ReducerCallers<M>;
  /** Settles on the first connect (rejects if the client closes before). */
  readonly ready: Promise<void>;
  /** Connection facts, read through the getters below. */
  private readonly info = {
    identity: null as string | null, token: null as string | null, connectionId: 0, tickRate: 0,
    moduleVersion: '', status: 'connecting' as ClientStatus,
  };

  private readonly WS: WebSocketCtor;
  private readonly limits: ProtocolLimits;
  private readonly encoder = new FrameEncoder(256);
  private readonly events: Emitter<ClientEvents>;
  private readonly calls: CallManager;
  private readonly caches = new Map<string, CacheTable<unknown, unknown>>();
  private readonly subs: SubscriptionSet;
  private ws: WebSocketLike | null = null;
  /** The current socket got a Welcome (so its end is a 'disconnect'). */
  private up = false;
  /** What the caches show. During a resync, `next` fills up while `view` stays as it was. */
  private view: ClientState | null = null;
  private next: ClientState | null = null;
  private reducerIds = new Map<string, number>();
  private everConnected = false;
  private attempts = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private fatal: ClientError | null = null;
  private closedError: ClientError | null = null;
  private settleReady!: (err?: ClientError) => void;
  private closeWaiters: (() => void)[] = [];
  private reportingListenerError = false;

  constructor(private readonly opts: ConnectOptions) {
    if (!/^wss?:\/\/./i.test(opts.url)) {
      throw new ClientError('BAD_ARGUMENTS', `connect({ url }) needs a ws:// or wss:// URL, got ${JSON.stringify(opts.url)}`);
    }
    this.WS = resolveWebSocket(opts.WebSocket);
    this.limits = resolveLimits(opts.limits);
    this.info.token = opts.token ?? null;
    const onThrow = (err: unknown): void => this.listenerFailed(err);
    this.events = new Emitter<ClientEvents>(onThrow);
    this.calls = new CallManager({
      canSend: () => this.info.status === 'connected',
      reducerId: (name) => this.reducerIds.get(name),
      sendCalls: (calls: readonly CallReducer[]) => this.send({ type: 'callBatch', calls }),
    }, opts.maxQueuedCalls ?? 256);
    this.ready = new Promise<void>((res, rej) => {
      this.settleReady = (err) => (err ? rej(err) : res());
    });
    this.ready.catch(() => undefined);
    this.db = new Proxy({}, {
      get: (_, name) => (typeof name === 'string' && name !== 'then' ? this.cache(name) : undefined),
    }) as WorldlineClient<M>['db'];
    this.subs = new SubscriptionSet({
      liveState: () => (this.info.status === 'syncing' ? this.next : this.info.status === 'connected' ? this.view : null),
      isSyncing: () => this.info.status === 'syncing',
      send: (frame) => this.send(frame),
      syncDone: () => this.finishSync(),
      reportError: (err) => this.emitError(err),
    });
    const callers = new Map<string, (args?: object) => Promise<void>>();
    this.reducers = new Proxy({}, {
      get: (_, name) => {
        if (typeof name !== 'string' || name === 'then') return undefined;
        let fn = callers.get(name);
        if (!fn) callers.set(name, fn = (args?: object) => this.calls.call(name, args, this.closedError));
        return fn;
      },
    }) as ReducerCallers<M>;
    this.open();
  }

  /** This client's identity (64 hex characters) once connected; it survives reconnects. */
  get identity(): string | null { return this.info.identity; }
  /** The token that restores this identity (pass it as `token` to a later connect()). */
  get token(): string | null { return this.info.token; }
  get connectionId(): number { return this.info.connectionId; }
  get tickRate(): number { return this.info.tickRate; }
  /** The server module's version hash, from Welcome. */
  get moduleVersion(): string { return this.info.moduleVersion; }
  get status(): ClientStatus { return this.info.status; }

  /** The last applied tick and its server time (ms since the epoch). */
  get tick(): number {
    return this.view?.tick ?? 0;
  }

  get tickTime(): number {
    return this.view?.time ?? 0;
  }

  on<K extends keyof ClientEvents>(event: K, listener: ClientEvents[K]): Off {
    return this.events.on(event, listener);
  }

  /** Calls a reducer by name (client.reducers.<name>(args) is the same). */
  call<K extends ReducerName<M>>(reducer: K, ...args: ReducerParams<M, K>): Promise<void> {
    return this.calls.call(reducer, args[0] as object | undefined, this.closedError);
  }

  /** Subscribes to the rows of `table` matching `filter` (all of it without one). */
  subscribe<K extends TableName<M>>(table: K, filter?: Filter<M, K>): Subscription {
    return this.subs.subscribe(table, (filter ?? null) as Record<string, unknown> | null);
  }

  /** An area-of-interest subscription: rows of a spatial table within a circle or rectangle that
   * may follow a row (your avatar). Rows enter, change and leave as it or they move. */
  setArea<K extends TableName<M>>(options: AreaOptions<M, K>): AreaSubscription<AreaOptions<M, K>> {
    return this.subs.area(options as AreaOptions<M, K> & AreaSpec);
  }

  /** Closes the connection for good; waiting calls are rejected with CLOSED. */
  close(): Promise<void> {
    if (this.info.status !== 'closed') this.shutdown(new ClientError('CLOSED', 'the client was closed'));
    if (!this.ws) return Promise.resolve();
    return new Promise((res) => this.closeWaiters.push(res));
  }

  private cache(name: string): CacheTable<unknown, unknown> {
    let c = this.caches.get(name);
    if (!c) {
      c = new CacheTable(name, (err) => this.listenerFailed(err));
      c.source = this.view?.table(name) ?? null;
      this.caches.set(name, c);
    }
    return c;
  }

  // ---- connection lifecycle ----

  private open(): void {
    this.timer = null;
    this.info.status = 'connecting';
    let ws: WebSocketLike;
    try {
      ws = new this.WS(this.opts.url);
    } catch (e) {
      this.emitError(new ClientError('CONNECTION_LOST', `cannot open ${this.opts.url}: ${(e as Error).message}`, { cause: e }));
      this.retryOrStop(null);
      return;
    }
    this.ws = ws;
    ws.binaryType = 'arraybuffer';
    ws.onopen = (() => {
      if (this.ws === ws) this.send({ type: 'hello', token: this.info.token, moduleVersion: this.opts.moduleVersion ?? null });
    }) as (ev: never) => void;
    ws.onmessage = ((ev: MessageEventLike) => {
      if (this.ws === ws) this.onMessage(ev.data);
    }) as (ev: never) => void;
    ws.onclose = ((ev: CloseEventLike) => {
      if (this.ws === ws) this.onClose(ev.code, ev.reason);
    }) as (ev: never) => void;
    ws.onerror = (() => undefined) as (ev: never) => void; // a close event follows
  }

  private onClose(code: number, reason: string): void {
    const wasUp = this.up;
    this.up = false;
    this.ws = null;
    this.next = null;
    this.subs.disconnected();
    this.calls.disconnected();
    const waiters = this.closeWaiters;
    this.closeWaiters = [];
    if (this.info.status === 'closed') {
      if (wasUp) this.events.emit('disconnect', { code, reason, willReconnect: false });
      for (const w of waiters) w();
      return;
    }
    const fatal = this.fatal;
    this.fatal = null;
    const willReconnect = this.opts.reconnect !== false && !(fatal && FINAL_CODES.has(fatal.code));
    if (wasUp || this.info.status === 'connecting') this.info.status = 'waiting';
    if (wasUp) this.events.emit('disconnect', { code, reason, willReconnect });
    this.retryOrStop(willReconnect ? null : fatal ?? new ClientError('CLOSED', `the connection closed (${code} ${reason}) and reconnect is off`));
  }

  private retryOrStop(stop: ClientError | null): void {
    if (stop || this.opts.reconnect === false) {
      this.shutdown(stop ?? new ClientError('CLOSED', 'the connection failed and reconnect is off'));
      return;
    }
    this.info.status = 'waiting';
    const delay = nextDelay(this.attempts++, this.opts.reconnect);
    this.timer = setTimeout(() => this.open(), delay);
  }

  private shutdown(err: ClientError): void {
    this.info.status = 'closed';
    this.closedError = err;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.calls.closeAll(err);
    this.settleReady(err);
    this.subs.closeAll(err);
    const ws = this.ws;
    if (ws) {
      try {
        ws.close(1000, 'client closed');
      } catch {
        this.onClose(1000, 'client closed');
      }
    }
  }

  private send(frame: Frame): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== OPEN) return;
    ws.send(this.encoder.encode(frame).slice());
  }

  /** The server sent something this client cannot decode or apply: its rows can no longer be
   * trusted, so drop the connection; the reconnect resyncs everything. */
  private protocolFault(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.emitError(new ClientError('MALFORMED_FRAME', `bad frame from the server (${message}); reconnecting to resync`, { cause: err }));
    const ws = this.ws;
    if (!ws) return;
    // Detach first: nothing more from this socket may touch the cache.
    ws.onmessage = ws.onclose = ws.onopen = null;
    try {
      ws.close(4000, 'malformed frame');
    } catch {
      // already closing
    }
    this.onClose(4000, 'malformed frame');
  }

  // ---- frames ----

  private onMessage(data: unknown): void {
    if (this.info.status === 'closed') return; // frames still in flight after close(): nobody wants them
    const bytes = messageBytes(data);
    if (!bytes) {
      this.emitError(new ClientError('MALFORMED_FRAME', 'the server sent a text message; the protocol is binary only (ignored)'));
      return;
    }
    let frame: Frame;
    try {
      frame = decodeFrame(bytes, { limits: this.limits });
    } catch (e) {
      this.protocolFault(e);
      return;
    }
    try {
      switch (frame.type) {
        case 'welcome': this.onWelcome(frame); break;
        case 'tickUpdate': case 'subscriptionApplied': this.onRows(frame); break;
        case 'callResults': this.calls.results(frame); break;
        case 'error': this.onErrorFrame(frame); break;
        case 'ping': this.send({ type: 'pong', id: frame.id, time: frame.time }); break;
        case 'pong': break;
        default: this.protocolFault(new Error(`unexpected ${frame.type} frame`));
      }
    } catch (e) {
      this.protocolFault(e);
    }
  }

  private onWelcome(w: WelcomeFrame): void {
    if (this.info.status !== 'connecting') throw new Error('a second Welcome on one connection');
    this.next = new ClientState(w.tables, this.limits);
    this.info.identity = w.identity;
    this.info.connectionId = w.connectionId;
    this.info.tickRate = w.tickRate;
    this.info.moduleVersion = w.moduleVersion;
    this.reducerIds = new Map(w.reducers.map((r) => [r.name, r.id]));
    if (w.token !== this.info.token) {
      this.info.token = w.token;
      try {
        this.opts.onToken?.(w.token);
      } catch (e) {
        this.listenerFailed(e);
      }
    }
    this.info.status = 'syncing';
    this.up = true;
    if (!this.subs.resendAll(this.next)) this.finishSync();
  }

  private onRows(f: TickUpdateFrame | SubscriptionAppliedFrame): void {
    if (this.info.status === 'syncing') {
      applyFrame(this.next!, f);
      if (f.type === 'subscriptionApplied') this.subs.applied(f.queryId, true);
      return;
    }
    if (this.info.status !== 'connected') throw new Error(`a ${f.type} frame before Welcome`);
    const applied = applyFrame(this.view!, f);
    this.fire(applied.tables);
    if (f.type === 'subscriptionApplied') this.subs.applied(f.queryId, false);
    else this.events.emit('tick', { tick: f.tick, time: f.time });
  }

  private fire(reports: readonly (TableChangeReport | (TableChanges & { table: { name: string } }))[]): void {
    for (const r of reports) this.caches.get(r.table.name)?.fire(r);
  }

  /** Every subscription is back on the new connection: show the new rows, and tell listeners
   * exactly what differs from what they saw before the drop. */
  private finishSync(): void {
    const prev = this.view, next = this.next!;
    const changes: (TableChanges & { table: { name: string } })[] = [];
    for (const [name, cache] of this.caches) {
      const nt = next.table(name) ?? null;
      if (cache.hasListeners) changes.push({ table: { name }, ...diffTables(prev?.table(name) ?? null, nt) });
      cache.source = nt;
    }
    this.view = next;
    this.next = null;
    this.info.status = 'connected';
    this.attempts = 0;
    this.fire(changes);
    this.subs.announce();
    const info = { identity: this.info.identity!, connectionId: this.info.connectionId };
    if (this.everConnected) this.events.emit('reconnect', info);
    else {
      this.everConnected = true;
      this.settleReady();
      this.events.emit('connect', info);
    }
    if (this.info.status === 'connected') this.calls.connected();
  }

  private onErrorFrame(f: ErrorFrame): void {
    const err = new ClientError(f.code, f.message, { requestId: f.requestId, queryId: f.queryId, fatal: f.fatal });
    if (f.fatal) this.fatal = err;
    if (f.requestId !== 0 && this.calls.fail(f.requestId, f.code, f.message)) return;
    if (f.queryId !== 0 && this.subs.refused(f.queryId, err)) return;
    this.emitError(err);
  }

  // ---- errors ----

  private emitError(err: ClientError): void {
    if (this.events.count('error') > 0) this.events.emit('error', err);
    else (this.opts.logger ?? console).warn(`[worldline] ${err.code}: ${err.message}`);
  }

  /** A user listener threw: report it through 'error' (unless an error listener itself threw). */
  private listenerFailed(err: unknown): void {
    const e = new ClientError('LISTENER_FAILED', `a listener threw: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    if (this.reportingListenerError || this.events.count('error') === 0) {
      (this.opts.logger ?? console).warn(`[worldline] ${e.message}`, err);
      return;
    }
    this.reportingListenerError = true;
    try {
      this.events.emit('error', e);
    } finally {
      this.reportingListenerError = false;
    }
  }
}

export type Client<M> = WorldlineClient<M>;

/** Connects to a Worldline server. `M` is the server module's type: `import type game from '…'`. */
export function connect<M>(options: ConnectOptions): Client<M> {
  return new WorldlineClient<M>(options);
}
