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

interface Staged {
  readonly t: ClientTable;
  readonly del: number[];
  readonly insH: number[];
  readonly insRows: Row[];
  readonly updH: number[];
  readonly updRows: Row[];
  readonly touched: number[];
}

const reader = new ByteReader();
const scratch: HandleBuffer = { handles: new Int32Array(256) };

/** The handles the client holds that this frame neither deletes nor inserts, ascending: what the
 * "all" handle set stands for. */
function heldHandles(t: ClientTable, out: HandleBuffer): number {
  const rows = t.rows, marks = t.marks;
  let n = 0;
  for (let h = 0; h < rows.length; h++) {
    if (rows[h] === undefined || (h < marks.length && (marks[h]! & (DEL | INS)) !== 0)) continue;
    if (n === out.handles.length) {
      const g = new Int32Array(n * 2);
      g.set(out.handles);
      out.handles = g;
    }
    out.handles[n++] = h;
  }
  return n;
}

function badHandle(t: ClientTable, h: number, what: string): never {
  throw new ProtocolError('BAD_HANDLE', `table '${t.name}': ${what} names handle ${h}`);
}

function mark(s: Staged, h: number, flag: number): void {
  const t = s.t;
  if (h >= t.marks.length) {
    let cap = t.marks.length * 2;
    while (cap <= h) cap *= 2;
    const m = new Uint8Array(cap);
    m.set(t.marks);
    t.marks = m;
  }
  if (t.marks[h] === 0) s.touched.push(h);
  t.marks[h] |= flag;
}

function stage(state: ClientState, data: TableUpdateData, reset: boolean): Staged {
  const t = state.tables.get(data.tableId);
  if (!t) throw new ProtocolError('UNKNOWN_TABLE', `update for table id ${data.tableId}, which Welcome did not describe`);
  const s: Staged = { t, del: [], insH: [], insRows: [], updH: [], updRows: [], touched: [] };
  try {
    stageSections(state, s, data, reset);
  } catch (e) {
    clearMarks(s);
    throw e;
  }
  return s;
}

function stageSections(state: ClientState, s: Staged, data: TableUpdateData, reset: boolean): void {
  const t = s.t, L = t.layout, names = L.names, max = state.limits.maxHandles;
  const live = (h: number): boolean => !reset && t.rows[h] !== undefined;
  const marks = (h: number): number => (h < t.marks.length ? t.marks[h]! : 0);
  if (reset && (data.deletes.length > 0 || data.updates.length > 0)) {
    throw new ProtocolError('BAD_VALUE', `table '${t.name}': a reset frame carries only inserts`);
  }
  const r = reader.reset(data.deletes);
  while (r.remaining > 0) {
    const h = r.varint();
    if (h >= max || !live(h) || (marks(h) & DEL) !== 0) badHandle(t, h, 'a delete');
    mark(s, h, DEL);
    s.del.push(h);
  }
  r.reset(data.inserts);
  let newPks: Map<PkValue, number> | null = null;
  while (r.remaining > 0) {
    const h = r.varint();
    if (h >= max || (live(h) && (marks(h) & DEL) === 0) || (marks(h) & INS) !== 0) badHandle(t, h, 'an insert');
    mark(s, h, INS);
    const row: Record<string, ColumnValue> = {};
    for (let c = 0; c < L.ncols; c++) row[names[c]!] = readWhole(r, L, c);
    const pk = row[t.pkName] as PkValue;
    newPks ??= new Map();
    const existing = reset ? undefined : t.pkToHandle.get(pk);
    if (newPks.has(pk) || (existing !== undefined && (marks(existing) & DEL) === 0)) {
      throw new ProtocolError('BAD_VALUE', `table '${t.name}': inserted primary key ${String(pk)} is already present`);
    }
    newPks.set(pk, h);
    s.insH.push(h);
    s.insRows.push(row);
  }
  r.reset(data.updates);
  if (r.remaining === 0) return;
  let n = readHandleSet(r, scratch, max);
  if (n < 0) n = heldHandles(t, scratch);
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
      if (!live(h) || (marks(h) & (DEL | INS)) !== 0) badHandle(t, h, 'an update');
      mark(s, h, UPD);
      const old = t.rows[h]!;
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
  const m = s.t.marks;
  for (const h of s.touched) m[h] = 0;
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
    const oldRows = t.rows, oldPks = new Map(t.pkToHandle);
    t.clear();
    for (let i = 0; i < s.insH.length; i++) {
      const row = s.insRows[i]!, pk = row[t.pkName] as PkValue;
      t.rows[s.insH[i]!] = row;
      t.pkToHandle.set(pk, s.insH[i]!);
      const oh = oldPks.get(pk);
      if (oh === undefined) rep.inserted.push(row);
      else {
        oldPks.delete(pk);
        const old = oldRows[oh]!;
        if (!valuesEqual(old, row, t.layout.names)) rep.updated.push({ old, row });
      }
    }
    for (const h of oldPks.values()) rep.deleted.push(oldRows[h]!);
    return rep;
  }
  for (const h of s.del) {
    const row = t.rows[h]!;
    t.rows[h] = undefined;
    t.pkToHandle.delete(row[t.pkName] as PkValue);
    rep.deleted.push(row);
  }
  for (let i = 0; i < s.insH.length; i++) {
    const h = s.insH[i]!, row = s.insRows[i]!;
    t.rows[h] = row;
    t.pkToHandle.set(row[t.pkName] as PkValue, h);
    rep.inserted.push(row);
  }
  for (let i = 0; i < s.updH.length; i++) {
    const h = s.updH[i]!, row = s.updRows[i]!;
    rep.updated.push({ old: t.rows[h]!, row });
    t.rows[h] = row;
  }
  return rep;
}

/** Applies row sections to `state` atomically (all tables or none) and reports the changes. With
 * `reset`, every table is first emptied; the report then says what differs from before. */
export function applyTableUpdates(state: ClientState, tables: readonly TableUpdateData[], reset: boolean): TableChangeReport[] {
  const staged: Staged[] = [];
  const seen = new Set<number>();
  try {
    for (const data of tables) {
      if (seen.has(data.tableId)) throw new ProtocolError('BAD_VALUE', `table id ${data.tableId} appears twice in one frame`);
      seen.add(data.tableId);
      staged.push(stage(state, data, reset));
    }
  } catch (e) {
    for (const s of staged) clearMarks(s);
    throw e;
  }
  const reports: TableChangeReport[] = [];
  for (const s of staged) {
    clearMarks(s);
    const rep = commit(s, reset);
    if (rep.inserted.length + rep.updated.length + rep.deleted.length > 0) reports.push(rep);
  }
  if (reset) {
    for (const t of state.tables.values()) {
      if (seen.has(t.layout.id) || t.size === 0) continue;
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
