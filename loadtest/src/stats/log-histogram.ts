// A mergeable log-bucketed histogram: bots in several processes record latencies into their own,
// ship sparse bucket counts once a second, and the coordinator merges them. Relative error of a
// reported quantile is at most half a bucket width (0.5% with the default 1% growth).

const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
/** Values below this (in the histogram's unit) share bucket 0 and report as 0. */
const FLOOR = 0.001;
const MAX_BUCKETS = 4096;

/** Wire form: [bucketIndex, count] pairs plus exact count/sum/min/max. */
export interface HistogramData {
  buckets: Array<[number, number]>;
  count: number;
  sum: number;
  min: number;
  max: number;
}

export class LogHistogram {
  private counts = new Float64Array(MAX_BUCKETS);
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  static bucketOf(v: number): number {
    if (!(v >= FLOOR)) return 0;
    const i = 1 + Math.floor(Math.log(v / FLOOR) / LOG_GROWTH);
    return i < MAX_BUCKETS ? i : MAX_BUCKETS - 1;
  }

  /** Representative value of a bucket: the geometric middle of its bounds. */
  static valueOf(bucket: number): number {
    if (bucket === 0) return 0;
    return FLOOR * Math.pow(GROWTH, bucket - 0.5);
  }

  record(v: number): void {
    if (!Number.isFinite(v) || v < 0) return;
    this.counts[LogHistogram.bucketOf(v)]! += 1;
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }

  /** Quantile q in 0..1; clamped to the exact min/max so tails are never invented. NaN if empty. */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN;
    if (q <= 0) return this.min;
    if (q >= 1) return this.max;
    const target = q * this.count;
    let seen = 0;
    for (let i = 0; i < MAX_BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= target) {
        const v = LogHistogram.valueOf(i);
        return Math.min(this.max, Math.max(this.min, v));
      }
    }
    return this.max;
  }

  mean(): number {
    return this.count ? this.sum / this.count : Number.NaN;
  }

  merge(other: LogHistogram | HistogramData): void {
    if (other instanceof LogHistogram) {
      for (let i = 0; i < MAX_BUCKETS; i++) this.counts[i]! += other.counts[i]!;
    } else {
      for (const [i, c] of other.buckets) this.counts[i]! += c;
    }
    this.count += other.count;
    this.sum += other.sum;
    if (other.count > 0) {
      if (other.min < this.min) this.min = other.min;
      if (other.max > this.max) this.max = other.max;
    }
  }

  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.sum = 0;
    this.min = Number.POSITIVE_INFINITY;
    this.max = Number.NEGATIVE_INFINITY;
  }

  toJSON(): HistogramData {
    const buckets: Array<[number, number]> = [];
    if (this.count > 0) {
      for (let i = 0; i < MAX_BUCKETS; i++) if (this.counts[i]! > 0) buckets.push([i, this.counts[i]!]);
    }
    return { buckets, count: this.count, sum: this.sum, min: this.min, max: this.max };
  }

  static from(data: HistogramData): LogHistogram {
    const h = new LogHistogram();
    h.merge(data);
    return h;
  }
}
