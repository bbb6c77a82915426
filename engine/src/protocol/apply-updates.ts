// Client side of the row codec: applies a TickUpdate / SubscriptionApplied to a ClientState and
// reports what changed. Two passes: the first decodes and validates everything (handles, masks,
// values, primary keys) without touching the state; the second commits. A malformed frame thus
// throws a ProtocolError and leaves the state exactly as it was.
import { ByteReader } from './byte-reader.ts';
import { ProtocolError } from './errors.ts';
import { readWhole, readChange } from './row-values.ts';
import { readHandleSet, type HandleBuffer } from './handle-set.ts';
import { decodeFrame, type DecodeOptions } from './frame-decoder.ts';
import type { ClientState, ClientTable, Row, PkValue } from './client-state.ts';
import type { ColumnValue } from './layout.ts';
import type { TableUpdateData, TickUpdateFrame, SubscriptionAppliedFrame } from './frame-types.ts';

export interface RowUpdate {
  readonly old: Row;
  readonly row: Row;
}

export interface TableChangeReport {
  readonly table: ClientTable;
  readonly inserted: Row[];
  readonly updated: RowUpdate[];
  readonly deleted: Row[];
}

export interface AppliedUpdate {
  /** The frame's tick; for SubscriptionApplied, also its queryId. */
  readonly tick: number;
  readonly time: number;
  readonly reset: boolean;
  readonly queryId: number | null;
  /** Only tables where something changed. */
  readonly tables: TableChangeReport[];
}

const DEL = 1, INS = 2, UPD = 4;

/** One table's staged changes, gathered over all its blocks in the frame. */
interface Staged {
  readonly t: ClientTable;
  readonly del: number[];
  readonly insH: number[];
  readonly insRows: Row[];
  readonly updH: number[];
  readonly updRows: Row[];
  /** Handles with marks set, to clear them again. */
  readonly touched: number[];
  /** Primary keys inserted so far in this frame (created on the first insert). */
  newPks: Map<PkValue, number> | null;
  /** How many handles the table's first "all" handle set stood for; -1 before one. */
  allCount: number;
}

const reader = new ByteReader();
const scratch: HandleBuffer = { handles: new Int32Array(256) };
/** Per frame: the Staged of each table id, and of each block (by position). Emptied after use. */
const byTable = new Map<number, Staged>();
const blockStage: Staged[] = [];

function badHandle(t: ClientTable, h: number, what: string): never {
  throw new ProtocolError('BAD_HANDLE', `table '${t.name}': ${what} names handle ${h}`);
}

function mark(s: Staged, h: number, flag: number): void {
  if (s.t.addMark(h, flag)) s.touched.push(h);
}

/** The Staged of the block's table, created (and appended to `staged`) on its first block. */
function stagedFor(state: ClientState, data: TableUpdateData, staged: Staged[]): Staged {
  let s = byTable.get(data.tableId);
  if (s !== undefined) return s;
  const t = state.tables.get(data.tableId);
  if (!t) throw new ProtocolError('UNKNOWN_TABLE', `update for table id ${data.tableId}, which Welcome did not describe`);
  s = { t, del: [], insH: [], insRows: [], updH: [], updRows: [], touched: [], newPks: null, allCount: -1 };
  byTable.set(data.tableId, s);
  staged.push(s);
  return s;
}

// The three phases of one block. A table's blocks are staged phase by phase (every block's deletes,
// then every block's inserts, then every block's updates), so each check sees the whole frame's
// earlier phases: an insert may reuse a handle a later block deletes, an update may not name one.

function stageDeletes(s: Staged, data: TableUpdateData, max: number, reset: boolean): void {
  const t = s.t;
  if (reset && data.deletes.length > 0) throw new ProtocolError('BAD_VALUE', `table '${t.name}': a reset frame carries only inserts`);
  const r = reader.reset(data.deletes);
  while (r.remaining > 0) {
    const h = r.varint();
    if (h >= max || t.rowByHandle(h) === undefined || (t.markOf(h) & DEL) !== 0) badHandle(t, h, 'a delete');
    mark(s, h, DEL);
    s.del.push(h);
  }
}

function stageInserts(s: Staged, data: TableUpdateData, max: number, reset: boolean): void {
  const t = s.t, L = t.layout, names = L.names;
  const r = reader.reset(data.inserts);
  while (r.remaining > 0) {
    const h = r.varint();
    if (h >= max) badHandle(t, h, 'an insert');
    const m = t.markOf(h);
    if ((!reset && t.rowByHandle(h) !== undefined && (m & DEL) === 0) || (m & INS) !== 0) badHandle(t, h, 'an insert');
    mark(s, h, INS);
    const row: Record<string, ColumnValue> = {};
    for (let c = 0; c < L.ncols; c++) row[names[c]!] = readWhole(r, L, c);
    const pk = row[t.pkName] as PkValue;
    const newPks = (s.newPks ??= new Map());
    const existing = reset ? undefined : t.pkToHandle.get(pk);
    if (newPks.has(pk) || (existing !== undefined && (t.markOf(existing) & DEL) === 0)) {
      throw new ProtocolError('BAD_VALUE', `table '${t.name}': inserted primary key ${String(pk)} is already present`);
    }
    newPks.set(pk, h);
    s.insH.push(h);
    s.insRows.push(row);
  }
}

function stageUpdates(s: Staged, data: TableUpdateData, max: number, reset: boolean): void {
  const t = s.t, L = t.layout, names = L.names;
  const r = reader.reset(data.updates);
  if (r.remaining === 0) return;
  if (reset) throw new ProtocolError('BAD_VALUE', `table '${t.name}': a reset frame carries only inserts`);
  let n = readHandleSet(r, scratch, max);
  if (n < 0) {
    // "All": every held handle the frame neither deletes nor inserts (all deletes and inserts of
    // the frame are staged by now). Handles already updated stay in, so they are refused as updated
    // twice; a second "all" set therefore fails unless both are empty (checked without a rescan).
    if (s.allCount > 0) throw new ProtocolError('BAD_HANDLE', `table '${t.name}': a second "all" handle set updates every row twice`);
    n = s.allCount < 0 ? t.heldHandles(scratch, DEL | INS) : 0;
    s.allCount = n;
  }
  const hs = scratch.handles;
  const pkBit = 1 << L.pkIndex;
  let i = 0;
  while (i < n) {
    const mask = r.varint();
    if (mask === 0 || mask > L.fullMask || (mask & pkBit) !== 0) {
      throw new ProtocolError('BAD_VALUE', `table '${t.name}': update mask ${mask} is empty, names unknown columns or the primary key`);
    }
    const run = r.varint();
    if (run === 0 || run > n - i) throw new ProtocolError('BAD_VALUE', `table '${t.name}': update run of ${run} exceeds the ${n - i} handles left`);
    for (const end = i + run; i < end; i++) {
      const h = hs[i]!;
      const old = t.rowByHandle(h);
      if (old === undefined || (t.markOf(h) & (DEL | INS | UPD)) !== 0) badHandle(t, h, 'an update');
      mark(s, h, UPD);
      const row: Record<string, ColumnValue> = { ...old };
      for (let m = mask; m !== 0; m &= m - 1) {
        const c = 31 - Math.clz32(m & -m);
        row[names[c]!] = readChange(r, L, c, old[names[c]!]!);
      }
      s.updH.push(h);
      s.updRows.push(row);
    }
  }
  if (r.remaining !== 0) throw new ProtocolError('BAD_VALUE', `table '${t.name}': ${r.remaining} stray bytes after the last update run`);
}

function clearMarks(s: Staged): void {
  const t = s.t;
  for (const h of s.touched) t.clearMark(h);
}

function valuesEqual(a: Row, b: Row, names: readonly string[]): boolean {
  for (const n of names) {
    const x = a[n], y = b[n];
    if (x instanceof Uint8Array && y instanceof Uint8Array) {
      if (x.length !== y.length || x.some((v, i) => v !== y[i])) return false;
    } else if (!Object.is(x, y)) return false;
  }
  return true;
}

function commit(s: Staged, reset: boolean): TableChangeReport {
  const t = s.t;
  const rep: TableChangeReport = { table: t, inserted: [], updated: [], deleted: [] };
  if (reset) {
    // What the client held, by primary key; rows left in it afterwards were not sent again.
    const oldRows = new Map<PkValue, Row>();
    for (const [pk, h] of t.pkToHandle) oldRows.set(pk, t.rowByHandle(h)!);
    t.clear();
    for (let i = 0; i < s.insH.length; i++) {
      const row = s.insRows[i]!, pk = row[t.pkName] as PkValue;
      t.setRow(s.insH[i]!, row);
      t.pkToHandle.set(pk, s.insH[i]!);
      const old = oldRows.get(pk);
      if (old === undefined) rep.inserted.push(row);
      else {
        oldRows.delete(pk);
        if (!valuesEqual(old, row, t.layout.names)) rep.updated.push({ old, row });
      }
    }
    for (const old of oldRows.values()) rep.deleted.push(old);
    return rep;
  }
  for (const h of s.del) {
    const row = t.rowByHandle(h)!;
    t.deleteRow(h);
    t.pkToHandle.delete(row[t.pkName] as PkValue);
    rep.deleted.push(row);
  }
  for (let i = 0; i < s.insH.length; i++) {
    const h = s.insH[i]!, row = s.insRows[i]!;
    t.setRow(h, row);
    t.pkToHandle.set(row[t.pkName] as PkValue, h);
    rep.inserted.push(row);
  }
  for (let i = 0; i < s.updH.length; i++) {
    const h = s.updH[i]!, row = s.updRows[i]!;
    rep.updated.push({ old: t.rowByHandle(h)!, row });
    t.setRow(h, row);
  }
  for (const h of s.del) t.dropEmptyPage(h);
  return rep;
}

/** Applies row sections to `state` atomically (all tables or none) and reports the changes, one
 * report per table however many blocks it came in. A table's blocks apply as one: all their deletes
 * (in frame order), then all their inserts, then all their updates. With `reset`, every table is
 * first emptied; the report then says what differs from before. */
export function applyTableUpdates(state: ClientState, tables: readonly TableUpdateData[], reset: boolean): TableChangeReport[] {
  const max = state.limits.maxHandles;
  const nb = tables.length;
  const staged: Staged[] = [];
  try {
    for (let b = 0; b < nb; b++) {
      const data = tables[b]!;
      const s = stagedFor(state, data, staged);
      blockStage[b] = s;
      stageDeletes(s, data, max, reset);
    }
    for (let b = 0; b < nb; b++) stageInserts(blockStage[b]!, tables[b]!, max, reset);
    for (let b = 0; b < nb; b++) stageUpdates(blockStage[b]!, tables[b]!, max, reset);
  } catch (e) {
    for (const s of staged) {
      clearMarks(s);
      for (const h of s.touched) s.t.dropEmptyPage(h); // pages only a refused insert's mark created
    }
    throw e;
  } finally {
    byTable.clear();
    blockStage.length = 0;
  }
  const reports: TableChangeReport[] = [];
  for (const s of staged) {
    clearMarks(s);
    const rep = commit(s, reset);
    if (rep.inserted.length + rep.updated.length + rep.deleted.length > 0) reports.push(rep);
  }
  if (reset) {
    for (const t of state.tables.values()) {
      if (t.size === 0 || staged.some((s) => s.t === t)) continue;
      const deleted = [...t.iter()];
      t.clear();
      reports.push({ table: t, inserted: [], updated: [], deleted });
    }
  }
  return reports;
}

/** Applies a decoded TickUpdate or SubscriptionApplied frame. */
export function applyFrame(state: ClientState, frame: TickUpdateFrame | SubscriptionAppliedFrame): AppliedUpdate {
  if (frame.type === 'tickUpdate') {
    const tables = applyTableUpdates(state, frame.tables, frame.reset);
    state.tick = frame.tick;
    state.time = frame.time;
    return { tick: frame.tick, time: frame.time, reset: frame.reset, queryId: null, tables };
  }
  const tables = applyTableUpdates(state, frame.tables, false);
  return { tick: frame.tick, time: state.time, reset: false, queryId: frame.queryId, tables };
}

/** Decodes a TickUpdate (or SubscriptionApplied) frame and applies it to `state`. */
export function decodeTickUpdate(bytes: Uint8Array, state: ClientState, options?: DecodeOptions): AppliedUpdate {
  const frame = decodeFrame(bytes, { limits: state.limits, ...options });
  if (frame.type !== 'tickUpdate' && frame.type !== 'subscriptionApplied') {
    throw new ProtocolError('UNKNOWN_FRAME', `expected a TickUpdate, got a ${frame.type} frame`);
  }
  return applyFrame(state, frame);
}
