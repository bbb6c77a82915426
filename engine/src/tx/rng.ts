// ctx.random(): a small seeded generator (sfc32). The tick's seed is logged, so a replay draws the
// same numbers in the same order.
import { fmix32 } from '../table/hash-mix.ts';

export class Rng {
  private a = 0; private b = 0; private c = 0; private d = 1;
  seed(seed: number): void {
    this.a = fmix32(seed ^ 0x9e3779b9);
    this.b = fmix32(seed ^ 0x243f6a88);
    this.c = fmix32(seed ^ 0xb7e15162);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next();
  }
  /** A uint32. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
  /** A float in [0, 1). */
  random(): number { return this.next() / 4294967296; }
}

/** The seed of tick `tick` in a world seeded with `worldSeed`. */
export function tickSeed(worldSeed: number, tick: number): number {
  return fmix32((worldSeed ^ Math.imul(tick, 0x9e3779b1)) >>> 0);
}
