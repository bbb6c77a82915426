// The typed per-table cache users read (client.db.<table>): lookups into the rows the connection
// holds, plus insert / update / delete listeners fired after each update has been applied whole.
import { Listeners, type Off } from './emitter.ts';
import { ClientError } from './errors.ts';
import type { ClientTable, Row as WireRow, PkValue } from '@worldline/engine/protocol/index.ts';

export interface TableCache<R, K> {
  readonly name: string;
  /** Rows held right now. */
  readonly count: number;
  find(pk: K): R | undefined;
  /** The primary key of one of this table's rows. */
  pkOf(row: R): K;
  iter(): IterableIterator<R>;
  [Symbol.iterator](): IterableIterator<R>;
  /** A row entered the client's view (inserted, or newly visible through a subscription or area). */
  onInsert(cb: (row: R) => void): Off;
  /** A held row changed; `changed` names the columns whose values differ. */
  onUpdate(cb: (old: R, row: R, changed: readonly (keyof R & string)[]) => void): Off;
  /** A row left the client's view (deleted, or no longer covered by any subscription). */
  onDelete(cb: (row: R) => void): Off;
}

/** What one applied frame changed in one table (the protocol's report, or a resync diff). */
export interface TableChanges {
  readonly inserted: readonly WireRow[];
  readonly updated: readonly { readonly old: WireRow; readonly row: WireRow }[];
  readonly deleted: readonly WireRow[];
}

const EMPTY: readonly never[] = [];

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  return Object.is(a, b);
}

/** Column names whose values differ between two rows of the same table. */
export function changedColumns(old: WireRow, row: WireRow): string[] {
  const out: string[] = [];
  for (const k in row) if (!sameValue(old[k], row[k])) out.push(k);
  for (const k in old) if (!(k in row)) out.push(k);
  return out;
}

/** Implementation behind TableCache; `source` is whatever the client currently shows. */
export class CacheTable<R, K> implements TableCache<R, K> {
  private src: ClientTable | null = null;
  /** Kept after the table disappears, so rows being deleted still have a key. */
  private pkName: string | null = null;
  private readonly inserts: Listeners<(row: R) => void>;
  private readonly updates: Listeners<(old: R, row: R, changed: readonly (keyof R & string)[]) => void>;
  private readonly deletes: Listeners<(row: R) => void>;

  constructor(readonly name: string, onThrow: (err: unknown) => void) {
    this.inserts = new Listeners(onThrow);
    this.updates = new Listeners(onThrow);
    this.deletes = new Listeners(onThrow);
  }

  get source(): ClientTable | null {
    return this.src;
  }

  set source(t: ClientTable | null) {
    this.src = t;
    if (t) this.pkName = t.pkName;
  }

  get count(): number {
    return this.source?.size ?? 0;
  }

  find(pk: K): R | undefined {
    return this.source?.find(pk as PkValue) as R | undefined;
  }

  pkOf(row: R): K {
    const pk = this.pkName;
    if (pk === null) throw new ClientError('UNKNOWN_TABLE', `table '${this.name}' is not known yet (not connected) or not sent to clients`);
    return (row as Record<string, unknown>)[pk] as K;
  }

  iter(): IterableIterator<R> {
    return (this.source ? this.source.iter() : EMPTY[Symbol.iterator]()) as IterableIterator<R>;
  }

  [Symbol.iterator](): IterableIterator<R> {
    return this.iter();
  }

  onInsert(cb: (row: R) => void): Off {
    return this.inserts.add(cb);
  }

  onUpdate(cb: (old: R, row: R, changed: readonly (keyof R & string)[]) => void): Off {
    return this.updates.add(cb);
  }

  onDelete(cb: (row: R) => void): Off {
    return this.deletes.add(cb);
  }

  get hasListeners(): boolean {
    return this.inserts.size + this.updates.size + this.deletes.size > 0;
  }

  /** Fires listeners for changes already applied: deletes, then inserts, then updates (the order
   * a frame's sections apply in), so a handler sees the table as it is after the whole update. */
  fire(c: TableChanges): void {
    if (this.deletes.size > 0) for (const row of c.deleted) this.deletes.emit(row as R);
    if (this.inserts.size > 0) for (const row of c.inserted) this.inserts.emit(row as R);
    if (this.updates.size > 0) {
      for (const u of c.updated) {
        this.updates.emit(u.old as R, u.row as R, changedColumns(u.old, u.row) as (keyof R & string)[]);
      }
    }
  }
}

/** What changes when the client switches from the rows it showed to a freshly synced copy:
 * rows only in `next` are inserts, rows only in `prev` deletes, rows in both with other values updates. */
export function diffTables(prev: ClientTable | null, next: ClientTable | null): TableChanges {
  const inserted: WireRow[] = [], deleted: WireRow[] = [];
  const updated: { old: WireRow; row: WireRow }[] = [];
  if (next) {
    for (const row of next.iter()) {
      const old = prev?.find(row[next.pkName] as PkValue);
      if (!old) inserted.push(row);
      else if (changedColumns(old, row).length > 0) updated.push({ old, row });
    }
  }
  if (prev) {
    for (const row of prev.iter()) {
      if (!next || next.find(row[prev.pkName] as PkValue) === undefined) deleted.push(row);
    }
  }
  return { inserted, updated, deleted };
}
