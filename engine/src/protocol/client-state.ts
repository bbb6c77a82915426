// The client's copy of the rows it can see, per table: rows by handle (the wire's row names) and a
// primary-key index. The SDK's cache reads this; apply-updates.ts is the only writer.
import { ProtocolError } from './errors.ts';
import { DEFAULT_LIMITS, type ProtocolLimits } from './limits.ts';
import { compileLayout, type CompiledLayout, type ColumnValue, type TableLayout } from './layout.ts';

/** A row as the client sees it: column name → value (quantized floats already dequantized). Rows
 * are replaced, never mutated, when they change, so a held row is a stable snapshot. Treat them as
 * read-only: the decoder derives delta bases from them. */
export type Row = Readonly<Record<string, ColumnValue>>;
export type PkValue = number | string;

/** Handles per page of a ClientTable's row index (see ClientTable). */
const PAGE_BITS = 8;
const PAGE_SIZE = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_SIZE - 1;

/** Up to PAGE_SIZE consecutive handles: their rows, the apply pass's scratch flags, and how many
 * of the rows are held. */
class RowPage {
  readonly rows: (Row | undefined)[] = new Array<Row | undefined>(PAGE_SIZE).fill(undefined);
  readonly marks = new Uint8Array(PAGE_SIZE);
  held = 0;
}

export class ClientTable {
  readonly layout: CompiledLayout;
  readonly name: string;
  readonly pkName: string;
  readonly pkToHandle = new Map<PkValue, number>();
  /** Rows by handle, in pages of 256 handles; a page exists only while it holds a row (or one
   * frame's scratch flags). Handles need not be dense: a server may number them per map cell
   * (slot × L + index, anywhere below 2^20). A flat array indexed by such handles turns into a slow
   * dictionary (about 4× slower to update a row in a micro-benchmark, plus 1 MiB of scratch flags
   * per table, and an "all" handle set scans up to 2^20 entries); a Map was about 2× slower than a
   * flat array on dense handles. Pages cost about what a flat array costs, for dense or sparse
   * handles alike. Written only by apply-updates.ts. */
  private pages: (RowPage | undefined)[] = [];

  constructor(layout: TableLayout) {
    this.layout = compileLayout(layout);
    this.name = layout.name;
    this.pkName = layout.columns[layout.pkIndex]!.name;
  }

  get size(): number {
    return this.pkToHandle.size;
  }

  find(pk: PkValue): Row | undefined {
    const h = this.pkToHandle.get(pk);
    return h === undefined ? undefined : this.rowByHandle(h);
  }

  /** The row held under a wire handle, if any. */
  rowByHandle(handle: number): Row | undefined {
    const p = this.pages[handle >>> PAGE_BITS];
    return p === undefined || handle !== (handle >>> 0) ? undefined : p.rows[handle & PAGE_MASK];
  }

  *iter(): IterableIterator<Row> {
    for (const h of this.pkToHandle.values()) yield this.rowByHandle(h)!;
  }

  clear(): void {
    this.pages = [];
    this.pkToHandle.clear();
  }

  // ---- for apply-updates.ts: rows by handle and per-frame scratch flags ----

  /** @internal Stores `row` under handle `h` (below 2^32), replacing what was there. */
  setRow(h: number, row: Row): void {
    const p = this.pages[h >>> PAGE_BITS] ?? this.page(h);
    const i = h & PAGE_MASK;
    if (p.rows[i] === undefined) p.held++;
    p.rows[i] = row;
  }

  /** @internal Frees handle `h`, which holds a row. Its page stays until dropEmptyPage. */
  deleteRow(h: number): void {
    const p = this.pages[h >>> PAGE_BITS]!;
    p.rows[h & PAGE_MASK] = undefined;
    p.held--;
  }

  /** @internal Drops the page of `h` if it holds no row (its marks are all clear between frames). */
  dropEmptyPage(h: number): void {
    const k = h >>> PAGE_BITS;
    if (this.pages[k]?.held === 0) this.pages[k] = undefined;
  }

  /** @internal The scratch flags of handle `h` (0 when never marked). */
  markOf(h: number): number {
    const p = this.pages[h >>> PAGE_BITS];
    return p === undefined ? 0 : p.marks[h & PAGE_MASK]!;
  }

  /** @internal Sets `flag` on handle `h`; true when it had no flag before. */
  addMark(h: number, flag: number): boolean {
    const p = this.pages[h >>> PAGE_BITS] ?? this.page(h);
    const i = h & PAGE_MASK, m = p.marks[i]!;
    p.marks[i] = m | flag;
    return m === 0;
  }

  /** @internal Clears the flags of handle `h` (marked before). */
  clearMark(h: number): void {
    this.pages[h >>> PAGE_BITS]!.marks[h & PAGE_MASK] = 0;
  }

  /** @internal True if any handle has a flag set (they must all be clear between frames). */
  anyMarked(): boolean {
    return this.pages.some((p) => p !== undefined && p.marks.some((m) => m !== 0));
  }

  /** @internal Writes the held handles whose flags have no bit of `skip` into `out` (ascending,
   * grown as needed); returns their count. Work is bounded by the pages in use, not the largest
   * handle. */
  heldHandles(out: { handles: Int32Array }, skip: number): number {
    const pages = this.pages;
    let n = 0;
    for (let k = 0; k < pages.length; k++) {
      const p = pages[k];
      if (p === undefined || p.held === 0) continue;
      const rows = p.rows, marks = p.marks, base = k << PAGE_BITS;
      for (let i = 0; i < PAGE_SIZE; i++) {
        if (rows[i] === undefined || (marks[i]! & skip) !== 0) continue;
        if (n === out.handles.length) {
          const g = new Int32Array(n * 2);
          g.set(out.handles);
          out.handles = g;
        }
        out.handles[n++] = base + i;
      }
    }
    return n;
  }

  private page(h: number): RowPage {
    const k = h >>> PAGE_BITS, pages = this.pages;
    while (pages.length <= k) pages.push(undefined); // grown in place so the array keeps fast elements
    return (pages[k] = new RowPage());
  }
}

/** Everything one connection has received: a ClientTable per table of the Welcome's layouts. */
export class ClientState {
  readonly tables = new Map<number, ClientTable>();
  readonly byName = new Map<string, ClientTable>();
  readonly limits: ProtocolLimits;
  /** Tick and time of the last applied TickUpdate. */
  tick = 0;
  time = 0;

  constructor(layouts: readonly TableLayout[], limits: ProtocolLimits = DEFAULT_LIMITS) {
    this.limits = limits;
    for (const l of layouts) {
      if (this.tables.has(l.id)) throw new ProtocolError('BAD_LAYOUT', `table id ${l.id} is used twice`);
      const t = new ClientTable(l);
      this.tables.set(l.id, t);
      this.byName.set(l.name, t);
    }
  }

  table(nameOrId: string | number): ClientTable | undefined {
    return typeof nameOrId === 'number' ? this.tables.get(nameOrId) : this.byName.get(nameOrId);
  }

  /** Drops every row (before a resync or a reconnect). */
  clear(): void {
    for (const t of this.tables.values()) t.clear();
  }
}
