// Property tests of the table layer through the public API: indexes, range scans and spatial queries
// against brute-force oracles; random transactions that roll back leave the world bit-identical.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { t, table, schema, createWorld, silentLogger, fail } from '../index.ts';

const unit = table('unit', {
  id: t.u32().primaryKey().autoInc(),
  team: t.u8().index('hash'),
  level: t.i32().index('btree'),
  tag: t.string().unique(),
  x: t.f32(), y: t.f32(),
}, { spatial: { x: 'x', y: 'y', cellSize: 16 } });

const s = schema({ unit });
type Op =
  | { k: 'ins'; team: number; level: number; tag: string; x: number; y: number }
  | { k: 'upd'; pick: number; level?: number; x?: number; y?: number; team?: number }
  | { k: 'del'; pick: number };

const apply = s.reducer({ ops: t.string(), thenFail: t.bool() }, (ctx, { ops, thenFail }) => {
  const u = ctx.db.unit;
  for (const op of JSON.parse(ops) as Op[]) {
    if (op.k === 'ins') {
      if (u.findBy('tag', op.tag)) continue;
      u.insert({ team: op.team, level: op.level, tag: op.tag, x: op.x, y: op.y });
    } else {
      if (u.count === 0) continue;
      const pk = u.pkAt(op.pick % u.count);
      if (op.k === 'del') u.delete(pk);
      else {
        const { k: _k, pick: _p, ...patch } = op;
        u.update(pk, patch);
      }
    }
  }
  if (thenFail) fail('rolled back on purpose');
});
const mod = s.module({ reducers: { apply } });

const coord = fc.integer({ min: -200, max: 200 }).map((v) => v / 2);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ k: fc.constant('ins' as const), team: fc.integer({ min: 0, max: 4 }), level: fc.integer({ min: -50, max: 50 }), tag: fc.string({ maxLength: 3 }), x: coord, y: coord }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('upd' as const), pick: fc.nat(), level: fc.option(fc.integer({ min: -50, max: 50 }), { nil: undefined }), x: fc.option(coord, { nil: undefined }), y: fc.option(coord, { nil: undefined }), team: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('del' as const), pick: fc.nat() }) },
);

function run(batches: Op[][], failing: boolean[]) {
  const w = createWorld(mod, { clock: () => 0, logger: silentLogger });
  for (let i = 0; i < batches.length; i++) {
    w.enqueue('apply', { ops: JSON.stringify(batches[i]), thenFail: failing[i] ?? false }, '0'.repeat(64), 0);
    w.step();
  }
  return w;
}

describe('table indexes and queries match brute force', () => {
  it('hash, btree range, unique and spatial queries', () => {
    fc.assert(fc.property(
      fc.array(fc.array(opArb, { maxLength: 40 }), { minLength: 1, maxLength: 5 }),
      fc.record({ team: fc.integer({ min: 0, max: 4 }), lo: fc.integer({ min: -60, max: 60 }), span: fc.integer({ min: 0, max: 60 }), cx: coord, cy: coord, r: fc.integer({ min: 0, max: 80 }), w: fc.integer({ min: 0, max: 100 }), h: fc.integer({ min: 0, max: 100 }) }),
      (batches, q) => {
        const w = run(batches, []);
        const rows = [...w.tables.unit.iter()];
        const ids = (xs: { id: number }[]) => xs.map((r) => r.id).sort((a, b) => a - b);
        expect(ids(w.tables.unit.where('team', q.team))).toEqual(ids(rows.filter((r) => r.team === q.team)));
        const hi = q.lo + q.span;
        const ranged = w.tables.unit.range('level', q.lo, hi);
        expect(ids(ranged)).toEqual(ids(rows.filter((r) => r.level >= q.lo && r.level <= hi)));
        expect(ranged.map((r) => r.level)).toEqual([...ranged.map((r) => r.level)].sort((a, b) => a - b));
        for (const r of rows) expect(w.tables.unit.findBy('tag', r.tag)?.id).toBe(r.id);
        expect(ids(w.tables.unit.near(q.cx, q.cy, q.r))).toEqual(ids(rows.filter((r) => (r.x - q.cx) ** 2 + (r.y - q.cy) ** 2 <= q.r * q.r)));
        expect(ids(w.tables.unit.inRect(q.cx, q.cy, q.cx + q.w, q.cy + q.h))).toEqual(
          ids(rows.filter((r) => r.x >= q.cx && r.x <= q.cx + q.w && r.y >= q.cy && r.y <= q.cy + q.h)));
      },
    ), { numRuns: 150 });
  });

  it('a failed transaction leaves rows, indexes and the hash exactly as they were', () => {
    fc.assert(fc.property(fc.array(opArb, { maxLength: 40 }), fc.array(opArb, { minLength: 1, maxLength: 40 }), (setup, doomed) => {
      const a = run([setup], []);
      const b = run([setup, doomed], [false, true]);
      expect(b.hash()).toBe(a.hash());
      const rows = (w: typeof a) => [...w.tables.unit.iter()].sort((x, y) => x.id - y.id);
      expect(rows(b)).toEqual(rows(a));
      for (const r of rows(a)) {
        expect(b.tables.unit.findBy('tag', r.tag)?.id).toBe(r.id);
        expect(b.tables.unit.where('team', r.team).some((x) => x.id === r.id)).toBe(true);
        expect(b.tables.unit.near(r.x, r.y, 0).some((x) => x.id === r.id)).toBe(true);
      }
      // the hash maintained write by write equals one computed from scratch
      const [lo, hi] = b.db.tables.reduce(([l, h], tb) => { const [x, y] = tb.hash.all(); return [(l + x) | 0, (h + y) | 0]; }, [0, 0]);
      expect([lo, hi]).toEqual([b.db.hashLo, b.db.hashHi]);
    }), { numRuns: 150 });
  });
});
