// mutableColumn(): direct column writes for systems must be indistinguishable from set()/setAt() —
// same hashes, same change sets, same rollback — while doing the bookkeeping only for changed rows.
import { describe, it, expect } from 'vitest';
import { t, table, schema, createWorld, silentLogger, fail } from '../index.ts';

const mob = table('mob', {
  id: t.u32().primaryKey().autoInc(),
  x: t.f32(), y: t.f32(), vx: t.f32(), hp: t.u8(),
}, { spatial: { x: 'x', y: 'y' } });
const s = schema({ mob });
const spawn = s.reducer({ n: t.u32() }, (ctx, { n }) => {
  for (let i = 0; i < n; i++) ctx.db.mob.insert({ x: ctx.random() * 100, y: ctx.random() * 100, vx: ctx.random() * 80 - 40, hp: 10 });
});
/** Moves every other mob (so some rows stay unchanged), spawns and kills mid-way, may fail. */
const step = (direct: boolean) => s.reducer({ failAfter: t.bool() }, (ctx, { failAfter }) => {
  const m = ctx.db.mob;
  const move = () => {
    if (direct) {
      const x = m.mutableColumn('x'), vx = m.column('vx');
      for (let i = 0; i < m.count; i += 2) x[i] = x[i]! + vx[i]!;
    } else {
      const x = m.column('x'), vx = m.column('vx');
      for (let i = 0; i < m.count; i += 2) m.setAt(i, 'x', x[i]! + vx[i]!);
    }
  };
  move();
  m.insert({ x: 1, y: 1, vx: 0.5, hp: 1 }); // flushes open columns first
  if (m.count > 3) m.delete(m.pkAt(1));
  move();
  if (direct) m.mutableColumn('y')[0] = 42;
  else if (m.count > 0) m.setAt(0, 'y', 42);
  if (m.near(50, 50, 30).length < 0) fail('never');
  if (failAfter) fail('rolled back');
});

function run(direct: boolean, fails: boolean[]) {
  const mod = s.module({ reducers: { spawn, step: step(direct) } });
  const w = createWorld(mod, { clock: () => 0, logger: silentLogger });
  w.enqueue('spawn', { n: 50 }, '0'.repeat(64), 0);
  w.step();
  const out: { hash: string; inserted: number; updated: number[]; masks: number[]; deleted: unknown[]; near: string[] }[] = [];
  for (const f of fails) {
    w.enqueue('step', { failAfter: f }, '0'.repeat(64), 0);
    const r = w.step();
    const c = r.changes.byName.get('mob')!;
    out.push({
      hash: r.hash, inserted: c.inserted.length,
      updated: c.updated.toArray().map((slot) => c.table.read(slot, 0) as number),
      masks: Array.from(c.updatedMask.subarray(0, c.updated.length)),
      deleted: c.deleted.map((d) => d.pk),
      // Small queries all over (rows travel several grid cells a tick): a stale index would miss rows.
      near: [-60, -20, 20, 60, 100, 140].flatMap((qx) => [-60, 0, 60, 120].map((qy) => w.tables.mob.near(qx, qy, 15).map((r) => r.id).sort((a, b) => a - b).join(','))),
    });
  }
  return out;
}

describe('mutableColumn', () => {
  it('gives the same hashes, change sets and spatial answers as setAt, including rollbacks', () => {
    const fails = [false, false, true, false, true, true, false, false];
    expect(run(true, fails)).toEqual(run(false, fails));
  });

  it('a failed transaction restores directly written columns', () => {
    const before = run(true, [false]);
    const after = run(true, [false, true]);
    expect(after[1]!.hash).toBe(before[0]!.hash);
    expect(after[1]!.updated).toEqual([]);
  });

  it('a write by set to a column open for direct writes comes after them (tick-start value, hash, rollback)', () => {
    // vx is a plain column (no index): its set() takes the short write path, which must still
    // record the pending direct writes first, or the direct value would pass for the tick-start one.
    const poke = (direct: boolean) => s.reducer({ failAfter: t.bool() }, (ctx, { failAfter }) => {
      const m = ctx.db.mob;
      if (direct) m.mutableColumn('vx')[0] = 5; else m.setAt(0, 'vx', 5);
      m.setAt(0, 'vx', 7);
      if (failAfter) fail('rolled back');
    });
    const runPoke = (direct: boolean) => {
      const w = createWorld(s.module({ reducers: { spawn, poke: poke(direct) } }), { clock: () => 0, logger: silentLogger });
      w.enqueue('spawn', { n: 3 }, '0'.repeat(64), 0);
      w.step();
      const start = w.tables.mob.column('vx')[0]!;
      return [false, true, false].map((failAfter) => {
        w.enqueue('poke', { failAfter }, '0'.repeat(64), 0);
        const r = w.step(), c = r.changes.byName.get('mob')!, vx = c.table.colIndex['vx']!;
        const i = c.updated.toArray().indexOf(0);
        return { hash: r.hash, vx: w.tables.mob.column('vx')[0], previous: i < 0 ? null : c.table.readPrevious(0, vx, c.updatedMask[i]!), start };
      });
    };
    const direct = runPoke(true);
    expect(direct).toEqual(runPoke(false));
    expect(direct[0]).toMatchObject({ vx: 7, previous: direct[0]!.start });
    expect(direct[1]!.previous).toBeNull(); // rolled back: row 0 unchanged
  });

  it('refuses key and indexed columns', () => {
    const mod = s.module({ reducers: { spawn, bad: s.reducer({}, (ctx) => { (ctx.db.mob.mutableColumn as (c: string) => unknown)('id'); }) } });
    const w = createWorld(mod, { clock: () => 0, logger: silentLogger });
    const r = w.call('bad', {});
    w.step();
    return expect(r).resolves.toMatchObject({ ok: false, code: 'SCHEMA' });
  });
});

// A system that rewrites exactly the two position columns takes a fused path (one pass that records
// both columns and moves the spatial index). Same checks against setAt, plus the tick-start values
// and a hash recomputed from scratch.
describe('mutableColumn on both position columns (the fused path)', () => {
  const churn = s.reducer({ seed: t.u32() }, (ctx, { seed }) => {
    const m = ctx.db.mob;
    if (seed % 3 === 0 && m.count > 5) m.delete(m.pkAt(seed % m.count));
    if (seed % 2 === 0) m.insert({ x: seed % 100, y: (seed * 7) % 100, vx: 3, hp: 1 });
    if (m.count > 0) m.setAt(seed % m.count, 'x', 7); // a logged write before the system's
  });
  const walk = (direct: boolean) => s.system((ctx) => {
    const m = ctx.db.mob;
    if (direct) {
      const x = m.mutableColumn('x'), y = m.mutableColumn('y'), vx = m.column('vx');
      for (let i = 0; i < m.count; i += 3) { x[i] = x[i]! + vx[i]!; y[i] = y[i]! - vx[i]! / 2; }
      for (let i = 1; i < m.count; i += 3) y[i] = y[i]! + 1; // y only
    } else {
      const x = m.column('x'), y = m.column('y'), vx = m.column('vx');
      for (let i = 0; i < m.count; i += 3) { m.setAt(i, 'x', x[i]! + vx[i]!); m.setAt(i, 'y', y[i]! - vx[i]! / 2); }
      for (let i = 1; i < m.count; i += 3) m.setAt(i, 'y', y[i]! + 1);
    }
  });
  function runPositions(direct: boolean) {
    const w = createWorld(s.module({ reducers: { spawn, churn }, systems: [walk(direct)] }), { clock: () => 0, logger: silentLogger });
    w.enqueue('spawn', { n: 400 }, '0'.repeat(64), 0);
    w.step();
    const st = w.db.byName.get('mob')!;
    const out: unknown[] = [];
    for (let tick = 0; tick < 12; tick++) {
      const before = new Map<unknown, Record<string, unknown>>();
      for (let slot = 0; slot < st.count; slot++) before.set(st.read(slot, st.pkCol), st.rowAt(slot));
      w.enqueue('churn', { seed: tick * 13 + 5 }, '0'.repeat(64), 0);
      const r = w.step();
      const c = r.changes.byName.get('mob')!;
      // Rows in pk order: the fused path lists rows in slot order, setAt in order of first write.
      const updated: [number, number, unknown[]][] = [];
      for (let i = 0; i < c.updated.length; i++) {
        const slot = c.updated.ids[i]!, mask = c.updatedMask[i]!, pk = st.read(slot, st.pkCol) as number, was = before.get(pk)!;
        const previous: unknown[] = [];
        for (const col of [1, 2]) if (mask & (1 << col)) {
          expect(st.readPrevious(slot, col, mask)).toBe(was[st.columns[col]!.name]);
          previous.push(st.readPrevious(slot, col, mask));
        }
        updated.push([pk, mask, previous]);
      }
      updated.sort((a, b) => a[0] - b[0]);
      const fresh = w.db.tables.reduce(([l, h], x) => { const [a, b] = x.hash.all(); return [(l + a) | 0, (h + b) | 0]; }, [0, 0]);
      expect(fresh).toEqual([w.db.hashLo, w.db.hashHi]);
      out.push({
        hash: r.hash, inserted: c.inserted.length, deleted: c.deleted.map((d) => d.pk), updated,
        near: [0, 40, 80, 120].flatMap((qx) => [0, 40, 80].map((qy) => w.tables.mob.near(qx, qy, 25).map((row) => row.id).sort((a, b) => a - b).join(','))),
      });
    }
    return out;
  }

  it('gives the same hashes, change sets, tick-start values and spatial answers as setAt', () => {
    expect(runPositions(true)).toEqual(runPositions(false));
  });
});
