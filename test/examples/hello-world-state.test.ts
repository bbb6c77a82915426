// The example world `npm start` runs, ticked in-process: after every tick the incrementally kept
// world hash equals one computed from scratch, and a world image (what snapshots store) loads into
// a fresh world with the same hash. A drifting hash makes every snapshot fail its check on the next
// start (that is how a bug in the engine's change tracking was found).
import { it, expect } from 'vitest';
import { createWorld, silentLogger } from '@worldline/engine';
import hello from '../../examples/hello/module.ts';

it('the hello world keeps an exact state hash and its images load back', () => {
  let now = 1_700_000_000_000;
  const w = createWorld(hello, { clock: () => (now += 50), logger: silentLogger });
  for (let tick = 0; tick < 300; tick++) {
    if (tick % 50 === 7) w.enqueue('spawn', { count: 300 + tick }, '0'.repeat(64), 0);
    w.step();
    const fresh = w.db.tables.reduce(([l, h], t) => { const [a, b] = t.hash.all(); return [(l + a) | 0, (h + b) | 0]; }, [0, 0]);
    expect(fresh, `tick ${w.tick}`).toEqual([w.db.hashLo, w.db.hashHi]);
    if (tick % 60 === 8) {
      const copy = createWorld(hello, { clock: () => now, logger: silentLogger });
      copy.importImage(w.exportImage());
      expect(copy.hash()).toBe(w.hash());
    }
  }
  expect(w.tables.critter.count).toBeGreaterThan(2000);
});
