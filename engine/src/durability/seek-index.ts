// A sparse index of where every 128th tick's record starts in its segment, so reading from a tick in
// the middle of a 64 MiB segment (time travel) seeks instead of stepping over every earlier record.

const EVERY = 128;

interface SegmentMarks {
  ticks: number[];
  offsets: number[];
}

export class SeekIndex {
  private readonly bySegment = new Map<number, SegmentMarks>();

  /** Notes that `tick`'s record starts at `offset` in the segment whose first tick is `segment`. */
  note(segment: number, tick: number, offset: number): void {
    if (tick % EVERY !== 0) return;
    let m = this.bySegment.get(segment);
    if (m === undefined) {
      m = { ticks: [], offsets: [] };
      this.bySegment.set(segment, m);
    }
    const last = m.ticks.length > 0 ? m.ticks[m.ticks.length - 1] : -1;
    if (tick > last) {
      m.ticks.push(tick);
      m.offsets.push(offset);
    }
  }

  /** The offset of the latest noted record at or before `tick`, or undefined. */
  find(segment: number, tick: number): number | undefined {
    const m = this.bySegment.get(segment);
    if (m === undefined || m.ticks.length === 0 || m.ticks[0] > tick) return undefined;
    let lo = 0;
    let hi = m.ticks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (m.ticks[mid] <= tick) lo = mid;
      else hi = mid - 1;
    }
    return m.offsets[lo];
  }

  clear(): void {
    this.bySegment.clear();
  }
}
