// Interval stabbing for range subscriptions on one column: which [lo, hi] contain a value. The
// endpoints cut the line into elementary segments, each listing the intervals covering it; a lookup
// is one binary search. Rebuilt lazily after subscribe/unsubscribe, which are rare next to changes.

export class RangeIndex<T extends { lo: number; hi: number }> {
  private items: T[] = [];
  private dirty = false;
  private bounds = new Float64Array(0);
  /** Position p's covering intervals: lists[p]. Positions: 2i+1 = exactly bounds[i], 2i = between. */
  private lists: T[][] = [];
  private static readonly NONE: never[] = [];

  get size(): number { return this.items.length; }

  add(item: T): void {
    this.items.push(item);
    this.dirty = true;
  }

  remove(item: T): void {
    const i = this.items.indexOf(item);
    if (i < 0) return;
    this.items[i] = this.items[this.items.length - 1]!;
    this.items.pop();
    this.dirty = true;
  }

  /** The intervals containing v (a shared array: do not keep or mutate it). */
  stab(v: number): readonly T[] {
    if (this.dirty) this.rebuild();
    const p = this.position(v);
    return p < 0 ? RangeIndex.NONE : this.lists[p]!;
  }

  private position(v: number): number {
    const b = this.bounds;
    if (!(v === v) || b.length === 0) return -1;
    let lo = 0, hi = b.length - 1;
    if (v < b[0]!) return 0;
    // Largest i with b[i] <= v.
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (b[mid]! <= v) lo = mid;
      else hi = mid - 1;
    }
    return b[lo] === v ? 2 * lo + 1 : 2 * lo + 2;
  }

  private rebuild(): void {
    this.dirty = false;
    const pts: number[] = [];
    for (const it of this.items) pts.push(it.lo, it.hi);
    pts.sort((a, b) => a - b);
    const uniq: number[] = [];
    for (const p of pts) if (uniq.length === 0 || uniq[uniq.length - 1] !== p) uniq.push(p);
    this.bounds = Float64Array.from(uniq);
    const n = 2 * uniq.length + 1;
    this.lists = Array.from({ length: n }, () => [] as T[]);
    for (const it of this.items) {
      const from = this.position(it.lo), to = this.position(it.hi);
      for (let p = from; p <= to; p++) this.lists[p]!.push(it);
    }
  }
}
