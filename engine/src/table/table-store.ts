// One table's rows: typed-array columns (dense, swap-remove), its key maps and indexes, and the
// bookkeeping every write does — undo entry and world hash (changed-column masks are worked out
// later, from the undo log). All writes funnel through setCell / insertStored / removeSlot so
// rollback and change tracking cannot be bypassed.
import type { ColumnKind } from '../schema/column.ts';
import type { AnyTableDef, ColumnInfo } from '../schema/table-def.ts';
import { checkValue, compileCheck, INT_RANGE } from '../schema/args.ts';
import { WorldlineError, senderError } from '../errors/index.ts';
import { allocColumn, growColumn, bytesPerValue, type ColumnArray } from './typed-columns.ts';
import { TableHash } from './table-hash.ts';
import { K_INT, K_F32, K_F64, K_BOOL, K_ENUM, K_STR, K_BYTES, F_PK, F_UNIQUE, F_MULTI, F_POOL, F_SPATIAL, INSERTED, kindCode } from './column-codes.ts';
import { MutableColumns } from './mutable-columns.ts';
import { KeyMap } from './key-map.ts';
import { MultiIndex } from './multi-index.ts';
import { OP_SET, OP_INSERT, OP_DELETE, undoCode } from './undo-log.ts';
import { RowTickState } from './row-tick-state.ts';
import type { Database } from './database.ts';
import { createSpatialIndex, IdList, type SpatialIndex } from './spatial/index.ts';


export interface DeletedRow {
  readonly pk: unknown;
  /** The row's values when it was deleted. */
  readonly row: Record<string, unknown>;
}

export class TableStore {
  readonly name: string;
  readonly ncols: number;
  readonly columns: readonly ColumnInfo[];
  /** Column name -> index. A plain object (fast properties); read it through colOf(). */
  readonly colIndex: Record<string, number> = {};
  /** Primary key is an integer column: lookups skip conversion. */
  readonly pkIsInt: boolean;
  readonly kinds: Uint8Array;
  readonly pkCol: number;
  cols: ColumnArray[];
  count = 0;
  capacity: number;
  nextAutoInc = 1;

  readonly pkMap = new KeyMap();
  readonly uniques: (KeyMap | null)[];
  readonly multi: (MultiIndex | null)[];
  readonly spatial: SpatialIndex | null;
  readonly spX: number;
  readonly spY: number;
  private readonly enumIds: (Map<string, number> | null)[];
  readonly flags: Uint8Array;
  /** The undo code of a set on this table, column bits left 0 (undo-log.ts). */
  private readonly setCode: number;
  /** Integer columns: the kind's range (numberToStored). */
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  /** The table's part of the world hash (see table-hash.ts). */
  readonly hash: TableHash;
  /** Columns handed out for direct writes (see mutable-columns.ts). */
  readonly mutable: MutableColumns;
  /** Per-column value checks, compiled once: the write path calls one small function. */
  private readonly checks: ((v: unknown) => boolean)[];

  /** Change tracking for the current tick: per changed row its changed-column mask and tick-start
   * values (see row-tick-state.ts). */
  readonly tick: RowTickState;
  /** The mask bit of a row inserted this tick (above every column's bit). */
  readonly inserted: number;
  deleted: DeletedRow[] = [];
  private readonly query = new IdList();

  constructor(readonly def: AnyTableDef, readonly index: number, readonly db: Database, capacity = 64) {
    this.name = def.name;
    this.columns = def.columnList;
    this.ncols = def.columnList.length;
    this.capacity = capacity;
    this.kinds = new Uint8Array(this.ncols);
    this.cols = [];
    this.uniques = [];
    this.multi = [];
    this.enumIds = [];
    this.checks = def.columnList.map((c) => compileCheck(c.kind, c.config.enumValues));
    this.lo = new Float64Array(def.columnList.map((c) => INT_RANGE[c.kind]?.[0] ?? 0));
    this.hi = new Float64Array(def.columnList.map((c) => INT_RANGE[c.kind]?.[1] ?? -1));
    for (const c of def.columnList) {
      this.colIndex[c.name] = c.index;
      this.kinds[c.index] = kindCode(c.kind);
      this.cols.push(allocColumn(c.kind, capacity));
      this.uniques.push(c.config.unique && !c.config.primaryKey ? new KeyMap() : null);
      this.multi.push(c.config.index ? new MultiIndex(c.config.index) : null);
      this.enumIds.push(c.config.enumValues ? new Map(c.config.enumValues.map((v, i) => [v, i])) : null);
    }
    this.pkCol = def.pk.index;
    this.pkIsInt = this.kinds[this.pkCol] === K_INT;
    this.flags = new Uint8Array(def.columnList.map((c) => (c.config.primaryKey ? F_PK : 0)
      | (c.config.unique && !c.config.primaryKey ? F_UNIQUE : 0) | (c.config.index ? F_MULTI : 0)
      | (c.kind === 'string' || c.kind === 'identity' || c.kind === 'bytes' ? F_POOL : 0)
      | (def.options.spatial && (c.name === def.options.spatial.x || c.name === def.options.spatial.y) ? F_SPATIAL : 0)));
    this.setCode = undoCode(OP_SET, index, 0);
    this.hash = new TableHash(this);
    this.mutable = new MutableColumns(this);
    this.inserted = INSERTED;
    this.tick = new RowTickState(this.ncols, capacity);
    const sp = def.options.spatial;
    if (sp) {
      this.spX = this.colIndex[sp.x]! | 0; // kept small integers: a double here deoptimized recordPositions per new world
      this.spY = this.colIndex[sp.y]! | 0;
      this.spatial = createSpatialIndex(sp.strategy ?? 'grid', sp.cellSize ? { cellSize: sp.cellSize } : {});
      this.spatial.bind({ x: this.cols[this.spX]!, y: this.cols[this.spY]! });
    } else {
      this.spX = this.spY = -1;
      this.spatial = null;
    }
  }

  // ---- conversions between user values and stored numbers ----

  /** Validates and converts a user value; takes a pool reference for strings and bytes. */
  toStored(c: number, v: unknown): number {
    if (!this.checks[c]!(v)) {
      const info = this.columns[c]!;
      throw senderError(`${this.name}.${info.name} must be ${checkValue(info.kind, v, info.config.enumValues)}, got ${describe(v)}`, 'BAD_ARGUMENTS');
    }
    switch (this.kinds[c]) {
      case K_BOOL: return v ? 1 : 0;
      case K_ENUM: return this.enumIds[c]!.get(v as string)!;
      case K_STR: return this.db.strings.acquire(v as string);
      case K_BYTES: return this.db.blobs.acquire(v as Uint8Array);
      default: return v as number;
    }
  }

  /** The stored number a lookup by `v` must match, or NaN when no row can hold it. Never interns. */
  keyOf(c: number, v: unknown): number {
    switch (this.kinds[c]) {
      case K_BOOL: return typeof v === 'boolean' ? (v ? 1 : 0) : NaN;
      case K_ENUM: { const id = typeof v === 'string' ? this.enumIds[c]!.get(v) : undefined; return id ?? NaN; }
      case K_STR: { const id = typeof v === 'string' ? this.db.strings.lookup(v) : -1; return id < 0 ? NaN : id; }
      case K_BYTES: return NaN;
      case K_F32: return typeof v === 'number' ? Math.fround(v) : NaN;
      default: return typeof v === 'number' ? v : NaN;
    }
  }

  read(slot: number, c: number): unknown {
    const s = this.cols[c]![slot]!;
    const k = this.kinds[c];
    if (k === K_INT || k === K_F32 || k === K_F64) return s;
    switch (k) {
      case K_BOOL: return s !== 0;
      case K_ENUM: return this.columns[c]!.config.enumValues![s];
      case K_STR: return this.db.strings.get(s);
      case K_BYTES: return this.db.blobs.get(s);
      default: return s;
    }
  }

  rowAt(slot: number): Record<string, unknown> {
    const row: Record<string, unknown> = {};
    for (let c = 0; c < this.ncols; c++) row[this.columns[c]!.name] = this.read(slot, c);
    return row;
  }

  /** Column index by name, or -1 (names like 'toString' are not columns). */
  colOf(name: string): number {
    const c = this.colIndex[name];
    return typeof c === 'number' && Object.hasOwn(this.colIndex, name) ? c : -1;
  }

  slotOf(pk: unknown): number {
    if (this.pkIsInt && typeof pk === 'number') return this.pkMap.get(pk);
    return this.slotOfOther(pk);
  }

  /** slotOf() for keys stored as something else than themselves (strings, identities, floats). */
  private slotOfOther(pk: unknown): number {
    const k = this.keyOf(this.pkCol, pk);
    return k === k ? this.pkMap.get(k) : -1;
  }

  slotByUnique(c: number, v: unknown): number {
    if (c === this.pkCol) return this.slotOf(v);
    const m = this.uniques[c];
    if (!m) throw new WorldlineError('SCHEMA', `${this.name}.${this.columns[c]!.name} is not unique; use where()`);
    const k = this.keyOf(c, v);
    return k === k ? m.get(k) : -1;
  }

  // ---- primitive writes (each records its own undo entry) ----

  assertWritable(): void {
    if (!this.db.writable) throw new WorldlineError('READ_ONLY', `table '${this.name}' can be written only inside a reducer or system`);
  }

  /** Writes stored value `nv` (pool reference already taken) into a cell. The hot path of every
   * write: a plain column (no key, index or pool) with no direct writes pending takes the few lines
   * here, small enough for the optimizer to inline into the caller; the rest take setCellSlow(). */
  setCell(slot: number, c: number, nv: number): void {
    if (this.flags[c] !== 0 || this.mutable.openBits !== 0) { this.setCellSlow(slot, c, nv); return; }
    const col = this.cols[c]!;
    const old = col[slot]!;
    const v = this.kinds[c] === K_F32 ? Math.fround(nv) : nv; // the value as the column will hold it
    if (v === old) return;
    // Only the log: the row's change bookkeeping is derived from it later (database.ts, resolve).
    const u = this.db.undo;
    if (u.length === u.cap) u.grow();
    const i = u.length++;
    u.code[i] = this.setCode | (c << 2); u.slot[i] = slot; u.old[i] = old;
    this.hash.cell(slot, c, old, v);
    col[slot] = nv;
  }

  /** setCell() for columns with index work (key, unique, index, pool, spatial), or while direct
   * writes are pending. Its undo and hash lines repeat setCell's on purpose: a shared helper
   * measured 2 % slower per transfer call, the short path's inlining being the point of the split. */
  private setCellSlow(slot: number, c: number, nv: number): void {
    if (this.mutable.openBits !== 0) this.mutable.flush();
    const col = this.cols[c]!;
    const old = col[slot]!;
    const f = this.flags[c]!;
    const v = this.kinds[c] === K_F32 ? Math.fround(nv) : nv;
    if (v === old) {
      if ((f & F_POOL) !== 0) this.releaseId(c, nv);
      return;
    }
    if ((f & F_PK) !== 0) {
      throw senderError(`${this.name}: the primary key cannot change; delete the row and insert a new one`, 'PK_VIOLATION');
    }
    if ((f & F_UNIQUE) !== 0) {
      const other = this.uniques[c]!.get(v);
      if (other >= 0 && other !== slot) {
        const shown = describe(this.readStored(c, nv));
        if ((f & F_POOL) !== 0) this.releaseId(c, nv);
        throw senderError(`${this.name}.${this.columns[c]!.name}: value ${shown} is already taken`, 'UNIQUE_VIOLATION');
      }
    }
    const u = this.db.undo;
    if (u.length === u.cap) u.grow();
    const i = u.length++;
    u.code[i] = this.setCode | (c << 2); u.slot[i] = slot; u.old[i] = old;
    this.hash.cell(slot, c, old, v);
    if (f === 0) col[slot] = nv;
    else this.writeCell(slot, c, nv);
  }

  /** toStored() for a number written to a numeric column (setAt): the range test inline, no
   * per-column closure call; anything else (or a bad value, to explain it) takes toStored(). */
  numberToStored(c: number, v: unknown): number {
    if (typeof v === 'number') {
      const k = this.kinds[c];
      if (k === K_INT) { if (v >= this.lo[c]! && v <= this.hi[c]! && Math.floor(v) === v) return v; }
      else if ((k === K_F32 || k === K_F64) && v - v === 0) return v;
    }
    return this.toStored(c, v);
  }

  /** The stored value column `c` of an updated row had at the start of this tick, given the row's
   * changed-column `mask` from the change set (valid during the tick's publication). Pool-backed
   * columns (string, identity, bytes) give the old pool id, which may be freed: numbers only. */
  previousStored(slot: number, c: number, mask: number): number {
    return (mask & (1 << c)) !== 0 ? this.tick.vals[c * this.tick.cap + this.tick.indexOf(slot)]! : this.cols[c]![slot]!;
  }

  /** Like read(), for the value at tick start of a numeric, bool or enum column. */
  readPrevious(slot: number, c: number, mask: number): unknown {
    const s = this.previousStored(slot, c, mask);
    switch (this.kinds[c]) {
      case K_BOOL: return s !== 0;
      case K_ENUM: return this.columns[c]!.config.enumValues![s];
      case K_STR: case K_BYTES: return this.read(slot, c);
      default: return s;
    }
  }

  /** Tick start: forget the previous tick's tick-start values. */
  beginTick(): void {
    this.tick.nextTick();
  }

  private readStored(c: number, s: number): unknown {
    return this.kinds[c] === K_STR ? this.db.strings.get(s) : s;
  }

  private releaseId(c: number, id: number): void {
    if (this.kinds[c] === K_STR) this.db.strings.release(id);
    else this.db.blobs.release(id);
  }

  /** The shared tail of a write and of its undo: hash, indexes, pools, spatial. */
  private writeCell(slot: number, c: number, nv: number): void {
    const col = this.cols[c]!;
    const f = this.flags[c]!;
    const old = col[slot]!;
    if ((f & F_UNIQUE) !== 0) this.uniques[c]!.delete(old);
    if ((f & F_MULTI) !== 0) this.multi[c]!.remove(old, slot);
    col[slot] = nv;
    if ((f & F_UNIQUE) !== 0) this.uniques[c]!.set(col[slot]!, slot);
    if ((f & F_MULTI) !== 0) this.multi[c]!.add(col[slot]!, slot);
    if ((f & F_POOL) !== 0) this.releaseId(c, old);
    if ((f & F_SPATIAL) !== 0) this.spatial!.move(slot);
  }

  /** Appends a row of stored values (pool references already taken); checks keys first. */
  insertStored(values: Float64Array | number[]): number {
    if (this.mutable.openBits !== 0) this.mutable.flush();
    const pkKey = this.kinds[this.pkCol] === K_F32 ? Math.fround(values[this.pkCol]!) : values[this.pkCol]!;
    if (this.pkMap.get(pkKey) >= 0) {
      this.releaseValues(values);
      throw senderError(`${this.name}: a row with primary key ${describe(this.readStored(this.pkCol, pkKey))} already exists`, 'PK_VIOLATION');
    }
    for (let c = 0; c < this.ncols; c++) {
      const u = this.uniques[c];
      if (u && u.get(this.kinds[c] === K_F32 ? Math.fround(values[c]!) : values[c]!) >= 0) {
        const shown = describe(this.readStored(c, values[c]!));
        this.releaseValues(values);
        throw senderError(`${this.name}.${this.columns[c]!.name}: value ${shown} is already taken`, 'UNIQUE_VIOLATION');
      }
    }
    if (this.count === this.capacity) this.grow(this.capacity * 2);
    const slot = this.count++;
    this.placeRow(slot, values);
    this.db.undo.push(OP_INSERT, this.index, slot, 0, 0, 0);
    this.tick.drop(slot); // a stale entry may name the slot (a row deleted from it this tick)
    const e = this.tick.add(slot); // (may regrow the entry arrays: index them only afterwards)
    this.tick.mask[e] = this.inserted;
    return slot;
  }

  private releaseValues(values: Float64Array | number[]): void {
    for (let c = 0; c < this.ncols; c++) {
      if (this.kinds[c] === K_STR) this.db.strings.release(values[c]!);
      else if (this.kinds[c] === K_BYTES) this.db.blobs.release(values[c]!);
    }
  }

  private placeRow(slot: number, values: ArrayLike<number>): void {
    for (let c = 0; c < this.ncols; c++) this.cols[c]![slot] = values[c]!;
    this.indexRow(slot);
    this.hash.row(slot, 1);
  }

  /** Enters the row in `slot` into the key maps and indexes. */
  private indexRow(slot: number): void {
    this.pkMap.set(this.cols[this.pkCol]![slot]!, slot);
    for (let c = 0; c < this.ncols; c++) {
      const s = this.cols[c]![slot]!;
      this.uniques[c]?.set(s, slot);
      this.multi[c]?.add(s, slot);
    }
    if (this.spatial) this.spatial.insert(slot);
  }

  private unplaceRow(slot: number): void {
    this.hash.row(slot, -1);
    if (this.spatial) this.spatial.remove(slot);
    this.pkMap.delete(this.cols[this.pkCol]![slot]!);
    for (let c = 0; c < this.ncols; c++) {
      const s = this.cols[c]![slot]!;
      this.uniques[c]?.delete(s);
      this.multi[c]?.remove(s, slot);
    }
  }

  /** Moves the row at `from` into the free slot `to`, keeping every index pointing at it. */
  private moveRow(from: number, to: number): void {
    this.hash.row(from, -1); // the hash keys cells by slot: the row leaves one key for another
    for (let c = 0; c < this.ncols; c++) {
      const col = this.cols[c]!;
      const s = col[from]!;
      col[to] = s;
      this.uniques[c]?.set(s, to);
      this.multi[c]?.relabel(s, from, to);
    }
    this.pkMap.set(this.cols[this.pkCol]![to]!, to);
    this.tick.move(from, to);
    if (this.spatial) this.spatial.relabel(from, to);
    this.hash.row(to, 1);
  }

  removeSlot(slot: number): void {
    if (this.mutable.openBits !== 0) this.mutable.flush();
    this.db.resolve(); // the row's entry must be current: its tick-start values leave with it
    const undo = this.db.undo;
    const m = this.tick.maskOf(slot);
    const at = undo.reserveSaved(this.ncols);
    for (let c = 0; c < this.ncols; c++) undo.saved[at + c] = this.cols[c]![slot]!;
    // The undo record keeps the row's entry itself: a rollback must find its tick-start values again.
    const e = undo.push(OP_DELETE, this.index, slot, 0, 0, this.tick.rawOf(slot));
    undo.aux[e] = at;
    undo.aux2[e] = this.deleted.length;
    if ((m & this.inserted) === 0) this.deleted.push({ pk: this.read(slot, this.pkCol), row: this.rowAt(slot) });
    this.unplaceRow(slot);
    // Pool references of the deleted row are dropped; collection waits for tick end, so a rollback
    // can still take them back.
    this.releaseValues(undo.saved.subarray(at, at + this.ncols));
    const last = this.count - 1;
    this.tick.drop(slot);
    if (slot !== last) this.moveRow(last, slot);
    this.count--;
  }

  // ---- rollback ----

  /** `oldMask` -1: the write was never resolved into the row's entry. */
  undoSet(slot: number, c: number, old: number, oldMask: number): void {
    const k = this.kinds[c];
    if (k === K_STR) this.db.strings.retain(old);
    else if (k === K_BYTES) this.db.blobs.retain(old);
    this.hash.cell(slot, c, this.cols[c]![slot]!, old);
    this.writeCell(slot, c, old);
    if (oldMask >= 0) this.tick.setMask(slot, oldMask);
  }

  undoInsert(slot: number): void {
    this.unplaceRow(slot);
    for (let c = 0; c < this.ncols; c++) {
      const k = this.kinds[c];
      if (k === K_STR) this.db.strings.release(this.cols[c]![slot]!);
      else if (k === K_BYTES) this.db.blobs.release(this.cols[c]![slot]!);
    }
    this.tick.drop(slot);
    this.count--;
  }

  undoDelete(slot: number, saved: Float64Array, at: number, oldEntry: number, deletedLen: number): void {
    const end = this.count;
    if (slot < end) this.moveRow(slot, end);
    const values = saved.subarray(at, at + this.ncols);
    for (let c = 0; c < this.ncols; c++) {
      const k = this.kinds[c];
      if (k === K_STR) this.db.strings.retain(values[c]!);
      else if (k === K_BYTES) this.db.blobs.retain(values[c]!);
    }
    this.placeRow(slot, values);
    this.tick.restore(slot, oldEntry);
    this.count++;
    this.deleted.length = deletedLen;
  }

  // ---- storage ----

  grow(capacity: number): void {
    for (let c = 0; c < this.ncols; c++) this.cols[c] = growColumn(this.columns[c]!.kind, this.cols[c]!, capacity, this.count);
    this.tick.grow(capacity);
    this.capacity = capacity;
    if (this.spatial) this.spatial.bind({ x: this.cols[this.spX]!, y: this.cols[this.spY]! });
  }

  /** Bytes held per table: columns, masks, key maps and the spatial index. */
  memoryBytes(): number {
    let n = this.tick.entry.byteLength + this.pkMap.memoryBytes();
    for (let c = 0; c < this.ncols; c++) n += this.capacity * bytesPerValue(this.columns[c]!.kind);
    for (const u of this.uniques) if (u) n += u.memoryBytes();
    if (this.spatial) n += this.spatial.memoryBytes();
    return n;
  }

  /** Spatial queries fill one reused id list; callers copy out what they keep. */
  spatialQuery(): IdList {
    if (this.mutable.openBits !== 0) this.mutable.flush(); // the index must see direct writes first
    if (!this.spatial) throw new WorldlineError('SCHEMA', `table '${this.name}' has no spatial index; declare { spatial: { x, y } }`);
    this.query.clear();
    return this.query;
  }

  /** Rebuilds every index from the columns (after loading a snapshot). */
  reindex(): void {
    this.pkMap.clear();
    for (let c = 0; c < this.ncols; c++) { this.uniques[c]?.clear(); this.multi[c]?.clear(); }
    if (this.spatial) { this.spatial.clear(); this.spatial.bind({ x: this.cols[this.spX]!, y: this.cols[this.spY]! }); }
    for (let slot = 0; slot < this.count; slot++) this.indexRow(slot);
  }

}

export function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (v instanceof Uint8Array) return `<${v.length} bytes>`;
  if (v === undefined) return 'nothing';
  if (typeof v === 'object') return v === null ? 'null' : Array.isArray(v) ? 'an array' : 'an object';
  return String(v);
}
