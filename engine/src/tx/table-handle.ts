// The typed face of a table that reducers (ctx.db.<table>) and tools (world.tables.<table>) use.
// Row and key types come from the column builders; the runtime is a thin layer over TableStore.
import type {
  ColumnsShape, RowOf, InsertOf, UniqueKeys, IndexedKeys, PkKey, NumericKeys,
} from '../schema/column.ts';
import type { TableStore } from '../table/table-store.ts';
import type { ColumnArray } from '../table/typed-columns.ts';
import { describe } from '../table/table-store.ts';
import { senderError } from '../errors/index.ts';

type PkOf<C extends ColumnsShape> = C[PkKey<C>]['_type'];
type Patch<C extends ColumnsShape> = Partial<Omit<RowOf<C>, PkKey<C>>>;

export class TableHandle<C extends ColumnsShape = ColumnsShape> {
  private readonly scratch: Float64Array;
  constructor(readonly store: TableStore) {
    this.scratch = new Float64Array(store.ncols);
  }

  get name(): string { return this.store.name; }
  get count(): number { return this.store.count; }

  // ---- reads ----
  find(pk: PkOf<C>): RowOf<C> | undefined {
    const s = this.store.slotOf(pk);
    return s < 0 ? undefined : (this.store.rowAt(s) as RowOf<C>);
  }
  has(pk: PkOf<C>): boolean { return this.store.slotOf(pk) >= 0; }
  /** Finds by the primary key or a unique() column. */
  findBy<K extends UniqueKeys<C>>(col: K, value: C[K]['_type']): RowOf<C> | undefined {
    const s = this.store.slotByUnique(this.col(col), value);
    return s < 0 ? undefined : (this.store.rowAt(s) as RowOf<C>);
  }
  /** Rows whose indexed column equals `value`. */
  where<K extends IndexedKeys<C>>(col: K, value: C[K]['_type']): RowOf<C>[] {
    const c = this.col(col);
    const st = this.store;
    if (st.uniques[c] || c === st.pkCol) {
      const s = st.slotByUnique(c, value);
      return s < 0 ? [] : [st.rowAt(s) as RowOf<C>];
    }
    const mi = st.multi[c];
    if (!mi) throw senderError(`${st.name}.${col} has no index; declare .index() on it`, 'SCHEMA');
    const k = st.keyOf(c, value);
    if (k !== k) return [];
    return mi.get(k).map((s) => st.rowAt(s) as RowOf<C>);
  }
  /** Rows whose btree-indexed column lies in [lo, hi], in column order. */
  range<K extends IndexedKeys<C> & NumericKeys<C>>(col: K, lo: number, hi: number): RowOf<C>[] {
    const c = this.col(col);
    const mi = this.store.multi[c];
    if (!mi || mi.kind !== 'btree') throw senderError(`${this.store.name}.${col} needs .index('btree') for range()`, 'SCHEMA');
    const out: RowOf<C>[] = [];
    mi.range(lo, hi, (s) => out.push(this.store.rowAt(s) as RowOf<C>));
    return out;
  }
  /** Rows within distance r of (x, y) by the table's spatial columns. */
  near(x: number, y: number, r: number): RowOf<C>[] {
    const q = this.store.spatialQuery();
    this.store.spatial!.queryRadius(x, y, r, q);
    return this.rowsOf(q.ids, q.length);
  }
  inRect(minX: number, minY: number, maxX: number, maxY: number): RowOf<C>[] {
    const q = this.store.spatialQuery();
    this.store.spatial!.queryRect(minX, minY, maxX, maxY, q);
    return this.rowsOf(q.ids, q.length);
  }
  *iter(): IterableIterator<RowOf<C>> {
    for (let s = 0; s < this.store.count; s++) yield this.store.rowAt(s) as RowOf<C>;
  }
  /** One column of one row, without building the row object. */
  get<K extends keyof C & string>(pk: PkOf<C>, col: K): C[K]['_type'] {
    return this.store.read(this.slotOrThrow(pk), this.col(col)) as C[K]['_type'];
  }

  // ---- writes (inside reducers and systems only) ----
  insert(row: InsertOf<C>): RowOf<C> {
    const st = this.store;
    st.assertWritable();
    const r = row as Record<string, unknown>;
    for (const k in r) if (st.colOf(k) < 0) throw senderError(`${st.name} has no column '${k}'`, 'BAD_ARGUMENTS');
    const vals = this.scratch;
    let c = 0;
    try {
      for (; c < st.ncols; c++) {
        const info = st.columns[c]!;
        let v = r[info.name];
        if (v === undefined) {
          if (info.config.autoInc) v = st.nextAutoInc;
          else if (info.config.hasDefault) v = info.config.defaultValue;
          else throw senderError(`${st.name}.${info.name} is required`, 'BAD_ARGUMENTS');
        }
        vals[c] = st.toStored(c, v);
        if (info.config.autoInc && (v as number) >= st.nextAutoInc) st.nextAutoInc = (v as number) + 1;
      }
    } catch (e) {
      this.releaseScratch(c);
      throw e;
    }
    return st.rowAt(st.insertStored(vals)) as RowOf<C>;
  }
  update(pk: PkOf<C>, patch: Patch<C>): void {
    const st = this.store;
    st.assertWritable();
    const slot = this.slotOrThrow(pk);
    const p = patch as Record<string, unknown>;
    const mark = st.db.undo.length;
    try {
      for (const k in p) {
        const v = p[k];
        if (v === undefined) continue;
        st.setCell(slot, this.col(k), st.toStored(this.col(k), v));
      }
    } catch (e) {
      st.db.rollbackTo(mark); // a statement is atomic even if the reducer catches the error
      throw e;
    }
  }
  /** Sets one column of one row: the allocation-free write for hot reducers. */
  set<K extends Exclude<keyof C & string, PkKey<C>>>(pk: PkOf<C>, col: K, value: C[K]['_type']): void {
    const st = this.store;
    st.assertWritable();
    const slot = this.slotOrThrow(pk);
    const c = this.col(col);
    st.setCell(slot, c, st.toStored(c, value));
  }
  delete(pk: PkOf<C>): boolean {
    const st = this.store;
    st.assertWritable();
    const s = st.slotOf(pk);
    if (s < 0) return false;
    st.removeSlot(s);
    return true;
  }

  // ---- data-oriented access for per-tick systems ----
  /** The current slot of a row (slots change when rows are deleted; do not keep them across ticks). */
  slot(pk: PkOf<C>): number { return this.store.slotOf(pk); }
  /** The live typed array of a numeric column; re-fetch after inserts (the table may regrow). */
  column<K extends NumericKeys<C>>(col: K): ColumnArray { return this.store.cols[this.col(col)]!; }
  /** A numeric column to write directly, by slot (`col[slot] = v`), for per-tick systems over many
   * rows. Changes are found at the end of the transaction (or before this table's next insert,
   * delete or set) by comparing with the values when it was handed out, and recorded like set():
   * undo, change set, spatial index. Not for key, unique, indexed or string columns. */
  mutableColumn<K extends NumericKeys<C>>(col: K): ColumnArray { return this.store.mutable.open(this.col(col)); }
  /** Writes a numeric column by slot, with the same undo, indexing and change tracking as set(). */
  setAt<K extends NumericKeys<C>>(slot: number, col: K, value: number): void {
    const st = this.store;
    st.assertWritable();
    const c = this.col(col);
    // A slot past the last row would write a dead cell (or none) and still log it and move the hash.
    if (!((slot | 0) === slot && slot >= 0 && slot < st.count)) throw this.badSlot(slot);
    st.setCell(slot, c, st.numberToStored(c, value));
  }
  pkAt(slot: number): PkOf<C> { return this.store.read(slot, this.store.pkCol) as PkOf<C>; }

  private col(name: string): number {
    const c = this.store.colIndex[name];
    if (typeof c === 'number') return c;
    return this.colSlow(name);
  }
  private colSlow(name: string): number {
    const c = this.store.colOf(name);
    if (c < 0) throw senderError(`${this.store.name} has no column '${name}'`, 'BAD_ARGUMENTS');
    return c;
  }
  /** A bug in the calling code, not the sender's fault: a plain error, logged with its stack. */
  private badSlot(slot: unknown): RangeError {
    return new RangeError(`${this.store.name}.setAt: slot ${describe(slot)} is not a row (the table has ${this.store.count} rows; slot() gives -1 for a missing key)`);
  }
  private slotOrThrow(pk: unknown): number {
    const s = this.store.slotOf(pk);
    if (s < 0) throw senderError(`${this.store.name}: no row with primary key ${describe(pk)}`, 'NOT_FOUND');
    return s;
  }
  /** Rows of a spatial query, in slot order: the index's internal order differs after a reload. */
  private rowsOf(ids: Int32Array, n: number): RowOf<C>[] {
    ids.subarray(0, n).sort();
    const out: RowOf<C>[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = this.store.rowAt(ids[i]!) as RowOf<C>;
    return out;
  }
  private releaseScratch(upTo: number): void {
    const st = this.store;
    for (let c = 0; c < upTo; c++) {
      const k = st.columns[c]!.kind;
      if (k === 'string' || k === 'identity') st.db.strings.release(this.scratch[c]!);
      else if (k === 'bytes') st.db.blobs.release(this.scratch[c]!);
    }
  }
}
