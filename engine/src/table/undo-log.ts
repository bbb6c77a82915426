// The tick's write log, in parallel typed arrays (no object per entry): every transaction's undo
// entries, kept until the tick ends (database.ts). Each entry inverts exactly one primitive write, so
// replaying a transaction's part backwards restores the tables slot for slot.

export const OP_SET = 1;
export const OP_INSERT = 2;
export const OP_DELETE = 3;

/** An entry's operation, column and table share one Int32 (one store on the write path):
 * op in bits 0–1, column in bits 2–6, table from bit 7. */
export const undoCode = (op: number, table: number, col: number): number => op | (col << 2) | (table << 7);
export const codeOp = (code: number): number => code & 3;
export const codeCol = (code: number): number => (code >>> 2) & 31;
export const codeTable = (code: number): number => code >>> 7;

export class UndoLog {
  length = 0;
  /** Entries the arrays hold: a small integer field, where a typed array's length is compared as a
   * float on the write path. */
  cap = 1024;
  code = new Int32Array(1024);
  slot = new Int32Array(1024);
  old = new Float64Array(1024);
  oldMask = new Uint32Array(1024);
  aux = new Int32Array(1024); // OP_DELETE: offset of the saved row in `saved`
  aux2 = new Int32Array(1024); // OP_DELETE: length of the table's deleted list before the delete
  /** Stored values of deleted rows, ncols numbers each, for re-insertion on rollback. */
  saved = new Float64Array(4096);
  savedLength = 0;

  push(op: number, table: number, slot: number, col: number, old: number, oldMask: number): number {
    if (this.length === this.cap) this.grow();
    const i = this.length++;
    this.code[i] = undoCode(op, table, col);
    this.slot[i] = slot;
    this.old[i] = old;
    this.oldMask[i] = oldMask;
    return i;
  }

  reserveSaved(n: number): number {
    if (this.savedLength + n > this.saved.length) {
      let cap = this.saved.length * 2;
      while (cap < this.savedLength + n) cap *= 2;
      const next = new Float64Array(cap);
      next.set(this.saved.subarray(0, this.savedLength));
      this.saved = next;
    }
    const at = this.savedLength;
    this.savedLength += n;
    return at;
  }

  reset(): void {
    this.length = 0;
    this.savedLength = 0;
  }

  grow(): void {
    const n = this.code.length * 2;
    const g = <A extends Uint8Array | Uint16Array | Int32Array | Float64Array | Uint32Array>(a: A, ctor: new (n: number) => A): A => {
      const next = new ctor(n);
      next.set(a as never);
      return next;
    };
    this.code = g(this.code, Int32Array);
    this.slot = g(this.slot, Int32Array);
    this.old = g(this.old, Float64Array);
    this.oldMask = g(this.oldMask, Uint32Array);
    this.aux = g(this.aux, Int32Array);
    this.aux2 = g(this.aux2, Int32Array);
    this.cap = n;
  }
}
