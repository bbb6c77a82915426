// All tables of a world plus what they share: value pools, the undo log of the running transaction,
// the incremental world hash, and whether writes are allowed right now.
import type { AnyTableDef } from '../schema/table-def.ts';
import { StringPool, BlobPool } from './value-pools.ts';
import { UndoLog, OP_SET, OP_INSERT, OP_DELETE } from './undo-log.ts';
import { TableStore } from './table-store.ts';

export class Database {
  readonly strings = new StringPool();
  readonly blobs = new BlobPool();
  readonly undo = new UndoLog();
  readonly tables: TableStore[] = [];
  readonly byName = new Map<string, TableStore>();
  /** Tables with columns open for direct writes in the running transaction. */
  readonly mutables: TableStore[] = [];
  hashLo = 0;
  hashHi = 0;
  writable = false;

  constructor(defs: readonly AnyTableDef[]) {
    for (const def of defs) {
      const store = new TableStore(def, this.tables.length, this);
      this.tables.push(store);
      this.byName.set(def.name, store);
    }
  }

  /** A tick starts: per-tick bookkeeping of every table resets. */
  beginTick(): void {
    for (const t of this.tables) t.beginTick();
  }

  begin(): void {
    this.undo.reset();
    this.writable = true;
  }

  commit(): void {
    this.flushMutables(false);
    this.undo.reset();
    this.writable = false;
  }

  /** Inverts every write of the running transaction, newest first. */
  rollback(): void {
    // Unlogged direct writes are newer than every logged one: undo them first.
    for (const t of this.mutables) t.mutable.discard();
    this.mutables.length = 0;
    this.rollbackTo(0);
    this.undo.reset();
    this.writable = false;
  }

  flushMutables(logUndo: boolean): void {
    if (this.mutables.length === 0) return; // most transactions: and setting length costs a runtime call
    for (const t of this.mutables) if (t.mutable.openBits !== 0) t.mutable.flush(logUndo);
    this.mutables.length = 0;
  }

  /** Inverts the writes after undo-log position `mark` (a statement or a whole transaction). */
  rollbackTo(mark: number): void {
    const u = this.undo;
    for (let i = u.length - 1; i >= mark; i--) {
      const t = this.tables[u.table[i]!]!;
      switch (u.op[i]) {
        case OP_SET: t.undoSet(u.slot[i]!, u.col[i]!, u.old[i]!, u.oldMask[i]!); break;
        case OP_INSERT: t.undoInsert(u.slot[i]!); break;
        case OP_DELETE: t.undoDelete(u.slot[i]!, u.saved, u.aux[i]!, u.oldMask[i]!, u.aux2[i]!); break;
      }
    }
    u.length = mark;
  }

  /** Tick end: free pool values nobody references any more. */
  collect(): void {
    this.strings.collect();
    this.blobs.collect();
  }

  hash(): string {
    return (this.hashLo >>> 0).toString(16).padStart(8, '0') + (this.hashHi >>> 0).toString(16).padStart(8, '0');
  }
}
