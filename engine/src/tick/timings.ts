// Per-phase tick timings over a sliding window: p50 / p99 / max on demand, constant memory.

export const PHASES = ['calls', 'lifecycle', 'scheduled', 'systems', 'commit', 'durability', 'publish', 'total'] as const;
export type Phase = (typeof PHASES)[number];
export interface PhaseStats {
  p50: number; p99: number; max: number;
  /** Observations since the world started, and their sum in ms (all time, not the window). */
  count: number; sumMs: number;
}

const WINDOW = 2048;

class Ring {
  readonly samples = new Float64Array(WINDOW);
  n = 0;
  sum = 0;
  add(ms: number): void { this.samples[this.n++ % WINDOW] = ms; this.sum += ms; }
  stats(): PhaseStats {
    const len = Math.min(this.n, WINDOW);
    if (len === 0) return { p50: 0, p99: 0, max: 0, count: 0, sumMs: 0 };
    const sorted = this.samples.slice(0, len).sort();
    return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted[len - 1]!, count: this.n, sumMs: this.sum };
  }
}

/** Nearest-rank quantile of sorted samples. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

export class TickTimings {
  private readonly rings = new Map<Phase, Ring>(PHASES.map((p) => [p, new Ring()]));
  add(phase: Phase, ms: number): void { this.rings.get(phase)!.add(ms); }
  stats(): Record<Phase, PhaseStats> {
    const out = {} as Record<Phase, PhaseStats>;
    for (const p of PHASES) out[p] = this.rings.get(p)!.stats();
    return out;
  }
}
