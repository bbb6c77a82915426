// The `rows` bytes of TickUpdate and SubscriptionApplied: per table, its id and three length-prefixed
// row-codec sections in the order a client applies them: deletes, inserts, updates.
import { ProtocolError } from './errors.ts';
import { ByteReader } from './byte-reader.ts';
import type { ByteWriter } from './byte-writer.ts';
import type { TableUpdateData } from './frame-types.ts';

const EMPTY = new Uint8Array(0);

/** Appends one table's sections (each given as bytes [start, end) of `src`). */
export function writeTableSections(w: ByteWriter, tableId: number, d: Uint8Array, i: Uint8Array, u: Uint8Array): void {
  w.varint(tableId);
  w.varint(d.length);
  w.bytes(d);
  w.varint(i.length);
  w.bytes(i);
  w.varint(u.length);
  w.bytes(u);
}

const reader = new ByteReader();

function section(r: ByteReader, copy: boolean): Uint8Array {
  const n = r.varint();
  if (n === 0) return EMPTY;
  const v = r.bytes(n);
  return copy ? v.slice() : v;
}

/** Splits `rows` into per-table sections (views unless `copy`). Throws ProtocolError when a length
 * runs past the end or a table id is out of range. */
export function splitTableSections(rows: Uint8Array | null, copy: boolean): TableUpdateData[] {
  const out: TableUpdateData[] = [];
  if (rows === null || rows.length === 0) return out;
  const r = reader.reset(rows);
  while (r.remaining > 0) {
    const tableId = r.varint();
    if (tableId > 0xffff) throw new ProtocolError('BAD_VALUE', `table id ${tableId} is above 65535`);
    const deletes = section(r, copy);
    const inserts = section(r, copy);
    const updates = section(r, copy);
    out.push({ tableId, inserts, updates, deletes });
  }
  return out;
}
