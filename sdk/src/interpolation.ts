// Renders entity positions slightly in the past (default 100 ms) by interpolating between the two
// ticks around the render time, so movement looks smooth although rows change only once per tick.
// Server tick times (TickUpdate.time) are mapped to the local clock by a running offset estimate.
import type { Off } from './emitter.ts';
import type { TableCache } from './table-cache.ts';

export interface Position {
  x: number;
  y: number;
}

/** What the interpolator needs from a client (WorldlineClient fits). */
export interface TickSource {
  readonly tickRate: number;
  /** Server time (ms since the epoch) of the update being applied / last applied. */
  readonly tickTime: number;
  on(event: 'tick', listener: (info: { readonly tick: number; readonly time: number }) => void): Off;
}

export interface InterpolatorOptions<R> {
  /** How far in the past to render, in ms (default 100: two ticks at 20 Hz, so there is nearly
   * always a tick on each side of the render time). */
  delayMs?: number;
  /** Position columns (default 'x' and 'y'). */
  x?: keyof R & string;
  y?: keyof R & string;
  /** Local monotonic clock in ms (default performance.now, else Date.now). */
  now?: () => number;
  /** A jump longer than this between two ticks is shown as a jump, not a glide (default Infinity). */
  teleportDistance?: number;
  /** Samples kept per entity (default 8). */
  maxSamples?: number;
}

interface Track {
  t: number[];
  x: number[];
  y: number[];
}

const defaultNow = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

export class Interpolator<R, K> {
  private readonly tracks = new Map<K, Track>();
  private readonly offs: Off[] = [];
  private readonly delay: number;
  private readonly xCol: string;
  private readonly yCol: string;
  private readonly now: () => number;
  private readonly teleport: number;
  private readonly maxSamples: number;
  /** local clock − server time, estimated from tick arrivals. */
  private offset = NaN;
  private readonly out: Position = { x: 0, y: 0 };

  constructor(private readonly source: TickSource, readonly table: TableCache<R, K>, o: InterpolatorOptions<R> = {}) {
    this.delay = o.delayMs ?? 100;
    this.xCol = o.x ?? 'x';
    this.yCol = o.y ?? 'y';
    this.now = o.now ?? defaultNow;
    this.teleport = o.teleportDistance ?? Infinity;
    this.maxSamples = Math.max(2, o.maxSamples ?? 8);
    this.offs.push(
      source.on('tick', ({ time }) => this.observeTick(time)),
      table.onInsert((row) => this.record(row, null)),
      table.onUpdate((old, row) => this.record(row, old)),
      table.onDelete((row) => { this.tracks.delete(table.pkOf(row)); }),
    );
    for (const row of table.iter()) this.record(row, null);
  }

  /** The server time being shown now: the estimated current server time minus the delay. */
  renderTime(): number {
    return this.serverNow() - this.delay;
  }

  /** The interpolated position of row `pk` at `renderTime` (default: now − delay). The returned
   * object is reused by the next call: copy it if you keep it. */
  position(pk: K, renderTime = this.renderTime()): Position | undefined {
    const tr = this.tracks.get(pk);
    return tr ? this.sample(tr, renderTime) : undefined;
  }

  /** Calls `fn` for every row with its interpolated position. */
  forEach(fn: (pk: K, x: number, y: number) => void, renderTime = this.renderTime()): void {
    for (const [pk, tr] of this.tracks) {
      const p = this.sample(tr, renderTime);
      fn(pk, p.x, p.y);
    }
  }

  dispose(): void {
    for (const off of this.offs) off();
    this.tracks.clear();
  }

  private serverNow(): number {
    const local = this.now();
    return Number.isNaN(this.offset) ? this.source.tickTime : local - this.offset;
  }

  private observeTick(time: number): void {
    const sample = this.now() - time;
    // A frame that arrives early says the network delay is shorter than assumed: take it at once.
    // Late frames (jitter) only nudge the estimate, so one slow packet does not shift the picture.
    if (Number.isNaN(this.offset) || sample < this.offset) this.offset = sample;
    else this.offset += (sample - this.offset) * 0.02;
  }

  private sampleTime(): number {
    return this.source.tickTime > 0 ? this.source.tickTime : this.serverNow();
  }

  private record(row: R, old: R | null): void {
    const pk = this.table.pkOf(row);
    const x = Number(row[this.xCol as keyof R]), y = Number(row[this.yCol as keyof R]);
    const t = this.sampleTime();
    let tr = this.tracks.get(pk);
    if (!tr) {
      tr = { t: [], x: [], y: [] };
      this.tracks.set(pk, tr);
    }
    const n = tr.t.length;
    if (old && n > 0) {
      // The row held its old position until the previous tick; without this sample it would glide
      // slowly across every tick it stood still.
      const hold = t - 1000 / (this.source.tickRate || 20);
      if (tr.t[n - 1]! < hold) this.push(tr, hold, Number(old[this.xCol as keyof R]), Number(old[this.yCol as keyof R]));
    }
    const m = tr.t.length;
    if (m > 0 && tr.t[m - 1]! >= t) {
      tr.x[m - 1] = x;
      tr.y[m - 1] = y;
      return;
    }
    this.push(tr, t, x, y);
  }

  private push(tr: Track, t: number, x: number, y: number): void {
    tr.t.push(t);
    tr.x.push(x);
    tr.y.push(y);
    if (tr.t.length > this.maxSamples) {
      tr.t.shift();
      tr.x.shift();
      tr.y.shift();
    }
  }

  private sample(tr: Track, rt: number): Position {
    const o = this.out, t = tr.t, n = t.length;
    if (rt <= t[0]!) {
      o.x = tr.x[0]!;
      o.y = tr.y[0]!;
      return o;
    }
    let i = n - 1;
    while (i > 0 && t[i]! > rt) i--;
    if (i === n - 1) {
      o.x = tr.x[i]!;
      o.y = tr.y[i]!;
      return o;
    }
    const x0 = tr.x[i]!, y0 = tr.y[i]!, x1 = tr.x[i + 1]!, y1 = tr.y[i + 1]!;
    if (Math.hypot(x1 - x0, y1 - y0) > this.teleport) {
      o.x = x0;
      o.y = y0;
      return o;
    }
    const f = (rt - t[i]!) / (t[i + 1]! - t[i]!);
    o.x = x0 + (x1 - x0) * f;
    o.y = y0 + (y1 - y0) * f;
    return o;
  }
}

/** Interpolates the positions of `client.db.<table>`'s rows: `createInterpolator(client, client.db.player)`. */
export function createInterpolator<R, K>(source: TickSource, table: TableCache<R, K>, options?: InterpolatorOptions<R>): Interpolator<R, K> {
  return new Interpolator(source, table, options);
}
