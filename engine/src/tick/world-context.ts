// The one ReducerContext object a world reuses for every call: fields are reassigned per call, so a
// call allocates no context.
import type { Identity } from '../schema/column.ts';
import type { ReducerContext } from '../tx/reducer-context.ts';
import type { Scheduler } from '../tx/schedule.ts';
import type { Rng } from '../tx/rng.ts';
import { WORLD_IDENTITY } from '../tx/reducer-context.ts';

export class WorldContext implements ReducerContext<unknown> {
  sender: Identity = WORLD_IDENTITY;
  conn = 0;
  now = 0;
  tick = 0;
  constructor(readonly db: unknown, private readonly rng: Rng, readonly schedule: Scheduler) {}
  beginTick(tick: number, time: number): void {
    this.tick = tick;
    this.now = time;
  }
  random(): number { return this.rng.random(); }
  randomInt(n: number): number { return Math.floor(this.rng.random() * n); }
}
