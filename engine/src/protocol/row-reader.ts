// RowReader: how the row codec reads a row's columns by index, plus two small reusable adapters.
import type { ColumnValue } from './layout.ts';

/** Reads one row's columns by index. Implementations are reused across rows (no per-row objects). */
export interface RowReader {
  read(column: number): ColumnValue;
}

/** A RowReader over a row object keyed by column name (engine rows, tests). Set `row`, then encode. */
export class ObjectRowReader implements RowReader {
  row: Readonly<Record<string, unknown>> = {};
  constructor(private readonly names: readonly string[]) {}
  read(column: number): ColumnValue {
    return this.row[this.names[column]!] as ColumnValue;
  }
}

/** A RowReader over an array of values in column order. */
export class ArrayRowReader implements RowReader {
  values: readonly ColumnValue[] = [];
  read(column: number): ColumnValue {
    return this.values[column]!;
  }
}
