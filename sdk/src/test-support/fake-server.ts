// Test support: a small Worldline server speaking the real protocol (the engine's frame encoder and
// row codec) over a real `ws` WebSocketServer, with rows, reducers and ticks driven by the test.
// Per-client encoding (no encode-once), no hysteresis: just enough to test clients against.
import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { decode } from '@msgpack/msgpack';
import {
  FrameEncoder, decodeFrame, moduleLayouts, compileLayout, RowPieceEncoder, ClientFrameAssembler, HandleList,
  HandleSpace, ArrayRowReader,
  type CompiledLayout, type ColumnValue, type Frame, type Filter, type SetAreaFrame, type SubscribeFrame, type PkValue, type ModuleLayouts,
} from '@worldline/engine/protocol/index.ts';
import type { ModuleDef } from '@worldline/engine';

type Values = ColumnValue[];

interface Query {
  readonly tableId: number;
  readonly filters: readonly { column: number; op: Filter['op']; value: unknown; hi: unknown }[];
  readonly area: (Omit<SetAreaFrame, 'follow'> & { follow: { tableId: number; pk: PkValue } | null }) | null;
}

export class FakeConnection {
  identity = '';
  token = '';
  welcomed = false;
  readonly queries = new Map<number, Query>();
  readonly held = new Map<number, Map<PkValue, { handle: number; values: Values }>>();
  readonly spaces = new Map<number, HandleSpace>();
  /** Every frame received from this client, decoded. */
  readonly received: Frame[] = [];
  constructor(readonly id: number, readonly ws: WebSocket) {}
}

/** What a fake reducer gets; throw to fail the call (the message goes back to the caller). */
export interface FakeCallContext {
  readonly sender: string;
  readonly server: FakeServer;
}

export class FakeServer {
  readonly layouts: ModuleLayouts;
  readonly compiled = new Map<number, CompiledLayout>();
  readonly rows = new Map<number, Map<PkValue, Values>>();
  readonly connections = new Set<FakeConnection>();
  readonly reducers = new Map<string, (ctx: FakeCallContext, args: Record<string, unknown>) => void>();
  /** Run a tick as soon as a CallBatch arrives (so awaiting a call is enough in tests). */
  tickOnCall = true;
  /** Answer matching Subscribe / SetArea frames with an ErrorFrame of this code instead. */
  refuse: ((f: SubscribeFrame | SetAreaFrame) => string | null) | null = null;
  tick = 0;
  time = 1_700_000_000_000;
  private readonly wss: WebSocketServer;
  private readonly encoder = new FrameEncoder();
  private readonly pieces = new RowPieceEncoder(1024);
  private readonly assembler = new ClientFrameAssembler(this.pieces, 1024);
  private readonly tokens = new Map<string, string>();
  private pendingCalls: { conn: FakeConnection; requestId: number; reducer: string; args: Uint8Array }[] = [];
  private nextConn = 1;
  private connWaiters: ((c: FakeConnection) => void)[] = [];
  private frameWaiters: { pred: (f: Frame, c: FakeConnection) => boolean; resolve: (f: Frame) => void }[] = [];

  private constructor(module: ModuleDef, wss: WebSocketServer) {
    this.layouts = moduleLayouts(module);
    for (const l of this.layouts.tables) {
      this.compiled.set(l.id, compileLayout(l));
      this.rows.set(l.id, new Map());
    }
    this.wss = wss;
    this.url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws`;
    wss.on('connection', (ws) => this.accept(ws));
  }

  /** Listens on 127.0.0.1, on an ephemeral port unless `port` is given. */
  static async start(module: ModuleDef, port = 0): Promise<FakeServer> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port, path: '/ws' });
    await new Promise<void>((res) => wss.once('listening', () => res()));
    return new FakeServer(module, wss);
  }

  readonly url: string;

  async close(): Promise<void> {
    for (const c of this.connections) c.ws.terminate();
    await new Promise<void>((res) => this.wss.close(() => res()));
  }

  tableId(name: string): number {
    const id = this.layouts.tableIds.get(name);
    if (id === undefined || !this.compiled.has(id)) throw new Error(`fake server: no public table ${name}`);
    return id;
  }

  /** Inserts or replaces a row (all columns, by name). Clients see it at the next tick(). */
  upsert(table: string, row: Record<string, ColumnValue>): void {
    const id = this.tableId(table), L = this.compiled.get(id)!;
    const values = L.names.map((n) => {
      if (!(n in row)) throw new Error(`fake server: row of ${table} lacks ${n}`);
      return row[n]!;
    });
    this.rows.get(id)!.set(values[L.pkIndex] as PkValue, values);
  }

  get(table: string, pk: PkValue): Record<string, ColumnValue> | undefined {
    const id = this.tableId(table), L = this.compiled.get(id)!;
    const v = this.rows.get(id)!.get(pk);
    return v && Object.fromEntries(L.names.map((n, i) => [n, v[i]!]));
  }

  remove(table: string, pk: PkValue): void {
    this.rows.get(this.tableId(table))!.delete(pk);
  }

  /** Resolves with the next connection to say Hello (or the oldest one not yet awaited). */
  nextConnection(): Promise<FakeConnection> {
    return new Promise((res) => this.connWaiters.push(res));
  }

  /** Resolves with the next frame any client sends that matches `pred`. */
  nextFrame(pred: (f: Frame, c: FakeConnection) => boolean): Promise<Frame> {
    return new Promise((resolve) => this.frameWaiters.push({ pred, resolve }));
  }

  send(conn: FakeConnection, frame: Frame): void {
    conn.ws.send(this.encoder.encode(frame).slice());
  }

  sendRaw(conn: FakeConnection, bytes: Uint8Array | string): void {
    conn.ws.send(bytes);
  }

  /** Drops every connection abruptly (as a network failure would). */
  dropAll(): void {
    for (const c of this.connections) c.ws.terminate();
  }

  /** Runs pending calls, then sends each client its TickUpdate, then the call results. With
   * `reset`, every client gets a resync frame (all its rows as inserts) as after backpressure. */
  runTick(reset = false): void {
    this.tick++;
    this.time += 50;
    const calls = this.pendingCalls;
    this.pendingCalls = [];
    const results = new Map<FakeConnection, { ok: number[]; failed: { requestId: number; code: string; message: string }[] }>();
    for (const call of calls) {
      let r = results.get(call.conn);
      if (!r) results.set(call.conn, r = { ok: [], failed: [] });
      const fn = this.reducers.get(call.reducer);
      if (!fn) {
        r.failed.push({ requestId: call.requestId, code: 'UNKNOWN_REDUCER', message: `no reducer ${call.reducer}` });
        continue;
      }
      try {
        fn({ sender: call.conn.identity, server: this }, call.args.length ? decode(call.args) as Record<string, unknown> : {});
        r.ok.push(call.requestId);
      } catch (e) {
        r.failed.push({ requestId: call.requestId, code: 'REDUCER_FAILED', message: (e as Error).message });
      }
    }
    for (const c of this.connections) if (c.welcomed) this.publish(c, reset);
    for (const [c, r] of results) {
      if (c.ws.readyState === c.ws.OPEN) this.send(c, { type: 'callResults', tick: this.tick, ...r });
    }
  }

  // ---- per connection ----

  private accept(ws: WebSocket): void {
    const conn = new FakeConnection(this.nextConn++, ws);
    this.connections.add(conn);
    for (const id of this.compiled.keys()) {
      conn.held.set(id, new Map());
      conn.spaces.set(id, new HandleSpace());
    }
    ws.on('close', () => this.connections.delete(conn));
    ws.on('message', (data: Buffer) => {
      let f: Frame;
      try {
        f = decodeFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), { copyBytes: true });
      } catch (e) {
        this.send(conn, { type: 'error', code: 'MALFORMED_FRAME', message: (e as Error).message, requestId: 0, queryId: 0, fatal: false });
        return;
      }
      conn.received.push(f);
      this.handle(conn, f);
      const waiters = this.frameWaiters;
      this.frameWaiters = [];
      for (const w of waiters) {
        if (w.pred(f, conn)) w.resolve(f);
        else this.frameWaiters.push(w);
      }
    });
  }

  private handle(conn: FakeConnection, f: Frame): void {
    switch (f.type) {
      case 'hello': {
        if (f.token !== null) {
          const id = this.tokens.get(f.token);
          if (id === undefined) {
            this.send(conn, { type: 'error', code: 'UNAUTHORIZED', message: 'bad token', requestId: 0, queryId: 0, fatal: true });
            conn.ws.close(4001, 'unauthorized');
            return;
          }
          conn.identity = id;
          conn.token = f.token;
        } else {
          conn.identity = (0x1000 + conn.id).toString(16).padStart(64, '0');
          conn.token = `token-${conn.identity}`;
          this.tokens.set(conn.token, conn.identity);
        }
        conn.welcomed = true;
        this.send(conn, {
          type: 'welcome', identity: conn.identity, token: conn.token, connectionId: conn.id, moduleVersion: 'fake',
          tickRate: 20, tick: this.tick, tables: this.layouts.tables, reducers: this.layouts.reducers,
        });
        const w = this.connWaiters.shift();
        w?.(conn);
        return;
      }
      case 'subscribe': case 'setArea': {
        const code = this.refuse?.(f);
        if (code) {
          this.send(conn, { type: 'error', code, message: 'refused by the test', requestId: 0, queryId: f.queryId, fatal: false });
          return;
        }
        if (f.type === 'setArea') {
          const follow = f.follow ? { tableId: f.follow.tableId, pk: decode(f.follow.pk) as PkValue } : null;
          conn.queries.set(f.queryId, { tableId: f.tableId, filters: [], area: { ...f, follow } });
          this.applied(conn, f.queryId, f.tableId);
          return;
        }
        const filters = f.filters.map((x) => ({ column: x.column, op: x.op, value: x.value ? decode(x.value) : null, hi: x.hi ? decode(x.hi) : null }));
        conn.queries.set(f.queryId, { tableId: f.tableId, filters, area: null });
        this.applied(conn, f.queryId, f.tableId);
        return;
      }
      case 'unsubscribe': conn.queries.delete(f.queryId); return;
      case 'callBatch': {
        const names = this.layouts.reducers;
        for (const c of f.calls) {
          this.pendingCalls.push({ conn, requestId: c.requestId, reducer: c.reducerName ?? names[c.reducerId]?.name ?? '?', args: c.args });
        }
        if (this.tickOnCall) setImmediate(() => this.runTick());
        return;
      }
      case 'ping': this.send(conn, { type: 'pong', id: f.id, time: f.time }); return;
      default: return;
    }
  }

  private matches(conn: FakeConnection, q: Query, L: CompiledLayout, v: Values): boolean {
    if (q.area) {
      const sp = L.layout.spatial!;
      let cx = q.area.area.x, cy = q.area.area.y;
      if (q.area.follow) {
        const fr = this.rows.get(q.area.follow.tableId)?.get(q.area.follow.pk);
        const fl = this.compiled.get(q.area.follow.tableId)!;
        if (fr) { cx = fr[fl.layout.spatial!.x] as number; cy = fr[fl.layout.spatial!.y] as number; }
      }
      const dx = (v[sp.x] as number) - cx, dy = (v[sp.y] as number) - cy;
      const a = q.area.area;
      return a.shape === 'circle' ? dx * dx + dy * dy <= a.radius * a.radius : Math.abs(dx) <= a.halfWidth && Math.abs(dy) <= a.halfHeight;
    }
    return q.filters.every((f) => {
      const x = v[f.column];
      if (f.op === 'ownerIsMe') return x === conn.identity;
      if (f.op === 'eq') return x === f.value;
      return (f.value === null || (x as number) >= (f.value as number)) && (f.hi === null || (x as number) <= (f.hi as number));
    });
  }

  /** Primary keys of table `id` the client should hold now. */
  private wants(conn: FakeConnection, id: number): Set<PkValue> {
    const L = this.compiled.get(id)!, out = new Set<PkValue>();
    const owner = L.layout.visibility === 'owner' ? L.layout.ownerIndex! : -1;
    for (const [pk, v] of this.rows.get(id)!) {
      if (owner >= 0 && v[owner] !== conn.identity) continue;
      for (const q of conn.queries.values()) {
        if (q.tableId === id && this.matches(conn, q, L, v)) { out.add(pk); break; }
      }
    }
    return out;
  }

  private applied(conn: FakeConnection, queryId: number, tableId: number): void {
    if (!this.compiled.has(tableId)) {
      this.send(conn, { type: 'error', code: 'UNKNOWN_TABLE', message: `no table ${tableId}`, requestId: 0, queryId, fatal: false });
      conn.queries.delete(queryId);
      return;
    }
    this.pieces.reset();
    this.assembler.beginSubscriptionApplied(queryId, this.tick);
    const ins = new HandleList();
    this.collect(conn, tableId, ins, null, null);
    this.assembler.addTable(tableId, ins, null, null);
    conn.ws.send(this.assembler.finish().slice());
  }

  private publish(conn: FakeConnection, reset: boolean): void {
    this.pieces.reset();
    this.assembler.beginTick(this.tick, this.time, reset);
    const ins = new HandleList(), upd = new HandleList(), del = new HandleList();
    for (const id of this.compiled.keys()) {
      ins.clear(); upd.clear(); del.clear();
      if (reset) {
        conn.held.get(id)!.clear();
        conn.spaces.get(id)!.clear();
      }
      this.collect(conn, id, ins, upd, del);
      this.assembler.addTable(id, ins, upd, del, conn.held.get(id)!.size);
    }
    if ((reset || this.assembler.tableCount > 0) && conn.ws.readyState === conn.ws.OPEN) conn.ws.send(this.assembler.finish().slice());
  }

  /** Fills inserts (and, for ticks, updates and deletes) for one table and updates what the client holds. */
  private collect(conn: FakeConnection, id: number, ins: HandleList, upd: HandleList | null, del: HandleList | null): void {
    const L = this.compiled.get(id)!, held = conn.held.get(id)!, space = conn.spaces.get(id)!;
    const rows = this.rows.get(id)!, want = this.wants(conn, id);
    const next = new ArrayRowReader(), prev = new ArrayRowReader();
    if (del) {
      for (const [pk, h] of held) {
        if (!want.has(pk)) { del.push(h.handle); space.release(h.handle); held.delete(pk); }
      }
    }
    for (const pk of want) {
      const v = rows.get(pk)!, h = held.get(pk);
      if (!h) {
        const handle = space.alloc();
        next.values = v;
        ins.push(handle, this.pieces.encodeRow(L, next));
        held.set(pk, { handle, values: v.slice() });
      } else if (upd) {
        let mask = 0;
        for (let c = 0; c < L.ncols; c++) if (!Object.is(h.values[c], v[c])) mask |= 1 << c;
        if (mask === 0) continue;
        next.values = v;
        prev.values = h.values;
        const piece = this.pieces.encodeUpdate(L, mask, next, prev);
        if (piece >= 0) upd.push(h.handle, piece);
        h.values = v.slice();
      }
    }
  }
}
