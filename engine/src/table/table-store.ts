// One table's rows: typed-array columns (dense, swap-remove), its key maps and indexes, and the
// bookkeeping every write does — undo entry, changed-column mask, incremental hash. All writes funnel
// through setCell / insertStored / removeSlot so rollback and change tracking cannot be bypassed.
import type { ColumnKind } from '../schema/column.ts';
import type { AnyTableDef, ColumnInfo } from '../schema/table-def.ts';
import { checkValue, compileCheck } from '../schema/args.ts';
import { WorldlineError, senderError } from '../errors/index.ts';
import { allocColumn, allocPlain, growColumn, bytesPerValue, type ColumnArray } from './typed-columns.ts';
import { KeyMap } from './key-map.ts';
import { MultiIndex } from './multi-index.ts';
import { fmix32 } from './hash-mix.ts';
import { OP_SET, OP_INSERT, OP_DELETE } from './undo-log.ts';
import type { Database } from './database.ts';
import { createSpatialIndex, IdList, type SpatialIndex } from './spatial/index.ts';

export const INSERTED = 0x80000000;

const K_INT = 0, K_F32 = 1, K_F64 = 2, K_BOOL = 3, K_ENUM = 4, K_STR = 5, K_BYTES = 6;
// What index work a column's writes need.
const F_PK = 1, F_UNIQUE = 2, F_MULTI = 4, F_POOL = 8, F_SPATIAL = 16;
// How the hash reads a cell: small ints as is, 4-byte values as raw bits, f64 as two words, pools by content hash.
const W_SMALL = 0, W_BITS = 1, W_F64 = 2, W_STR = 3, W_BLOB = 4;
const COL_ODD1 = Int32Array.from({ length: 32 }, (_, c) => fmix32(Math.imul(c + 1, 0x27d4eb2f)) | 1);
const COL_ODD2 = Int32Array.from({ length: 32 }, (_, c) => fmix32(Math.imul(c + 1, 0x165667b1)) | 1);
const scratchF64 = new Float64Array(1);
const scratchF64Bits = new Int32Array(scratchF64.buffer);
const scratchF32 = new Float32Array(1);
const scratchF32Bits = new Int32Array(scratchF32.buffer);
function wordKind(k: ColumnKind): number {
  switch (k) {
    case 'u32': case 'i32': case 'f32': return W_BITS;
    case 'f64': return W_F64;
    case 'string': case 'identity': return W_STR;
    case 'bytes': return W_BLOB;
    default: return W_SMALL;
  }
}
function kindCode(k: ColumnKind): number {
  switch (k) {
    case 'f32': return K_F32;
    case 'f64': return K_F64;
    case 'bool': return K_BOOL;
    case 'enum': return K_ENUM;
    case 'string': case 'identity': return K_STR;
    case 'bytes': return K_BYTES;
    default: return K_INT;
  }
}

export interface DeletedRow {
  readonly pk: unknown;
  /** The row's values when it was deleted. */
  readonly row: Record<string, unknown>;
  /** Internal: the row's tick-start contribution to the world hash. */
  readonly hash: readonly [number, number];
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
  private readonly words: Uint8Array;
  /** Int32 views over 4- and 8-byte columns: the hash reads raw bits without converting. */
  private bits: (Int32Array | null)[] = [];
  private readonly salt: number;
  /** Per-column value checks, compiled once: the write path calls one small function. */
  private readonly checks: ((v: unknown) => boolean)[];

  /** Change tracking for the current tick: a changed-column mask per slot and the slots touched. */
  mask: Uint32Array;
  readonly dirty = new IdList(256);
  deleted: DeletedRow[] = [];
  /** Values at tick start of rows changed this tick: the first write of a row in a tick copies the
   * row into `startVals` (ncols numbers) and records where in `startIdx[slot]`. */
  private startIdx: Int32Array;
  private startVals = new Float64Array(1024);
  private startCount = 0;
  /** Columns handed out for direct writes in the running transaction (bit per column), with their
   * values when handed out: changes are found by comparing, at flush. */
  mutableOpen = 0;
  private readonly saved: (ColumnArray | null)[] = [];
  private readonly openCols = new Int32Array(32);
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
    this.salt = fmix32(Math.imul(index + 1, 0x85ebca77));
    this.words = new Uint8Array(def.columnList.map((c) => wordKind(c.kind)));
    this.flags = new Uint8Array(def.columnList.map((c) => (c.config.primaryKey ? F_PK : 0)
      | (c.config.unique && !c.config.primaryKey ? F_UNIQUE : 0) | (c.config.index ? F_MULTI : 0)
      | (c.kind === 'string' || c.kind === 'identity' || c.kind === 'bytes' ? F_POOL : 0)
      | (def.options.spatial && (c.name === def.options.spatial.x || c.name === def.options.spatial.y) ? F_SPATIAL : 0)));
    this.rebindBits();
    this.mask = new Uint32Array(capacity);
    this.startIdx = new Int32Array(capacity);
    const sp = def.options.spatial;
    if (sp) {
      this.spX = this.colIndex[sp.x]!;
      this.spY = this.colIndex[sp.y]!;
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

  // ---- hashing ----
  // The world hash is linear in cell values: each cell adds K1·lo + K2·hi (two 32-bit lanes), where
  // lo/hi are the cell's raw bits and K1, K2 are odd multipliers from (table, column, pk). It is not
  // touched by writes: at drain, each changed cell moves it by K·(now − tick start) and inserted /
  // deleted rows add / remove their cells. Since K is odd, any single-cell difference changes it.
  // Each row also adds a presence term, so all-zero rows count.

  /** The low 32 bits of a cell as the hash sees it (raw bits for floats, content hash for strings). */
  private wordLo(c: number, slot: number): number {
    switch (this.words[c]) {
      case W_BITS: return this.bits[c]![slot]!;
      case W_F64: return this.bits[c]![2 * slot]!;
      case W_STR: return this.db.strings.hashLo[this.cols[c]![slot]!]!;
      case W_BLOB: return this.db.blobs.hashLo[this.cols[c]![slot]!]!;
      default: return this.cols[c]![slot]! | 0;
    }
  }
  private wordHi(c: number, slot: number): number {
    switch (this.words[c]) {
      case W_F64: return this.bits[c]![2 * slot + 1]!;
      case W_STR: return this.db.strings.hashHi[this.cols[c]![slot]!]!;
      case W_BLOB: return this.db.blobs.hashHi[this.cols[c]![slot]!]!;
      default: return 0;
    }
  }
  /** Hash words of a stored value held outside the columns (a tick-start value). */
  private storedLo(c: number, v: number): number {
    switch (this.words[c]) {
      case W_BITS:
        if (this.kinds[c] !== K_F32) return v | 0;
        scratchF32[0] = v;
        return scratchF32Bits[0]!;
      case W_F64: scratchF64[0] = v; return scratchF64Bits[0]!;
      case W_STR: return this.db.strings.hashLo[v]!;
      case W_BLOB: return this.db.blobs.hashLo[v]!;
      default: return v | 0;
    }
  }
  private storedHi(c: number, v: number): number {
    switch (this.words[c]) {
      case W_F64: scratchF64[0] = v; return scratchF64Bits[1]!;
      case W_STR: return this.db.strings.hashHi[v]!;
      case W_BLOB: return this.db.blobs.hashHi[v]!;
      default: return 0;
    }
  }
  private rowKey(slot: number): number {
    const pc = this.pkCol;
    if (this.words[pc] !== W_F64 && this.words[pc] !== W_STR) return fmix32((this.cols[pc]![slot]! | 0) ^ this.salt);
    return fmix32(this.wordLo(pc, slot) ^ Math.imul(this.wordHi(pc, slot), 0x9e3779b1) ^ this.salt);
  }
  /** Moves the hash by one cell's change (dLo, dHi) for a row with key `key`. */
  private hashDelta(key: number, c: number, dLo: number, dHi: number): void {
    const k1 = Math.imul(key | 1, COL_ODD1[c]!);
    const k2 = Math.imul((key >>> 7) | 1, COL_ODD2[c]!);
    const db = this.db;
    db.hashLo = (db.hashLo + Math.imul(k1, dLo) + Math.imul(k2, dHi)) | 0;
    db.hashHi = (db.hashHi + Math.imul(k2, dLo) + Math.imul(k1, dHi)) | 0;
  }
  /** Adds (sign 1) or removes (sign -1) a whole row as it is now. */
  private hashRow(slot: number, sign: number): void {
    const key = this.rowKey(slot);
    const db = this.db;
    db.hashLo = (db.hashLo + sign * fmix32(key ^ 0xa5a5a5a5)) | 0;
    db.hashHi = (db.hashHi + sign * fmix32(key ^ 0x3c6ef372)) | 0;
    for (let c = 0; c < this.ncols; c++) this.hashDelta(key, c, (sign * this.wordLo(c, slot)) | 0, (sign * this.wordHi(c, slot)) | 0);
  }
  /** Drain: fold a dirty row (with its changed-column mask) into the world hash. */
  hashDirty(slot: number, mask: number): void {
    if ((mask & INSERTED) !== 0) return this.hashRow(slot, 1);
    const key = this.rowKey(slot);
    const base = this.startIdx[slot]! * this.ncols;
    for (let c = 0; c < this.ncols; c++) {
      if ((mask & (1 << c)) === 0) continue;
      const s = this.startVals[base + c]!;
      this.hashDelta(key, c, (this.wordLo(c, slot) - this.storedLo(c, s)) | 0, (this.wordHi(c, slot) - this.storedHi(c, s)) | 0);
    }
  }
  /** At delete time: the hash words a pre-existing row contributed at tick start, to remove at drain. */
  private startHashOf(slot: number, mask: number): [number, number] {
    const saveLo = this.db.hashLo, saveHi = this.db.hashHi;
    this.db.hashLo = 0; this.db.hashHi = 0;
    this.hashRow(slot, 1);
    if (mask !== 0) {
      const key = this.rowKey(slot);
      const base = this.startIdx[slot]! * this.ncols;
      for (let c = 0; c < this.ncols; c++) {
        if ((mask & (1 << c)) === 0) continue;
        const s = this.startVals[base + c]!;
        this.hashDelta(key, c, (this.storedLo(c, s) - this.wordLo(c, slot)) | 0, (this.storedHi(c, s) - this.wordHi(c, slot)) | 0);
      }
    }
    const r: [number, number] = [this.db.hashLo, this.db.hashHi];
    this.db.hashLo = saveLo; this.db.hashHi = saveHi;
    return r;
  }
  /** Drain: remove the rows deleted this tick from the world hash. */
  hashDeleted(): void {
    const db = this.db;
    for (const d of this.deleted) {
      db.hashLo = (db.hashLo - d.hash[0]) | 0;
      db.hashHi = (db.hashHi - d.hash[1]) | 0;
    }
  }

  // ---- primitive writes (each records its own undo entry) ----

  assertWritable(): void {
    if (!this.db.writable) throw new WorldlineError('READ_ONLY', `table '${this.name}' can be written only inside a reducer or system`);
  }

  /** Writes stored value `nv` (pool reference already taken) into a cell. The hot path of every
   * write: flags say which index work a column needs, and the undo entry is written inline. */
  setCell(slot: number, c: number, nv: number): void {
    if (this.mutableOpen !== 0) this.flushMutable();
    const col = this.cols[c]!;
    const old = col[slot]!;
    const f = this.flags[c]!;
    if ((this.kinds[c] === K_F32 ? Math.fround(nv) : nv) === old) {
      if ((f & F_POOL) !== 0) this.releaseId(c, nv);
      return;
    }
    if ((f & F_PK) !== 0) {
      throw senderError(`${this.name}: the primary key cannot change; delete the row and insert a new one`, 'PK_VIOLATION');
    }
    if ((f & F_UNIQUE) !== 0) {
      const other = this.uniques[c]!.get(this.kinds[c] === K_F32 ? Math.fround(nv) : nv);
      if (other >= 0 && other !== slot) {
        const shown = describe(this.readStored(c, nv));
        if ((f & F_POOL) !== 0) this.releaseId(c, nv);
        throw senderError(`${this.name}.${this.columns[c]!.name}: value ${shown} is already taken`, 'UNIQUE_VIOLATION');
      }
    }
    const m = this.mask[slot]!;
    const u = this.db.undo;
    if (u.length === u.op.length) u.grow();
    const i = u.length++;
    u.op[i] = OP_SET; u.table[i] = this.index; u.slot[i] = slot; u.col[i] = c; u.old[i] = old; u.oldMask[i] = m;
    const bit = 1 << c;
    if ((m & bit) === 0) {
      // First write of this column in the tick: keep its tick-start value for delta coding.
      if (m === 0) { this.dirty.push(slot); this.startIdx[slot] = this.allocStart(); }
      this.startVals[this.startIdx[slot]! * this.ncols + c] = old;
    }
    this.writeCell(slot, c, nv);
    this.mask[slot] = m | bit;
  }

  private allocStart(): number {
    if ((this.startCount + 1) * this.ncols > this.startVals.length) {
      const next = new Float64Array(this.startVals.length * 2);
      next.set(this.startVals);
      this.startVals = next;
    }
    return this.startCount++;
  }

  /** The stored value column `c` of an updated row had at the start of this tick, given the row's
   * changed-column `mask` from the change set (valid during the tick's publication). Pool-backed
   * columns (string, identity, bytes) give the old pool id, which may be freed: numbers only. */
  previousStored(slot: number, c: number, mask: number): number {
    return (mask & (1 << c)) !== 0 ? this.startVals[this.startIdx[slot]! * this.ncols + c]! : this.cols[c]![slot]!;
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
    this.startCount = 0;
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
    if (this.mutableOpen !== 0) this.flushMutable();
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
    this.db.undo.push(OP_INSERT, this.index, slot, 0, 0, this.mask[slot]!);
    this.mask[slot] = INSERTED;
    this.dirty.push(slot);
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
    this.pkMap.set(this.cols[this.pkCol]![slot]!, slot);
    for (let c = 0; c < this.ncols; c++) {
      const s = this.cols[c]![slot]!;
      this.uniques[c]?.set(s, slot);
      this.multi[c]?.add(s, slot);
    }
    if (this.spatial) this.spatial.insert(slot);
  }

  private unplaceRow(slot: number): void {
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
    for (let c = 0; c < this.ncols; c++) {
      const col = this.cols[c]!;
      const s = col[from]!;
      col[to] = s;
      this.uniques[c]?.set(s, to);
      this.multi[c]?.relabel(s, from, to);
    }
    this.pkMap.set(this.cols[this.pkCol]![to]!, to);
    this.startIdx[to] = this.startIdx[from]!;
    if (this.spatial) this.spatial.relabel(from, to);
  }

  removeSlot(slot: number): void {
    if (this.mutableOpen !== 0) this.flushMutable();
    const undo = this.db.undo;
    const m = this.mask[slot]!;
    const at = undo.reserveSaved(this.ncols);
    for (let c = 0; c < this.ncols; c++) undo.saved[at + c] = this.cols[c]![slot]!;
    const e = undo.push(OP_DELETE, this.index, slot, 0, 0, m);
    undo.aux[e] = at;
    undo.aux2[e] = this.deleted.length;
    if ((m & INSERTED) === 0) this.deleted.push({ pk: this.read(slot, this.pkCol), row: this.rowAt(slot), hash: this.startHashOf(slot, m) });
    this.unplaceRow(slot);
    // Pool references of the deleted row are dropped; collection waits for tick end, so a rollback
    // can still take them back.
    this.releaseValues(undo.saved.subarray(at, at + this.ncols));
    const last = this.count - 1;
    if (slot !== last) {
      this.moveRow(last, slot);
      const lm = this.mask[last]!;
      this.mask[slot] = lm;
      if (lm !== 0) this.dirty.push(slot);
    } else {
      this.mask[slot] = 0;
    }
    this.mask[last] = 0;
    this.count--;
  }

  // ---- direct column writes (data-oriented systems) ----

  /** Hands out column `c` for direct writes in this transaction. The table finds what changed by
   * comparing with a copy at flush (transaction end, or the table's next insert / delete / set) and
   * records exactly what setCell would have, for the changed rows only. */
  openMutable(c: number): ColumnArray {
    this.assertWritable();
    const f = this.flags[c]!;
    if ((f & (F_PK | F_UNIQUE | F_MULTI | F_POOL)) !== 0) {
      throw new WorldlineError('SCHEMA', `${this.name}.${this.columns[c]!.name}: mutableColumn() is for numeric columns without a key or index; use set()`);
    }
    const bit = 1 << c;
    if ((this.mutableOpen & bit) === 0) {
      let copy = this.saved[c];
      if (!copy || copy.length < this.count) copy = this.saved[c] = allocPlain(this.cols[c]!, this.capacity);
      copy.set(this.cols[c]!.subarray(0, this.count) as never);
      if (this.mutableOpen === 0) this.db.mutables.push(this);
      this.mutableOpen |= bit;
    }
    return this.cols[c]!;
  }

  /** Records the direct writes to open columns as ordinary writes and closes them. At commit
   * (`logUndo` false) no undo entries are needed: nothing can roll the transaction back any more. */
  flushMutable(logUndo = true): void {
    const open = this.mutableOpen;
    this.mutableOpen = 0;
    const cs = this.openCols;
    let k = 0;
    let spatialOpen = false;
    for (let c = 0; c < this.ncols; c++) {
      if ((open & (1 << c)) === 0) continue;
      cs[k++] = c;
      if ((this.flags[c]! & F_SPATIAL) !== 0) spatialOpen = true;
    }
    const u = this.db.undo;
    const n = this.count;
    for (let slot = 0; slot < n; slot++) {
      let moved = false;
      for (let j = 0; j < k; j++) {
        const c = cs[j]!;
        const old = this.saved[c]![slot]!, now = this.cols[c]![slot]!;
        if (old === now && (old !== 0 || 1 / old === 1 / now)) continue; // NaN never equals itself: counted as changed
        const m = this.mask[slot]!;
        const bit = 1 << c;
        if (logUndo) {
          if (u.length === u.op.length) u.grow();
          const i = u.length++;
          u.op[i] = OP_SET; u.table[i] = this.index; u.slot[i] = slot; u.col[i] = c; u.old[i] = old; u.oldMask[i] = m;
        }
        if ((m & bit) === 0) {
          if (m === 0) { this.dirty.push(slot); this.startIdx[slot] = this.allocStart(); }
          this.startVals[this.startIdx[slot]! * this.ncols + c] = old;
        }
        this.mask[slot] = m | bit;
        moved = true;
      }
      if (moved && spatialOpen) this.spatial!.move(slot);
    }
  }

  /** Rollback: open columns go back to their values when handed out (unlogged writes). */
  discardMutable(): void {
    for (let c = 0; c < this.ncols; c++) {
      if ((this.mutableOpen & (1 << c)) === 0) continue;
      this.cols[c]!.set(this.saved[c]!.subarray(0, this.count) as never);
    }
    this.mutableOpen = 0;
  }

  // ---- rollback ----

  undoSet(slot: number, c: number, old: number, oldMask: number): void {
    const k = this.kinds[c];
    if (k === K_STR) this.db.strings.retain(old);
    else if (k === K_BYTES) this.db.blobs.retain(old);
    this.writeCell(slot, c, old);
    this.mask[slot] = oldMask;
  }

  undoInsert(slot: number, oldMask: number): void {
    this.unplaceRow(slot);
    for (let c = 0; c < this.ncols; c++) {
      const k = this.kinds[c];
      if (k === K_STR) this.db.strings.release(this.cols[c]![slot]!);
      else if (k === K_BYTES) this.db.blobs.release(this.cols[c]![slot]!);
    }
    this.mask[slot] = oldMask;
    this.count--;
  }

  undoDelete(slot: number, saved: Float64Array, at: number, oldMask: number, deletedLen: number): void {
    const end = this.count;
    if (slot < end) {
      this.moveRow(slot, end);
      this.mask[end] = this.mask[slot]!;
    }
    const values = saved.subarray(at, at + this.ncols);
    for (let c = 0; c < this.ncols; c++) {
      const k = this.kinds[c];
      if (k === K_STR) this.db.strings.retain(values[c]!);
      else if (k === K_BYTES) this.db.blobs.retain(values[c]!);
    }
    this.placeRow(slot, values);
    this.mask[slot] = oldMask;
    this.count++;
    this.deleted.length = deletedLen;
  }

  // ---- storage ----

  private rebindBits(): void {
    this.bits = this.cols.map((col, c) => (this.words[c] === W_BITS || this.words[c] === W_F64 ? new Int32Array(col.buffer) : null));
  }

  grow(capacity: number): void {
    for (let c = 0; c < this.ncols; c++) this.cols[c] = growColumn(this.columns[c]!.kind, this.cols[c]!, capacity, this.count);
    this.rebindBits();
    const mask = new Uint32Array(capacity);
    mask.set(this.mask.subarray(0, this.capacity));
    this.mask = mask;
    const startIdx = new Int32Array(capacity);
    startIdx.set(this.startIdx.subarray(0, this.capacity));
    this.startIdx = startIdx;
    this.capacity = capacity;
    if (this.spatial) this.spatial.bind({ x: this.cols[this.spX]!, y: this.cols[this.spY]! });
  }

  /** Bytes held per table: columns, masks, key maps and the spatial index. */
  memoryBytes(): number {
    let n = this.mask.byteLength + this.startIdx.byteLength + this.pkMap.memoryBytes();
    for (let c = 0; c < this.ncols; c++) n += this.capacity * bytesPerValue(this.columns[c]!.kind);
    for (const u of this.uniques) if (u) n += u.memoryBytes();
    if (this.spatial) n += this.spatial.memoryBytes();
    return n;
  }

  /** Spatial queries fill one reused id list; callers copy out what they keep. */
  spatialQuery(): IdList {
    if (this.mutableOpen !== 0) this.flushMutable(); // the index must see direct writes first
    if (!this.spatial) throw new WorldlineError('SCHEMA', `table '${this.name}' has no spatial index; declare { spatial: { x, y } }`);
    this.query.clear();
    return this.query;
  }

  /** Rebuilds every index from the columns (after loading a snapshot). */
  reindex(): void {
    this.pkMap.clear();
    for (let c = 0; c < this.ncols; c++) { this.uniques[c]?.clear(); this.multi[c]?.clear(); }
    if (this.spatial) { this.spatial.clear(); this.spatial.bind({ x: this.cols[this.spX]!, y: this.cols[this.spY]! }); }
    for (let slot = 0; slot < this.count; slot++) {
      this.pkMap.set(this.cols[this.pkCol]![slot]!, slot);
      for (let c = 0; c < this.ncols; c++) {
        const s = this.cols[c]![slot]!;
        this.uniques[c]?.set(s, slot);
        this.multi[c]?.add(s, slot);
      }
      if (this.spatial) this.spatial.insert(slot);
    }
  }

  /** Recomputes this table's hash contribution from scratch. */
  hashAll(): [number, number] {
    const saveLo = this.db.hashLo, saveHi = this.db.hashHi;
    this.db.hashLo = 0; this.db.hashHi = 0;
    for (let slot = 0; slot < this.count; slot++) this.hashRow(slot, 1);
    const r: [number, number] = [this.db.hashLo, this.db.hashHi];
    this.db.hashLo = saveLo; this.db.hashHi = saveHi;
    return r;
  }
}

export function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (v instanceof Uint8Array) return `<${v.length} bytes>`;
  if (v === undefined) return 'nothing';
  if (typeof v === 'object') return v === null ? 'null' : Array.isArray(v) ? 'an array' : 'an object';
  return String(v);
}
