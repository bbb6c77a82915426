// The undo log of the running transaction, in parallel typed arrays (no object per entry). Each entry
// inverts exactly one primitive write, so replaying them backwards restores the tables slot for slot.

export const OP_SET = 1;
export const OP_INSERT = 2;
export const OP_DELETE = 3;

export class UndoLog {
  length = 0;
  op = new Uint8Array(1024);
  table = new Uint16Array(1024);
  slot = new Int32Array(1024);
  col = new Uint8Array(1024);
  old = new Float64Array(1024);
  oldMask = new Uint32Array(1024);
  aux = new Int32Array(1024); // OP_DELETE: offset of the saved row in `saved`
  aux2 = new Int32Array(1024); // OP_DELETE: length of the table's deleted list before the delete
  /** Stored values of deleted rows, ncols numbers each, for re-insertion on rollback. */
  saved = new Float64Array(4096);
  savedLength = 0;

  push(op: number, table: number, slot: number, col: number, old: number, oldMask: number): number {
    if (this.length === this.op.length) this.grow();
    const i = this.length++;
    this.op[i] = op;
    this.table[i] = table;
    this.slot[i] = slot;
    this.col[i] = col;
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
    const n = this.op.length * 2;
    const g = <A extends Uint8Array | Uint16Array | Int32Array | Float64Array | Uint32Array>(a: A, ctor: new (n: number) => A): A => {
      const next = new ctor(n);
      next.set(a as never);
      return next;
    };
    this.op = g(this.op, Uint8Array);
    this.table = g(this.table, Uint16Array);
    this.slot = g(this.slot, Int32Array);
    this.col = g(this.col, Uint8Array);
    this.old = g(this.old, Float64Array);
    this.oldMask = g(this.oldMask, Uint32Array);
    this.aux = g(this.aux, Int32Array);
    this.aux2 = g(this.aux2, Int32Array);
  }
}
