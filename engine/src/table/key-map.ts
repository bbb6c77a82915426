// Unique key -> slot map for primary keys and unique columns. Keys are the column's stored numbers
// (pool ids for strings), so small non-negative integer keys — autoInc ids above all — go to a dense
// Int32Array (4 bytes a row, no hashing) and everything else to a Map.

const DENSE_LIMIT = 1 << 24;

export class KeyMap {
  private dense = new Int32Array(1024).fill(-1);
  private sparse = new Map<number, number>();

  get(key: number): number {
    // The dense case in as few lines as possible, so callers on hot paths get it inlined.
    const d = this.dense;
    if (key >= 0 && key < d.length && (key | 0) === key) return d[key]!;
    return this.getOther(key);
  }

  private getOther(key: number): number {
    if (key >= 0 && key < DENSE_LIMIT && (key | 0) === key) return -1; // a dense key past the array
    const s = this.sparse.get(key);
    return s === undefined ? -1 : s;
  }

  set(key: number, slot: number): void {
    if (key >= 0 && key < DENSE_LIMIT && (key | 0) === key) {
      if (key >= this.dense.length) {
        let n = this.dense.length;
        while (n <= key) n *= 2;
        const next = new Int32Array(n).fill(-1);
        next.set(this.dense);
        this.dense = next;
      }
      this.dense[key] = slot;
      return;
    }
    this.sparse.set(key, slot);
  }

  delete(key: number): void {
    if (key >= 0 && key < DENSE_LIMIT && (key | 0) === key) {
      if (key < this.dense.length) this.dense[key] = -1;
      return;
    }
    this.sparse.delete(key);
  }

  clear(): void {
    this.dense = new Int32Array(1024).fill(-1);
    this.sparse.clear();
  }

  memoryBytes(): number {
    return this.dense.byteLength + this.sparse.size * 40;
  }
}
