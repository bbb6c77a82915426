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

export class ClientTable {
  readonly layout: CompiledLayout;
  readonly name: string;
  readonly pkName: string;
  /** Rows by handle; undefined where the handle is free. */
  rows: (Row | undefined)[] = [];
  readonly pkToHandle = new Map<PkValue, number>();
  /** Scratch flags per handle used while validating one frame (always all-zero between frames). */
  marks = new Uint8Array(64);

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
    return h === undefined ? undefined : this.rows[h];
  }

  rowByHandle(handle: number): Row | undefined {
    return this.rows[handle];
  }

  *iter(): IterableIterator<Row> {
    for (const h of this.pkToHandle.values()) yield this.rows[h]!;
  }

  clear(): void {
    this.rows = [];
    this.pkToHandle.clear();
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
