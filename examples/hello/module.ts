// "hello": a tiny world of wandering critters — the smallest module that exercises the tick, a
// per-tick system, a spatial table and scheduled reducers.
import { t, table, schema } from '@worldline/engine';

export const critter = table('critter', {
  id: t.u32().primaryKey().autoInc(),
  x: t.f32().quantize(0.01), y: t.f32().quantize(0.01),
  vx: t.f32(), vy: t.f32(),
}, { spatial: { x: 'x', y: 'y' } });

export const stats = table('stats', {
  id: t.u8().primaryKey(),
  spawned: t.u32(),
});

const s = schema({ critter, stats });
const SIZE = 1000;

export const spawn = s.reducer({ count: t.u32() }, (ctx, { count }) => {
  for (let i = 0; i < count; i++) {
    ctx.db.critter.insert({ x: ctx.random() * SIZE, y: ctx.random() * SIZE, vx: ctx.random() * 20 - 10, vy: ctx.random() * 20 - 10 });
  }
  const st = ctx.db.stats.find(0);
  if (st) ctx.db.stats.set(0, 'spawned', st.spawned + count);
  else ctx.db.stats.insert({ id: 0, spawned: count });
});

/** Moves every critter by its velocity, bouncing off the map edges: direct column writes, no row
 * objects; the engine finds the changed rows at commit. */
const wander = s.system((ctx) => {
  const c = ctx.db.critter;
  const dt = 0.05;
  const x = c.mutableColumn('x'), y = c.mutableColumn('y'), vx = c.mutableColumn('vx'), vy = c.mutableColumn('vy');
  for (let i = 0; i < c.count; i++) {
    let nx = x[i]! + vx[i]! * dt, ny = y[i]! + vy[i]! * dt;
    if (nx < 0 || nx > SIZE) { vx[i] = -vx[i]!; nx = Math.min(SIZE, Math.max(0, nx)); }
    if (ny < 0 || ny > SIZE) { vy[i] = -vy[i]!; ny = Math.min(SIZE, Math.max(0, ny)); }
    x[i] = nx;
    y[i] = ny;
  }
});

export default s.module({
  reducers: { spawn },
  systems: [wander],
  onInit: (ctx) => { ctx.schedule.after(0, 'spawn', { count: 1000 }); },
  tickRate: 20,
});
