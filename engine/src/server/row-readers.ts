// Row readers the encoders pull column values through: a row as it is now, and as clients last saw
// it (the previous tick's values of the changed columns), both by slot and reused per row.
import type { TableStore } from '../table/table-store.ts';
import type { RowReader, ColumnValue } from '../protocol/index.ts';

/** Reads a row's current values by slot. */
export class SlotReader implements RowReader {
  store!: TableStore;
  slot = 0;
  read(c: number): ColumnValue { return this.store.read(this.slot, c) as ColumnValue; }
}

/** Reads a row's values as of the previous tick (what clients hold). */
export class PreviousReader implements RowReader {
  store!: TableStore;
  slot = 0;
  mask = 0;
  read(c: number): ColumnValue { return this.store.readPrevious(this.slot, c, this.mask) as ColumnValue; }
}
