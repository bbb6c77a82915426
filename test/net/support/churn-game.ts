// A world that produces many bytes per tick for little work: particles whose eight f64 columns all
// change every tick (8 bytes each on the wire). The backpressure test uses it to fill a stalled
// client's socket buffers in a few dozen ticks instead of hundreds.
import { t, table, schema } from '@worldline/engine';

export const CHURN_COLUMNS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] as const;

export function churnGame(o: { particles: number }) {
  const particle = table('particle', {
    id: t.u32().primaryKey().autoInc(),
    a: t.f64(), b: t.f64(), c: t.f64(), d: t.f64(), e: t.f64(), f: t.f64(), g: t.f64(), h: t.f64(),
  }, { visibility: 'public' });

  const s = schema({ particle });

  const churn = s.system((ctx) => {
    const p = ctx.db.particle;
    for (const col of CHURN_COLUMNS) {
      for (let slot = 0; slot < p.count; slot++) p.setAt(slot, col, ctx.random());
    }
  });

  return s.module({
    reducers: {},
    onInit: (ctx) => {
      for (let i = 0; i < o.particles; i++) ctx.db.particle.insert({ a: 0, b: 0, c: 0, d: 0, e: 0, f: 0, g: 0, h: 0 });
    },
    systems: [churn],
    tickRate: 30,
  });
}
