// The tick's (view, handle, change) update triples of one table. The fan-out appends them in row
// order — sequential writes, no per-view object touched per update — and one counting sort by view
// turns them into a contiguous range per view that the view's delta exposes.

function grown(a: Int32Array, n: number): Int32Array {
  const g = new Int32Array(n);
  g.set(a);
  return g;
}

export class UpdateBuffer {
  v: Int32Array = new Int32Array(1024);
  h: Int32Array = new Int32Array(1024);
  c: Int32Array = new Int32Array(1024);
  n = 0;
  /** After sort(): handles and change indexes grouped by view. */
  sortedH: Int32Array = new Int32Array(1024);
  sortedC: Int32Array = new Int32Array(1024);
  /** After sort(): per view, its first index and count. */
  start: Int32Array = new Int32Array(64);
  count: Int32Array = new Int32Array(64);

  /** Makes room for `k` more triples (write them at v/h/c[n..], then advance n). */
  reserve(k: number): void {
    if (this.n + k <= this.v.length) return;
    let cap = this.v.length * 2;
    while (cap < this.n + k) cap *= 2;
    this.v = grown(this.v, cap); this.h = grown(this.h, cap); this.c = grown(this.c, cap);
  }

  push(view: number, handle: number, change: number): void {
    const i = this.n;
    if (i === this.v.length) {
      const cap = i * 2;
      this.v = grown(this.v, cap); this.h = grown(this.h, cap); this.c = grown(this.c, cap);
    }
    this.v[i] = view; this.h[i] = handle; this.c[i] = change;
    this.n = i + 1;
  }

  /** Groups the triples by view (stable). `views` bounds the view indexes. */
  sort(views: number): void {
    if (this.count.length < views) {
      let cap = this.count.length;
      while (cap < views) cap *= 2;
      this.count = new Int32Array(cap);
      this.start = new Int32Array(cap);
    } else this.count.fill(0, 0, views);
    if (this.sortedH.length < this.n) { this.sortedH = new Int32Array(this.v.length); this.sortedC = new Int32Array(this.v.length); }
    const v = this.v, count = this.count, start = this.start, n = this.n;
    for (let i = 0; i < n; i++) count[v[i]!]!++;
    let acc = 0;
    for (let k = 0; k < views; k++) { start[k] = acc; acc += count[k]!; }
    const h = this.h, c = this.c, sh = this.sortedH, sc = this.sortedC;
    // `start` doubles as the write cursor, then is restored.
    for (let i = 0; i < n; i++) {
      const p = start[v[i]!]!++;
      sh[p] = h[i]!;
      sc[p] = c[i]!;
    }
    for (let k = 0; k < views; k++) start[k] = start[k]! - count[k]!;
  }

  clear(): void {
    this.n = 0;
  }
}
