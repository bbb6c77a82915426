// A minimal Worldline client speaking the wire protocol directly over `ws` (no SDK): Hello/Welcome,
// reducer calls, subscriptions and areas, a ClientState fed by every TickUpdate, and promises that
// settle on frames — never on timers — so tests can wait for "applied tick >= N" or a ping barrier.
import WebSocket from 'ws';
import type { Socket } from 'node:net';
import { encode as msgpackEncode } from '@msgpack/msgpack';
import {
  encodeFrame, decodeFrame, ClientState, applyFrame,
  type Frame, type WelcomeFrame, type ErrorFrame, type Filter, type TableLayout,
} from '@worldline/engine/protocol/index.ts';

export interface CallOutcome {
  readonly ok: boolean;
  readonly tick: number;
  readonly code?: string;
  readonly message?: string;
}

export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
}

interface Waiter {
  readonly check: () => boolean;
  readonly what: string;
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
  /** Keep waiting after the socket closed (the condition is about the close itself). */
  readonly survivesClose: boolean;
  timer: ReturnType<typeof setTimeout>;
}

/** Guard against a hung test: a waiter that never settles fails with what it waited for. */
const WAIT_LIMIT_MS = 15_000;

export class RawClient {
  welcome: WelcomeFrame | null = null;
  state: ClientState | null = null;
  /** Every Error frame received. */
  readonly errors: ErrorFrame[] = [];
  /** Frames the client could not decode or apply (always empty against a correct server). */
  readonly failures: string[] = [];
  /** Tick of the last TickUpdate applied. */
  lastTick = 0;
  tickUpdates = 0;
  resets = 0;
  /** Byte sizes of the TickUpdate messages received, in order. */
  readonly tickUpdateBytes: number[] = [];
  bytesIn = 0;
  closeInfo: CloseInfo | null = null;
  /** Query ids the server confirmed with SubscriptionApplied. */
  readonly applied = new Set<number>();
  private readonly waiters = new Set<Waiter>();
  private readonly pending = new Map<number, (o: CallOutcome) => void>();
  private readonly pongs = new Set<number>();
  private nextRequest = 1;
  private nextQuery = 1;
  private nextPing = 1;

  private constructor(readonly ws: WebSocket) {
    ws.binaryType = 'nodebuffer';
    ws.on('message', (d: Buffer, isBinary: boolean) => this.onMessage(d, isBinary));
    ws.on('close', (code: number, reason: Buffer) => {
      this.closeInfo = { code, reason: reason.toString('utf8') };
      for (const [id, settle] of this.pending) settle({ ok: false, tick: 0, code: 'CLOSED', message: `connection closed before the result of request ${id}` });
      this.pending.clear();
      this.recheck();
    });
    ws.on('error', () => { /* the 'close' that follows is what tests look at */ });
  }

  /** Opens the WebSocket without saying Hello. */
  static open(url: string): Promise<RawClient> {
    const ws = new WebSocket(url);
    const c = new RawClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(c));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  /** Opens, says Hello (with a token to come back as that identity) and waits for Welcome. */
  static async connect(url: string, token: string | null = null): Promise<RawClient> {
    const c = await RawClient.open(url);
    await c.hello(token);
    return c;
  }

  async hello(token: string | null): Promise<WelcomeFrame> {
    this.sendFrame({ type: 'hello', token, moduleVersion: null });
    await this.until(() => this.welcome !== null || this.errors.some((e) => e.fatal), 'Welcome');
    if (!this.welcome) {
      const e = this.errors.find((x) => x.fatal)!;
      throw new Error(`hello refused: ${e.code}: ${e.message}`);
    }
    return this.welcome;
  }

  get identity(): string { return this.need().identity; }
  get token(): string { return this.need().token; }
  get connectionId(): number { return this.need().connectionId; }

  layout(table: string): TableLayout {
    const l = this.need().tables.find((t) => t.name === table);
    if (!l) throw new Error(`the server did not describe table '${table}'`);
    return l;
  }

  // ---- calls ----

  /** Calls a reducer by name (resolved to its id from Welcome when known). */
  call(reducer: string, args: Record<string, unknown> = {}): Promise<CallOutcome> {
    return this.callMany([{ reducer, args }])[0]!;
  }

  /** Sends several calls in one CallBatch frame. */
  callMany(calls: readonly { reducer: string; args?: Record<string, unknown> | Uint8Array }[]): Promise<CallOutcome>[] {
    const reducers = this.need().reducers;
    const frameCalls = calls.map((c) => {
      const id = reducers.find((r) => r.name === c.reducer)?.id;
      const args = c.args instanceof Uint8Array ? c.args : msgpackEncode(c.args ?? {});
      return { requestId: this.nextRequest++, reducerId: id ?? 0, reducerName: id === undefined ? c.reducer : null, args };
    });
    const out = frameCalls.map((fc) => new Promise<CallOutcome>((resolve) => this.pending.set(fc.requestId, resolve)));
    this.sendFrame({ type: 'callBatch', calls: frameCalls });
    return out;
  }

  // ---- subscriptions ----

  /** Subscribes to a table (with optional filters); resolves with the query id on SubscriptionApplied. */
  async subscribe(table: string, filters: readonly Filter[] = []): Promise<number> {
    const queryId = this.nextQuery++;
    this.sendFrame({ type: 'subscribe', queryId, tableId: this.layout(table).id, filters });
    await this.until(() => this.applied.has(queryId) || this.errors.some((e) => e.queryId === queryId), `SubscriptionApplied ${queryId}`);
    const err = this.errors.find((e) => e.queryId === queryId);
    if (err) throw new Error(`subscribe ${table} refused: ${err.code}: ${err.message}`);
    return queryId;
  }

  /** Sends SetArea (a circle) following a row; does not wait for an answer. Returns the query id. */
  setArea(table: string, a: { radius: number; x?: number; y?: number; follow?: { table: string; pk: number }; margin?: number }): number {
    const queryId = this.nextQuery++;
    const follow = a.follow ? { tableId: this.layout(a.follow.table).id, pk: msgpackEncode(a.follow.pk) } : null;
    this.sendFrame({
      type: 'setArea', queryId, tableId: this.layout(table).id,
      area: { shape: 'circle', x: a.x ?? 0, y: a.y ?? 0, radius: a.radius }, follow, margin: a.margin ?? null,
    });
    return queryId;
  }

  // ---- barriers ----

  /** Resolves when the server answered a Ping sent now: every frame it sent before is applied. */
  async ping(): Promise<void> {
    const id = this.nextPing++;
    this.sendFrame({ type: 'ping', id, time: 0 });
    await this.until(() => this.pongs.has(id), `Pong ${id}`);
    this.pongs.delete(id);
  }

  /** Resolves when a TickUpdate for `tick` or later has been applied. */
  untilTick(tick: number): Promise<void> {
    return this.until(() => this.lastTick >= tick, `a TickUpdate for tick >= ${tick}`);
  }

  /** Resolves when the server closed (or we did); with the close code and reason. */
  async closed(): Promise<CloseInfo> {
    await this.until(() => this.closeInfo !== null, 'close', true);
    return this.closeInfo!;
  }

  /** Resolves when `check` holds, re-evaluated after every frame and on close. */
  until(check: () => boolean, what: string, survivesClose = false): Promise<void> {
    if (check()) return Promise.resolve();
    if (this.closeInfo && !survivesClose) return Promise.reject(new Error(`connection closed (${this.closeInfo.code} ${this.closeInfo.reason}) while waiting for ${what}`));
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        check, what, survivesClose,
        resolve: () => { clearTimeout(w.timer); this.waiters.delete(w); resolve(); },
        reject: (e) => { clearTimeout(w.timer); this.waiters.delete(w); reject(e); },
        timer: setTimeout(() => w.reject(new Error(`timed out after ${WAIT_LIMIT_MS} ms waiting for ${what}`)), WAIT_LIMIT_MS),
      };
      this.waiters.add(w);
    });
  }

  // ---- raw access for abuse tests ----

  sendFrame(frame: Frame): void { this.ws.send(encodeFrame(frame)); }
  sendRaw(bytes: Uint8Array | string): void { this.ws.send(bytes); }
  /** Stops reading the socket: the server's sends back up in the kernel, then in its own buffer. */
  pauseReading(): void { this.socket().pause(); }
  resumeReading(): void { this.socket().resume(); }

  close(): Promise<CloseInfo> {
    if (!this.closeInfo) this.ws.close(1000, 'bye');
    return this.closed();
  }

  // ---- internals ----

  private socket(): Socket {
    return (this.ws as unknown as { _socket: Socket })._socket;
  }

  private need(): WelcomeFrame {
    if (!this.welcome) throw new Error('no Welcome yet: connect() first');
    return this.welcome;
  }

  private onMessage(d: Buffer, isBinary: boolean): void {
    this.bytesIn += d.length;
    try {
      if (!isBinary) throw new Error('the server sent a text message');
      this.handle(decodeFrame(new Uint8Array(d.buffer, d.byteOffset, d.length)), d.length);
    } catch (e) {
      this.failures.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    }
    this.recheck();
  }

  private handle(f: Frame, size: number): void {
    switch (f.type) {
      case 'welcome':
        this.welcome = f;
        this.state = new ClientState(f.tables);
        return;
      case 'tickUpdate':
        applyFrame(this.state!, f);
        this.tickUpdates++;
        this.tickUpdateBytes.push(size);
        if (f.reset) this.resets++;
        if (f.tick > this.lastTick) this.lastTick = f.tick;
        return;
      case 'subscriptionApplied':
        applyFrame(this.state!, f);
        this.applied.add(f.queryId);
        return;
      case 'callResults':
        for (const id of f.ok) this.settle(id, { ok: true, tick: f.tick });
        for (const x of f.failed) this.settle(x.requestId, { ok: false, tick: f.tick, code: x.code, message: x.message });
        return;
      case 'error':
        this.errors.push(f);
        if (f.requestId !== 0) this.settle(f.requestId, { ok: false, tick: 0, code: f.code, message: f.message });
        return;
      case 'pong':
        this.pongs.add(f.id);
        return;
      case 'ping':
        this.sendFrame({ type: 'pong', id: f.id, time: f.time });
        return;
      default:
        throw new Error(`unexpected ${f.type} frame from the server`);
    }
  }

  private settle(requestId: number, o: CallOutcome): void {
    const p = this.pending.get(requestId);
    if (!p) { this.failures.push(`result for unknown request ${requestId}`); return; }
    this.pending.delete(requestId);
    p(o);
  }

  private recheck(): void {
    for (const w of [...this.waiters]) {
      let ok = false;
      try { ok = w.check(); } catch (e) { w.reject(e instanceof Error ? e : new Error(String(e))); continue; }
      if (ok) w.resolve();
      else if (this.closeInfo && !w.survivesClose) {
        w.reject(new Error(`connection closed (${this.closeInfo.code} ${this.closeInfo.reason}) while waiting for ${w.what}`));
      }
    }
  }
}
