// The subscription layer of one world. It listens to the world's publish and, from the tick's change
// set alone, computes what every connected client must receive: rows entering its view (query
// results, area of interest), changed columns of rows it holds, keys of rows leaving it. Requests
// (subscribe, setArea, resync, ...) are checked at once and applied at the next publish, when the
// tables hold exactly the state clients are told about.
import type { TickReport, Logger } from '../tick/types.ts';
import type { Database } from '../table/database.ts';
import type { ChangeSet } from '../tx/change-set.ts';
import { WorldlineError } from '../errors/index.ts';
import { Client, type QueryDef, type AreaDef } from './client.ts';
import { TableSubs, type PublishState } from './table-subs.ts';
import { addSub, removeSub } from './query-ops.ts';
import { placeArea, clearArea, followAll } from './area-ops.ts';
import { compileQuery, compileArea, subscribableTable } from './validate.ts';
import { CellInterest } from './cells/cell-interest.ts';
import type { ClientId, QuerySpec, AreaSpec, DeltaSink, EncodeList, SubscriptionOptions, CellTickData } from './types.ts';

type Op =
  | { k: 'sub'; c: Client; def: QueryDef }
  | { k: 'unsub'; c: Client; tableIndex: number; queryId: number }
  | { k: 'area'; c: Client; def: AreaDef }
  | { k: 'clearArea'; c: Client; tableIndex: number }
  | { k: 'resync'; c: Client };

/** Milliseconds spent in the parts of the last publish. */
export interface SubscriptionTimings {
  /** Routing the change set to views (queries, areas, fan-out). */
  route: number;
  /** Applying queued requests (subscribe, setArea, resync, ...). */
  requests: number;
  /** Moving following areas and re-anchoring those that drifted. */
  follow: number;
  /** Handing deltas to the sink (includes the sink's own time). */
  deliver: number;
}

/** What the manager needs of a world (a World satisfies it). */
export interface PublishingWorld {
  readonly db: Database;
  readonly changes: ChangeSet;
  readonly logger: Logger;
  onPublish(fn: (r: TickReport) => void): () => void;
}

export class SubscriptionManager {
  private tables: TableSubs[] = [];
  /** Per table index: its cell interest, if the table's areas work by cells. */
  private cells: (CellInterest | null)[] = [];
  private cellList: CellInterest[] = [];
  private readonly clients = new Map<ClientId, Client>();
  private readonly byIdentity = new Map<string, Client[]>();
  private ops: Op[] = [];
  private drops: Client[] = [];
  private readonly delivery: Client[] = [];
  private readonly st: PublishState;
  private sink: DeltaSink | null;
  private publishing = false;
  private rebuildAll = false;
  private epoch = 0;
  private readonly unsubscribe_: () => void;
  private readonly encodeLists: EncodeList[] = [];
  readonly timings: SubscriptionTimings = { route: 0, requests: 0, follow: 0, deliver: 0 };

  constructor(readonly world: PublishingWorld, private readonly opts: SubscriptionOptions = {}) {
    this.sink = opts.sink ?? null;
    const byIdentity = this.byIdentity;
    this.st = { epoch: 0, late: false, clientsOf: (id) => byIdentity.get(id) };
    this.buildTables();
    this.unsubscribe_ = world.onPublish((r) => this.publish(r));
  }

  setSink(sink: DeltaSink | null): void { this.sink = sink; }

  /** Stops listening to the world. */
  close(): void { this.unsubscribe_(); }

  // ---- clients ----

  addClient(clientId: ClientId, identity: string): void {
    if (this.clients.has(clientId)) throw new WorldlineError('BAD_ARGUMENTS', `client ${clientId} is already connected; removeClient() it first`);
    const c = new Client(clientId, identity, this.tables.length);
    this.clients.set(clientId, c);
    const list = this.byIdentity.get(identity);
    if (list) list.push(c);
    else this.byIdentity.set(identity, [c]);
  }

  removeClient(clientId: ClientId): void {
    const c = this.clients.get(clientId);
    if (!c) return;
    c.removed = true;
    this.clients.delete(clientId);
    const list = this.byIdentity.get(c.identity)!;
    list.splice(list.indexOf(c), 1);
    if (list.length === 0) this.byIdentity.delete(c.identity);
    this.dropViews(c);
    for (const ci of this.cellList) ci.removeArea(c);
  }

  has(clientId: ClientId): boolean { return this.clients.has(clientId); }

  private client(clientId: ClientId): Client {
    const c = this.clients.get(clientId);
    if (!c) throw new WorldlineError('NOT_FOUND', `no client ${clientId}; addClient() it first`);
    return c;
  }

  // ---- requests (checked now, applied at the next publish) ----

  /** Subscribes a client to a query; its rows arrive with the next tick's delta (listed in `applied`). */
  subscribe(clientId: ClientId, queryId: number, spec: QuerySpec): void {
    const c = this.client(clientId);
    if (c.queries.has(queryId)) throw new WorldlineError('BAD_ARGUMENTS', `query id ${queryId} is already in use by this client; unsubscribe it first or pick another id`);
    const def = compileQuery(this.world.db, queryId, spec, c.identity);
    if (this.cells[def.tableIndex] && c.areas.has(def.tableIndex)) {
      throw new WorldlineError('BAD_ARGUMENTS', `table '${String(spec.table)}' sends areas by cells: a client with an area on it cannot also subscribe to queries on it; clear the area first`);
    }
    c.queries.set(queryId, def);
    this.ops.push({ k: 'sub', c, def });
  }

  /** Ends a query subscription; rows only it selected leave with the next delta. */
  unsubscribe(clientId: ClientId, queryId: number): boolean {
    const c = this.client(clientId);
    const def = c.queries.get(queryId);
    if (!def) return false;
    c.queries.delete(queryId);
    this.ops.push({ k: 'unsub', c, tableIndex: def.tableIndex, queryId });
    return true;
  }

  /** Sets (or replaces) the client's area of interest on a spatial table. */
  setArea(clientId: ClientId, spec: AreaSpec): void {
    const c = this.client(clientId);
    const def = compileArea(this.world.db, spec, this.opts.margin);
    const ci = this.cells[def.tableIndex];
    if (ci) {
      ci.grid.check(ci.store.name, def.shape);
      for (const q of c.queries.values()) {
        if (q.tableIndex === def.tableIndex) throw new WorldlineError('BAD_ARGUMENTS', `table '${ci.store.name}' sends areas by cells: a client with query subscriptions on it (query ${q.queryId}) cannot also have an area on it`);
      }
    }
    c.areas.set(def.tableIndex, def);
    this.ops.push({ k: 'area', c, def });
  }

  clearArea(clientId: ClientId, table: string): void {
    const c = this.client(clientId);
    const st = subscribableTable(this.world.db, table);
    if (c.areas.delete(st.index)) this.ops.push({ k: 'clearArea', c, tableIndex: st.index });
  }

  /** Backpressure: stop computing deltas for the client (its view state is freed). */
  pause(clientId: ClientId): void {
    const c = this.client(clientId);
    if (c.paused) return;
    c.paused = true;
    this.dropViews(c);
  }

  isPaused(clientId: ClientId): boolean { return this.client(clientId).paused; }

  /** At the next publish, sends the client its whole state (reset flag: drop your cache first) and
   * resumes deltas. */
  resync(clientId: ClientId): void {
    this.ops.push({ k: 'resync', c: this.client(clientId) });
  }

  /** At the next publish, rebuilds all routing state from the tables and resyncs every client
   * (after world.importImage, which replaces the tables without a change set). */
  resyncAll(): void {
    this.rebuildAll = true;
  }

  // ---- reading state ----

  /** The primary keys of the rows the client holds, per table (as of the last publish). */
  snapshotFor(clientId: ClientId): Map<string, unknown[]> {
    const c = this.client(clientId);
    const out = new Map<string, unknown[]>();
    for (const v of c.views) {
      if (!v) continue;
      const pks: unknown[] = [];
      for (let h = 0; h < v.hwm; h++) if (v.hs[h * 4]! >= 0) pks.push(v.registry.pkOf(v.hs[h * 4]!));
      out.set(v.table, pks);
    }
    for (const ci of this.cellList) {
      const a = ci.areaOf(c);
      if (!a?.prev) continue;
      const pks: unknown[] = [];
      ci.eachHeldCell(a, (cell) => ci.pksIn(cell, pks));
      out.set(ci.store.name, pks);
    }
    return out;
  }

  /** During the sink calls: the rows of `table` to encode once this tick. */
  rowsToEncode(table: string | number): EncodeList {
    const ts = typeof table === 'number' ? this.tables[table] : this.tables.find((t) => t.name === table);
    if (!ts) throw new WorldlineError('NOT_FOUND', `no table ${JSON.stringify(table)}`);
    return this.encodeLists[ts.index]!;
  }

  /** During the sink calls: a cell-interest table's per-cell entries this tick (null: not one). */
  cellData(tableIndex: number): CellTickData | null {
    const ci = this.cells[tableIndex];
    return ci && ci.active ? ci : null;
  }

  stats(): { clients: number; paused: number; views: number; heldRows: number; subscriptions: number; areas: number } {
    let paused = 0, views = 0, held = 0, subs = 0, areas = 0;
    for (const c of this.clients.values()) {
      if (c.paused) paused++;
      for (const v of c.views) if (v) { views++; held += v.held; subs += v.subs.length; if (v.hasArea) areas++; }
    }
    for (const ci of this.cellList) {
      areas += ci.list.length;
      for (const a of ci.list) ci.eachHeldCell(a, (cell) => { held += ci.members.count(cell); });
    }
    return { clients: this.clients.size, paused, views, heldRows: held, subscriptions: subs, areas };
  }

  // ---- the publish pass ----

  private publish(report: TickReport): void {
    this.publishing = true;
    const st = this.st;
    st.epoch = ++this.epoch;
    try {
      for (const c of this.drops) this.dropViewsNow(c);
      this.drops.length = 0;
      if (this.rebuildAll) {
        this.rebuildAll = false;
        for (const c of this.clients.values()) this.dropViewsNow(c);
        this.buildTables(); // fresh tables: inactive until the resyncs below, so this tick is not routed
        for (const c of this.clients.values()) this.ops.push({ k: 'resync', c });
      }
      let t = performance.now();
      st.late = false;
      const tables = this.tables;
      for (let i = 0; i < tables.length; i++) tables[i]!.route();
      for (const ci of this.cellList) ci.route(st.epoch);
      st.late = true;
      let n = performance.now();
      this.timings.route = n - t; t = n;
      const ops = this.ops;
      this.ops = [];
      for (const op of ops) this.apply(op);
      n = performance.now();
      this.timings.requests = n - t; t = n;
      for (let i = 0; i < tables.length; i++) followAll(tables[i]!);
      for (const ci of this.cellList) ci.follow();
      n = performance.now();
      this.timings.follow = n - t; t = n;
      this.deliver(report);
      this.timings.deliver = performance.now() - t;
    } finally {
      for (let i = 0; i < this.tables.length; i++) this.tables[i]!.endTick();
      for (const ci of this.cellList) ci.endTick();
      for (const c of this.delivery) c.clearDelta();
      this.delivery.length = 0;
      this.publishing = false;
    }
  }

  private mark(c: Client): void {
    if (c.touched !== this.epoch) { c.touched = this.epoch; this.delivery.push(c); }
  }

  private deliver(report: TickReport): void {
    const tables = this.tables;
    for (let i = 0; i < tables.length; i++) {
      const ts = tables[i]!;
      ts.groupUpdates();
      for (const v of ts.touched) {
        if (ts.views[v.index] !== v || v.client.paused) continue; // dropped this tick
        if (v.needsFilter) v.filter();
        if (v.empty) continue;
        this.mark(v.client);
        v.client.tables.push(v);
      }
    }
    for (const ci of this.cellList) {
      const list = ci.list;
      for (let i = 0; i < list.length; i++) {
        const a = list[i]!;
        if (a.client.paused || a.client.removed) continue;
        this.mark(a.client);
        a.client.cellTables.push(a);
      }
    }
    try {
      this.deliverToSink(report);
    } finally {
      for (const ci of this.cellList) {
        const list = ci.list;
        for (let i = 0; i < list.length; i++) if (!list[i]!.client.paused) list[i]!.delivered();
      }
    }
  }

  private deliverToSink(report: TickReport): void {
    const sink = this.sink;
    if (!sink) return;
    sink.beginTick?.(report);
    for (const c of this.delivery) {
      if (c.paused || c.removed) continue;
      c.tick = report.tick;
      try {
        sink.clientDelta(c);
      } catch (e) {
        this.world.logger.error(`subscription sink failed for client ${c.clientId} at tick ${report.tick}`, e);
      }
    }
    sink.endTick?.(report);
  }

  private apply(op: Op): void {
    const c = op.c;
    if (c.removed) return;
    if (op.k === 'resync') { this.rebuild(c); return; }
    if (c.paused) return; // recorded on the client; the resync that ends the pause applies it
    switch (op.k) {
      case 'sub': {
        if (c.queries.get(op.def.queryId) !== op.def) return; // unsubscribed since
        const ts = this.tables[op.def.tableIndex]!;
        const view = ts.ensureView(c);
        if (view.subs.some((s) => s.queryId === op.def.queryId)) return;
        addSub(ts, view, op.def);
        c.applied.push(op.def.queryId);
        this.mark(c);
        return;
      }
      case 'unsub': {
        const view = c.views[op.tableIndex];
        if (view) removeSub(this.tables[op.tableIndex]!, view, op.queryId);
        return;
      }
      case 'area': {
        if (c.areas.get(op.def.tableIndex) !== op.def) return; // replaced or cleared since
        this.placeArea(c, op.def);
        return;
      }
      case 'clearArea': {
        const ci = this.cells[op.tableIndex];
        if (ci) { ci.clearArea(c); this.mark(c); return; }
        const view = c.views[op.tableIndex];
        if (view) clearArea(this.tables[op.tableIndex]!, view);
      }
    }
  }

  private placeArea(c: Client, def: AreaDef, fresh = false): void {
    const ci = this.cells[def.tableIndex];
    let x = def.x, y = def.y;
    const fs = def.followStore;
    if (fs) {
      const slot = fs.slotOf(def.followPk);
      if (slot >= 0) { x = fs.cols[def.followX]![slot]!; y = fs.cols[def.followY]![slot]!; }
    }
    const follow = fs ? { store: fs, pk: def.followPk, xCol: def.followX, yCol: def.followY } : null;
    if (ci) { ci.setArea(c, def.shape, x, y, follow, fresh); return; }
    const ts = this.tables[def.tableIndex]!;
    placeArea(ts, ts.ensureView(c), def.shape, x, y, follow);
  }

  /** The client's whole state from scratch: fresh views (handles restart at 0), every query and area. */
  private rebuild(c: Client): void {
    this.dropViewsNow(c);
    c.paused = false;
    for (const def of c.queries.values()) {
      const ts = this.tables[def.tableIndex]!;
      addSub(ts, ts.ensureView(c), def);
      c.applied.push(def.queryId);
    }
    for (const def of c.areas.values()) this.placeArea(c, def, true);
    c.reset = true;
    this.mark(c);
  }

  private dropViews(c: Client): void {
    if (this.publishing) this.drops.push(c);
    else this.dropViewsNow(c);
  }

  private dropViewsNow(c: Client): void {
    for (let i = 0; i < c.views.length; i++) {
      const v = c.views[i];
      if (v) this.tables[i]!.dropView(v);
    }
  }

  private buildTables(): void {
    const ch = this.world.changes;
    const cell = this.opts.areaCellSize ?? 32, rowCell = this.opts.rowCellSize ?? 16;
    this.tables = this.world.db.tables.map((store, i) => new TableSubs(store, i, ch.tables[i]!, this.st, cell, rowCell));
    const ci = this.opts.cellInterest ?? {};
    this.cells = this.world.db.tables.map(() => null);
    for (const name of Object.keys(ci)) {
      const store = subscribableTable(this.world.db, name);
      if (!store.spatial) throw new WorldlineError('BAD_ARGUMENTS', `cellInterest.${name}: table '${name}' has no spatial index`);
      if (store.def.options.visibility !== undefined && store.def.options.visibility !== 'public') {
        throw new WorldlineError('BAD_ARGUMENTS', `cellInterest.${name}: table '${name}' is owner-only; cells are shared by every client that sees them, so the table must be public`);
      }
      this.cells[store.index] = new CellInterest(store, store.index, ch.tables[store.index]!, ci[name]!, (m) => this.world.logger.warn(m));
    }
    this.cellList = this.cells.filter((x): x is CellInterest => x !== null);
    this.encodeLists.length = 0;
    for (const ts of this.tables) {
      this.encodeLists.push({
        get wholeSlots() { return ts.wholeSlots.ids; },
        get wholeCount() { return ts.wholeSlots.length; },
        get changeIndexes() { return ts.changeIndexes.ids; },
        get changeCount() { return ts.changeIndexes.length; },
      });
    }
  }
}
