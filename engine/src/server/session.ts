// One client connection: the Hello/Welcome handshake, identity, reducer calls (rate-limited, results
// batched per tick and sent after the tick's update), subscriptions and areas, backpressure, and
// bad input — an Error frame to the sender, a disconnect when it persists, never a crash.
import { Decoder } from '@msgpack/msgpack';
import type { Connection } from '../net/index.ts';
import { TokenBucket, AbuseCounter, tokenFromRequest, type TokenAuthority } from '../net/index.ts';
import { decodeFrame, ProtocolError, ErrorCodes, type Frame, type CallFailure, type SubscribeFrame, type SetAreaFrame, type FrameEncoder } from '../protocol/index.ts';
import type { World } from '../tick/world.ts';
import type { CallResult } from '../tick/types.ts';
import type { SubscriptionManager, QueryFilter, AreaSpec } from '../subscribe/index.ts';
import type { ModuleLayouts } from '../protocol/module-layouts.ts';
import type { ResolvedServerOptions } from './options.ts';
import type { ServerCounters } from './server-metrics.ts';

// One decoder for every session: msgpack's decode(bytes, options) would build a Decoder per call.
const decoder = new Decoder({ maxStrLength: 64 * 1024, maxBinLength: 64 * 1024, maxArrayLength: 4096, maxMapLength: 1024, maxExtLength: 0 });
const msgpackDecode = (bytes: Uint8Array): unknown => decoder.decode(bytes);

export interface SessionDeps {
  world: World;
  subs: SubscriptionManager;
  layouts: ModuleLayouts;
  tokens: TokenAuthority;
  encoder: FrameEncoder;
  options: ResolvedServerOptions;
  counters: ServerCounters;
  onClosed(session: Session): void;
  /** This session set a subscription or area: acknowledge it after the next tick's updates. */
  onApplied(session: Session): void;
}

export class Session {
  identity: string | null = null;
  private readonly bucket: TokenBucket;
  private readonly abuse: AbuseCounter;
  private readonly okIds: number[] = [];
  private failed: CallFailure[] = [];
  private flushQueued = false;
  private helloTimer: ReturnType<typeof setTimeout> | null;
  private closed = false;
  /** Deltas are withheld while the socket is backed up; it gets a full resync when it drains. */
  paused = false;
  /** Buffered bytes a resync left behind, tolerated above the backpressure threshold while they
   * drain (it only shrinks). See sendDelta. */
  private stateBacklog = 0;
  /** Subscriptions and areas set since the last tick: acknowledged after that tick's update. */
  readonly applied: number[] = [];

  constructor(readonly conn: Connection, private readonly deps: SessionDeps) {
    const o = deps.options;
    this.bucket = new TokenBucket({ ratePerSecond: o.callsPerSecond, burst: o.callBurst });
    this.abuse = new AbuseCounter({ maxErrors: o.maxProtocolErrors, windowMs: o.abuseWindowMs });
    conn.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    conn.on('close', () => this.onClose());
    conn.on('drain', () => this.onDrain());
    this.helloTimer = setTimeout(() => this.fatal(ErrorCodes.UNEXPECTED_FRAME, `no ClientHello within ${o.helloTimeoutMs} ms`), o.helloTimeoutMs);
  }

  get id(): number { return this.conn.id; }

  private onMessage(data: Uint8Array, isBinary: boolean): void {
    if (this.closed) return;
    this.deps.counters.framesIn++;
    if (!isBinary) return this.protocolError(ErrorCodes.MALFORMED_FRAME, 'frames are binary WebSocket messages (see docs/protocol.md)');
    let frame: Frame;
    try {
      frame = decodeFrame(data); // views into `data` are consumed before this handler returns
    } catch (e) {
      if (e instanceof ProtocolError) {
        if (e.code === 'VERSION_MISMATCH') return this.fatal(ErrorCodes.VERSION_MISMATCH, e.message);
        return this.protocolError(e.code === 'TOO_LARGE' ? ErrorCodes.FRAME_TOO_LARGE : ErrorCodes.MALFORMED_FRAME, `${e.code}: ${e.message}`);
      }
      throw e;
    }
    if (this.identity === null) {
      if (frame.type !== 'hello') return this.fatal(ErrorCodes.UNEXPECTED_FRAME, `the first frame must be ClientHello, got ${frame.type}`);
      return this.hello(frame.token);
    }
    switch (frame.type) {
      case 'callBatch': return this.calls(frame.calls);
      case 'subscribe': return this.subscribe(frame);
      case 'unsubscribe':
        if (!this.deps.subs.unsubscribe(this.id, frame.queryId)) this.protocolError(ErrorCodes.BAD_SUBSCRIPTION, `no subscription ${frame.queryId}`, 0, frame.queryId);
        return;
      case 'setArea': return this.setArea(frame);
      case 'ping': this.send(this.deps.encoder.encode({ type: 'pong', id: frame.id, time: Date.now() })); return;
      case 'pong': return;
      case 'hello': return this.protocolError(ErrorCodes.UNEXPECTED_FRAME, 'ClientHello was already received');
      default: return this.protocolError(ErrorCodes.UNEXPECTED_FRAME, `clients do not send ${frame.type} frames`);
    }
  }

  private hello(frameToken: string | null): void {
    const { tokens, world, layouts, subs, encoder } = this.deps;
    const token = frameToken ?? tokenFromRequest(this.conn.request);
    let identity: string;
    let issued: string;
    if (token) {
      const check = tokens.check(token);
      if (!check.ok) return this.fatal(ErrorCodes.UNAUTHORIZED, `${check.code}: ${check.message}; connect without a token to get a new identity`);
      identity = check.identity;
      issued = token;
    } else {
      ({ identity, token: issued } = tokens.issue());
    }
    if (this.helloTimer) { clearTimeout(this.helloTimer); this.helloTimer = null; }
    this.identity = identity;
    this.send(encoder.encode({
      type: 'welcome', identity, token: issued, connectionId: this.id, moduleVersion: world.versionHash,
      tickRate: world.module.tickRate, tick: world.tick, tables: layouts.tables, reducers: layouts.reducers,
    }));
    subs.addClient(this.id, identity);
    world.connect(identity, this.id);
  }

  private calls(calls: readonly { requestId: number; reducerId: number; reducerName: string | null; args: Uint8Array }[]): void {
    const { world, layouts, counters } = this.deps;
    counters.calls += calls.length;
    // Rate limit per frame: as many calls as there are tokens; the rest are refused.
    let allowed = Math.min(calls.length, Math.floor(this.bucket.available()));
    if (allowed > 0) this.bucket.take(allowed);
    for (const c of calls) {
      if (allowed-- <= 0) {
        this.fail(c.requestId, ErrorCodes.RATE_LIMITED, `more than ${this.deps.options.callsPerSecond} calls per second; slow down`);
        continue;
      }
      const name = c.reducerName ?? layouts.reducers[c.reducerId]?.name;
      if (name === undefined) { this.fail(c.requestId, 'UNKNOWN_REDUCER', `no reducer with id ${c.reducerId}`); continue; }
      let args: unknown;
      try {
        args = c.args.length === 0 ? {} : msgpackDecode(c.args);
      } catch {
        this.fail(c.requestId, 'BAD_ARGUMENTS', 'arguments are not valid msgpack');
        continue;
      }
      world.enqueue(name, args, this.identity!, this.id, this.onResult, c.requestId);
    }
  }

  /** Bound once: the world calls it with each result and the request id it was given. */
  private readonly onResult = (r: CallResult, requestId: number): void => this.result(requestId, r);

  private result(requestId: number, r: CallResult): void {
    if (r.ok) { this.okIds.push(requestId); this.scheduleFlush(); }
    else this.fail(requestId, r.code, r.error);
  }

  private fail(requestId: number, code: string, message: string): void {
    this.deps.counters.callErrors++;
    this.failed.push({ requestId, code, message });
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    // Results of one tick arrive synchronously one after another, after the tick's updates were
    // sent: one microtask later they all go out in one frame.
    queueMicrotask(() => this.flushResults());
  }

  private flushResults(): void {
    this.flushQueued = false;
    if (this.closed || (this.okIds.length === 0 && this.failed.length === 0)) return;
    this.send(this.deps.encoder.encode({ type: 'callResults', tick: this.deps.world.tick, ok: this.okIds, failed: this.failed }));
    this.okIds.length = 0;
    this.failed = [];
  }

  private subscribe(f: SubscribeFrame): void {
    const { layouts, subs } = this.deps;
    const layout = layouts.tables.find((t) => t.id === f.tableId);
    if (!layout) return this.protocolError(this.tableError(f.tableId), `no public table with id ${f.tableId}`, 0, f.queryId);
    if (f.filters.length > 1) return this.protocolError(ErrorCodes.BAD_SUBSCRIPTION, 'at most one filter per subscription', 0, f.queryId);
    let filter: QueryFilter | null = null;
    try {
      const flt = f.filters[0];
      if (flt) {
        const col = layout.columns[flt.column]?.name;
        if (col === undefined) return this.protocolError(ErrorCodes.UNKNOWN_COLUMN, `table ${layout.name} has no column ${flt.column}`, 0, f.queryId);
        if (layout.visibility === 'owner' && flt.op !== 'ownerIsMe') return this.protocolError(ErrorCodes.NOT_VISIBLE, `${layout.name} is owner-only: subscribe with OwnerIsMe`, 0, f.queryId);
        if (flt.op === 'ownerIsMe') filter = { ownerIsMe: true, col };
        else if (flt.op === 'eq') filter = { col, eq: flt.value ? msgpackDecode(flt.value) : null };
        else {
          const lo = flt.value ? Number(msgpackDecode(flt.value)) : -Infinity;
          const hi = flt.hi ? Number(msgpackDecode(flt.hi)) : Infinity;
          filter = { col, range: [lo, hi] };
        }
      }
      subs.subscribe(this.id, f.queryId, { table: layout.name, filter });
      this.markApplied(f.queryId);
    } catch (e) {
      return this.protocolError(ErrorCodes.BAD_SUBSCRIPTION, e instanceof Error ? e.message : String(e), 0, f.queryId);
    }
  }

  private setArea(f: SetAreaFrame): void {
    const { layouts, subs } = this.deps;
    const layout = layouts.tables.find((t) => t.id === f.tableId);
    if (!layout) return this.protocolError(this.tableError(f.tableId), `no public table with id ${f.tableId}`, 0, f.queryId);
    try {
      const a = f.area;
      const spec: { -readonly [K in keyof AreaSpec]: AreaSpec[K] } = { table: layout.name, x: a.x, y: a.y };
      if (f.margin !== null) spec.margin = f.margin;
      if (a.shape === 'circle') spec.radius = a.radius;
      else spec.rect = { halfWidth: a.halfWidth, halfHeight: a.halfHeight };
      if (f.follow) {
        const ft = layouts.tables.find((t) => t.id === f.follow!.tableId);
        if (!ft) throw new Error(`no public table with id ${f.follow.tableId}`);
        spec.followTable = ft.name;
        spec.follow = msgpackDecode(f.follow.pk);
      }
      subs.setArea(this.id, spec);
      this.markApplied(f.queryId);
    } catch (e) {
      return this.protocolError(ErrorCodes.BAD_SUBSCRIPTION, e instanceof Error ? e.message : String(e), 0, f.queryId);
    }
  }

  /** After a tick's updates went out: SubscriptionApplied for what was set before the tick. The
   * rows those queries made visible rode in that TickUpdate, so these carry none. */
  private markApplied(queryId: number): void {
    if (this.applied.length === 0) this.deps.onApplied(this);
    this.applied.push(queryId);
  }

  acknowledgeApplied(tick: number): void {
    if (this.applied.length === 0) return;
    for (const queryId of this.applied) this.send(this.deps.encoder.encode({ type: 'subscriptionApplied', queryId, tick, tables: [] }));
    this.applied.length = 0;
  }

  /** A table id the client may not use: private, internal or nonexistent. */
  private tableError(id: number): string {
    return this.deps.layouts.tableIds.size > id && id >= 0 ? ErrorCodes.NOT_VISIBLE : ErrorCodes.UNKNOWN_TABLE;
  }

  /** Sends a frame; a backed-up socket pauses this client's deltas until it drains. */
  send(bytes: Uint8Array): void {
    if (this.closed) return;
    this.deps.counters.framesOut++;
    this.deps.counters.bytesOut += bytes.length;
    if (!this.conn.send(bytes) && this.conn.isOpen) this.pause();
  }

  /** Sends a TickUpdate. A resync (the client's whole state) may overshoot the backpressure
   * threshold once: the deltas after it queue behind it while it drains, and the client is paused
   * only when its buffer grows past what the resync left (it is not reading). Pausing on the resync
   * itself meant a state larger than the threshold was sent again in full each time the socket
   * drained, and the client never got a delta. */
  sendDelta(bytes: Uint8Array, reset: boolean): boolean {
    if (this.closed) return false;
    if (reset) {
      this.deps.counters.framesOut++;
      this.deps.counters.bytesOut += bytes.length;
      this.conn.send(bytes); // past the hard cap the transport drops the connection
      this.stateBacklog = this.conn.bufferedAmount;
      return true;
    }
    if (this.stateBacklog > 0) {
      const buffered = this.conn.bufferedAmount, threshold = this.deps.options.backpressureBytes;
      if (buffered <= threshold) this.stateBacklog = 0;
      else {
        this.stateBacklog = Math.min(this.stateBacklog, buffered);
        if (buffered + bytes.length > this.stateBacklog + threshold) { this.pause(); return false; }
        this.deps.counters.framesOut++;
        this.deps.counters.bytesOut += bytes.length;
        this.conn.send(bytes);
        return true;
      }
    }
    this.send(bytes);
    return true;
  }

  private pause(): void {
    if (this.paused || this.identity === null || !this.conn.isOpen) return;
    this.paused = true;
    this.stateBacklog = 0;
    this.deps.counters.pauses++;
    this.deps.subs.pause(this.id);
  }

  private onDrain(): void {
    if (!this.paused || this.closed) return;
    this.paused = false;
    this.deps.subs.resync(this.id); // the next tick sends a reset frame with everything it should hold
  }

  private protocolError(code: string, message: string, requestId = 0, queryId = 0): void {
    this.deps.counters.protocolErrors++;
    if (this.abuse.record()) return this.fatal(code, `too many bad frames; disconnecting (last: ${message})`);
    this.send(this.deps.encoder.encode({ type: 'error', code, message, requestId, queryId, fatal: false }));
  }

  private fatal(code: string, message: string): void {
    if (this.closed) return;
    this.send(this.deps.encoder.encode({ type: 'error', code, message, requestId: 0, queryId: 0, fatal: true }));
    this.conn.close(1008, code);
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.helloTimer) clearTimeout(this.helloTimer);
    if (this.identity !== null) {
      this.deps.subs.removeClient(this.id);
      this.deps.world.disconnect(this.identity, this.id);
    }
    this.deps.onClosed(this);
  }
}
