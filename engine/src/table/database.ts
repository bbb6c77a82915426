// All tables of a world plus what they share: value pools, the tick's write log, the world hash, and
// whether writes are allowed right now.
//
// The write log is the undo log of every transaction of the tick, kept until the tick ends: a
// transaction's part is inverted on rollback and simply kept on commit. A write records its old
// value there and nothing else; which rows changed, their masks and tick-start values (the tables'
// tick entries) are worked out from the log later, in one tight loop ("resolve"), before anything
// needs them: at drain, before a delete, before direct column writes are recorded. So the write
// path touches no per-row bookkeeping array, and the bookkeeping's cache misses overlap.
import type { AnyTableDef } from '../schema/table-def.ts';
import { StringPool, BlobPool } from './value-pools.ts';
import { UndoLog, OP_SET, OP_INSERT, OP_DELETE, codeOp, codeCol, codeTable } from './undo-log.ts';
import { TableStore } from './table-store.ts';
import type { RowTickState } from './row-tick-state.ts';


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
  /** Log position where the running transaction began. */
  private txStart = 0;
  /** Log records before this one are reflected in the tables' tick entries. */
  private resolved = 0;

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
    this.undo.reset();
    this.txStart = 0;
    this.resolved = 0;
  }

  begin(): void {
    this.txStart = this.undo.length;
    this.writable = true;
  }

  commit(): void {
    this.flushMutables(false);
    this.writable = false;
  }

  /** Brings the tables' tick entries up to the log: each logged write not yet reflected gives its
   * row an entry, sets its column's change bit and, on the column's first change this tick, keeps
   * the old value as the tick-start value. The mask before is stored in the record for rollback. */
  resolve(): void {
    const u = this.undo, n = u.length;
    let i = this.resolved;
    if (i === n) return;
    const codes = u.code, tables = this.tables;
    // Records come in runs of one table: each run is resolved by a loop whose arrays are constants.
    while (i < n) {
      const ti = codes[i]! >>> 7;
      let j = i + 1;
      while (j < n && codes[j]! >>> 7 === ti) j++;
      const t = tables[ti]!;
      resolveRun(t.tick, t.inserted | 0, u, i, j);
      i = j;
    }
    this.resolved = n;
  }

  /** After records were appended already reflected in the entries (direct-write flushes). */
  markResolved(): void {
    this.resolved = this.undo.length;
  }

  /** Inverts every write of the running transaction, newest first. */
  rollback(): void {
    // Unlogged direct writes are newer than every logged one: undo them first.
    for (const t of this.mutables) t.mutable.discard();
    this.mutables.length = 0;
    this.rollbackTo(this.txStart);
    this.writable = false;
  }

  flushMutables(logUndo: boolean): void {
    if (this.mutables.length === 0) return; // most transactions: and setting length costs a runtime call
    for (const t of this.mutables) if (t.mutable.openBits !== 0) t.mutable.flush(logUndo);
    this.mutables.length = 0;
  }

  /** Inverts the writes after undo-log position `mark` (a statement or a whole transaction). */
  rollbackTo(mark: number): void {
    const u = this.undo, resolved = this.resolved;
    for (let i = u.length - 1; i >= mark; i--) {
      const code = u.code[i]!, t = this.tables[codeTable(code)]!;
      switch (codeOp(code)) {
        case OP_SET: t.undoSet(u.slot[i]!, codeCol(code), u.old[i]!, i < resolved ? u.oldMask[i]! : -1); break;
        case OP_INSERT: t.undoInsert(u.slot[i]!); break;
        case OP_DELETE: t.undoDelete(u.slot[i]!, u.saved, u.aux[i]!, u.oldMask[i]!, u.aux2[i]!); break;
      }
    }
    u.length = mark;
    if (this.resolved > mark) this.resolved = mark;
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

/** resolve() for records [from, to) of one table (room for an entry per record reserved first, so
 * adding entries never reallocates under the loop). */
function resolveRun(ts: RowTickState, ins: number, u: UndoLog, from: number, to: number): void {
  ts.reserve(to - from);
  const codes = u.code, slots = u.slot, old = u.old, oldMask = u.oldMask;
  const entry = ts.entry, eslot = ts.slot, emask = ts.mask, vals = ts.vals, cap = ts.cap, base1 = ts.base + 1;
  let count = ts.count;
  for (let i = from; i < to; i++) {
    const code = codes[i]!;
    if ((code & 3) !== OP_SET) continue; // inserts and deletes maintain the entries themselves
    const slot = slots[i]!, c = (code >>> 2) & 31;
    let e = entry[slot]! - base1;
    if (e < 0) { e = count++; entry[slot] = base1 + e; eslot[e] = slot; emask[e] = 0; }
    const m = emask[e]!;
    oldMask[i] = m;
    const bit = 1 << c;
    if ((m & (bit | ins)) === 0) vals[c * cap + e] = old[i]!; // rows inserted this tick keep none
    emask[e] = m | bit;
  }
  ts.count = count;
}
