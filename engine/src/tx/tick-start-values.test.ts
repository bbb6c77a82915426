// The change set's tick-start values (the base of the server's delta encoding) must be exactly the
// values at the end of the previous tick, whatever mix of inserts, updates of fresh rows, updates
// and deletes (which move rows between slots) a tick holds.
import { it, expect } from 'vitest';
import { t, table, schema, createWorld, silentLogger } from '../index.ts';

const entity = table('entity', {
  id: t.u32().primaryKey().autoInc(), x: t.f32(), y: t.f32(), kind: t.u8().index('hash'), zone: t.string().index('hash'),
});
const s = schema({ entity });
const work = s.reducer({ seed: t.u32(), init: t.bool() }, (ctx, { seed, init }) => {
  let r = seed;
  const rnd = () => { r = (Math.imul(r, 1103515245) + 12345) >>> 0; return r / 4294967296; };
  const ri = (n: number) => Math.floor(rnd() * n);
  const en = ctx.db.entity;
  if (init) { for (let i = 0; i < 500; i++) en.insert({ x: rnd() * 300, y: rnd() * 300, kind: ri(4), zone: `z${ri(5)}` }); return; }
  for (let k = 0; k < 150; k++) {
    const id = en.pkAt(ri(en.count));
    const p = rnd();
    if (p < 0.5) { const e = en.find(id)!; en.update(id, { x: e.x + 1, y: e.y - 1 }); }
    else if (p < 0.65) en.update(id, { zone: `z${ri(5)}`, x: rnd() * 300 });
    else if (p < 0.8) en.delete(id);
    else { const fresh = en.insert({ x: rnd() * 300, y: 0, kind: ri(4), zone: 'new' }); en.update(fresh.id, { x: fresh.x + 5, kind: ri(4) }); }
  }
});

it('tick-start values equal the previous tick\'s values for every updated column', () => {
  const w = createWorld(s.module({ reducers: { work } }), { clock: () => 0, logger: silentLogger });
  w.enqueue('work', { seed: 1, init: true }, '0'.repeat(64), 0);
  w.step();
  const st = w.db.byName.get('entity')!;
  let checked = 0;
  for (let tick = 0; tick < 40; tick++) {
    const before = new Map<unknown, Record<string, unknown>>();
    for (let slot = 0; slot < st.count; slot++) before.set(st.read(slot, st.pkCol), st.rowAt(slot));
    w.enqueue('work', { seed: tick + 2, init: false }, '0'.repeat(64), 0);
    const ch = w.step().changes.byName.get('entity')!;
    for (let i = 0; i < ch.updated.length; i++) {
      const slot = ch.updated.ids[i]!, mask = ch.updatedMask[i]!;
      const was = before.get(st.read(slot, st.pkCol))!;
      for (const c of [1, 2, 3]) {
        expect(st.readPrevious(slot, c, mask)).toBe(was[st.columns[c]!.name]);
        checked++;
      }
    }
  }
  expect(checked).toBeGreaterThan(1000);
});
