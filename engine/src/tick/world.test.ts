import { describe, it, expect } from 'vitest';
import { createWorld, silentLogger, t, table, schema, reject } from '../index.ts';
import game, { ids } from '../test-fixtures/game.ts';

const [A, B, C] = ids(3) as [string, string, string];

function newWorld() {
  let now = 1_000_000;
  const w = createWorld(game, { clock: () => (now += 50), logger: silentLogger });
  return w;
}

describe('transactions', () => {
  it('a reducer that writes three rows and then throws leaves nothing behind', async () => {
    const w = newWorld();
    w.step();
    const before = w.hash();
    const res = w.call('writeThreeThenThrow', {});
    const report = w.step();
    expect(await res).toMatchObject({ ok: false, code: 'INTERNAL' });
    expect(w.tables.log.count).toBe(0);
    expect(w.hash()).toBe(before);
    expect(report.changes.summary()).toEqual({ inserted: 0, updated: 0, deleted: 0 });
  });

  it('a reducer that writes and then returns reject() leaves nothing behind and tells its caller why', async () => {
    const wallet = table('wallet', { id: t.u32().primaryKey(), coins: t.u32() });
    const receipt = table('receipt', { id: t.u32().primaryKey().autoInc(), amount: t.u32() });
    const s = schema({ wallet, receipt });
    const open = s.reducer({ id: t.u32(), coins: t.u32() }, (ctx, a) => { ctx.db.wallet.insert(a); });
    // Writes first, refuses afterwards: the refusal must undo the insert and the update.
    const spend = s.reducer({ id: t.u32(), amount: t.u32() }, (ctx, { id, amount }) => {
      const w = ctx.db.wallet;
      ctx.db.receipt.insert({ amount });
      const have = w.get(id, 'coins');
      w.set(id, 'coins', Math.max(0, have - amount));
      if (have < amount) return reject(`wallet ${id} has ${have} coins, needs ${amount}`);
    });
    const w = createWorld(s.module({ reducers: { open, spend } }), { clock: () => 0, logger: silentLogger });
    w.enqueue('open', { id: 1, coins: 10 }, A, 1);
    w.step();
    const before = w.hash();
    const refused = w.call('spend', { id: 1, amount: 25 });
    const fine = w.call('spend', { id: 1, amount: 4 }); // same tick, after the refusal: sees 10 coins
    const report = w.step();
    expect(await refused).toEqual({ ok: false, code: 'REDUCER_FAILED', error: 'wallet 1 has 10 coins, needs 25' });
    expect(await fine).toEqual({ ok: true });
    expect(w.tables.wallet.get(1, 'coins')).toBe(6);
    expect([...w.tables.receipt.iter()].map((r) => r.amount)).toEqual([4]);
    expect(report.changes.summary()).toEqual({ inserted: 1, updated: 1, deleted: 0 });
    const undo = w.call('spend', { id: 1, amount: 99 });
    const h = w.hash();
    w.step();
    expect((await undo).ok).toBe(false);
    expect(w.hash()).toBe(h);
    expect(w.hash()).not.toBe(before);
  });

  it('a trade moves both items or neither', async () => {
    const w = newWorld();
    w.enqueue('join', { name: 'a' }, A, 1);
    w.enqueue('join', { name: 'b' }, B, 2);
    w.enqueue('join', { name: 'c' }, C, 3);
    w.enqueue('giveItem', { to: 1, kind: 'sword' }, A, 1);
    w.enqueue('giveItem', { to: 2, kind: 'shield' }, B, 2);
    w.step();
    const ok = w.call('trade', { a: 1, b: 2 });
    w.step();
    expect(await ok).toEqual({ ok: true });
    expect(w.tables.item.where('holder', 1).map((i) => i.kind)).toEqual(['shield']);
    expect(w.tables.item.where('holder', 2).map((i) => i.kind)).toEqual(['sword']);
    const before = w.hash();
    const bad = w.call('trade', { a: 1, b: 3 }); // player 3 holds nothing: the first half must be undone
    w.step();
    expect(await bad).toMatchObject({ ok: false, code: 'REDUCER_FAILED', error: 'player 3 has no item' });
    expect(w.tables.item.where('holder', 1).map((i) => i.kind)).toEqual(['shield']);
    expect(w.tables.item.where('holder', 3)).toEqual([]);
    expect(w.hash()).toBe(before);
  });

  it('rolls back deletes, restoring rows, indexes and the spatial index', async () => {
    const w = newWorld();
    for (const [i, who] of [A, B, C].entries()) w.enqueue('join', { name: `p${i}` }, who, i);
    w.step();
    const before = w.hash();
    const rows = [...w.tables.player.iter()];
    // kill 1 (moves the last row into slot 0) and then fail inside the same transaction
    const mod = w.module;
    expect(mod.reducerNames).toContain('kill');
    const r1 = w.call('kill', { id: 1 });
    const r2 = w.call('kill', { id: 99 });
    w.step();
    expect(await r1).toEqual({ ok: true });
    expect(await r2).toMatchObject({ ok: false, error: 'no player 99' });
    expect(w.tables.player.find(1)).toBeUndefined();
    expect(w.tables.player.findBy('owner', B)?.name).toBe('p1');
    expect(w.hash()).not.toBe(before);
    expect(rows.length).toBe(3);
  });
});

describe('constraints and bad input', () => {
  it('unique violations throw and change nothing', async () => {
    const w = newWorld();
    w.enqueue('join', { name: 'a' }, A, 1);
    w.step();
    const before = w.hash();
    const again = w.call('join', { name: 'a2' }, { sender: A });
    w.step();
    expect(await again).toMatchObject({ ok: false, error: 'already joined' });
    expect(w.hash()).toBe(before);
  });

  it('an unknown reducer or wrongly typed arguments get a clear error and change nothing', async () => {
    const w = newWorld();
    w.step();
    const before = w.hash();
    const results = await Promise.all([
      w.call('nope', {}),
      w.call('move', { dx: 'fast', dy: 0 }),
      w.call('move', { dx: 1 }),
      w.call('move', { dx: 1, dy: 2, dz: 3 }),
      w.call('addScore', { id: 1.5, points: 1 }),
      w.call('giveItem', { to: -1, kind: 'x' }),
      w.call('move', null),
      w.call('move', [1, 2]),
      w.call('move', { dx: Infinity, dy: 0 }),
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.code))).toEqual([
      'UNKNOWN_REDUCER', 'BAD_ARGUMENTS', 'BAD_ARGUMENTS', 'BAD_ARGUMENTS', 'BAD_ARGUMENTS', 'BAD_ARGUMENTS', 'BAD_ARGUMENTS', 'BAD_ARGUMENTS', 'BAD_ARGUMENTS',
    ]);
    expect(results[0]).toMatchObject({ error: expect.stringContaining("unknown reducer 'nope'") });
    expect(results[1]).toMatchObject({ error: "argument 'dx' must be a finite number (f32)" });
    expect(results[3]).toMatchObject({ error: "unknown argument 'dz'" });
    expect(w.queued).toBe(0);
    w.step();
    expect(w.hash()).toBe(before);
  });

  it('a reducer sees -0 arguments as 0, as a replay from the log will (msgpack has one zero)', async () => {
    const cell = table('cell', { id: t.u32().primaryKey().autoInc(), v: t.f64(), negZero: t.bool() });
    const sc = schema({ cell });
    const put = sc.reducer({ v: t.f64(), n: t.i32() }, (ctx, { v, n }) => {
      ctx.db.cell.insert({ v, negZero: Object.is(v, -0) || Object.is(n, -0) });
    });
    const w = createWorld(sc.module({ reducers: { put } }), { clock: () => 0, logger: silentLogger });
    expect((await Promise.all([w.call('put', { v: -0, n: -0 }), Promise.resolve(w.step())]))[0]).toMatchObject({ ok: true });
    const row = w.tables.cell.find(1)!;
    expect(row.negZero).toBe(false);
    expect(Object.is(row.v, 0)).toBe(true);
  });

  it('tables are read-only outside reducers', () => {
    const w = newWorld();
    expect(() => w.tables.log.insert({ text: 'x', at: 0 })).toThrow(/only inside a reducer/);
  });

  it('fills column defaults on insert', () => {
    const w = newWorld();
    w.enqueue('join', { name: 'a' }, A, 1);
    w.step();
    expect(w.tables.player.find(1)?.class).toBe('warrior');
    expect(w.tables.player.find(1)?.alive).toBe(true);
  });
});

describe('lifecycle and scheduling', () => {
  it('runs connects and disconnects after calls, in arrival order', () => {
    const w = newWorld();
    w.connect(A, 1);
    w.enqueue('note', { text: 'call' }, B, 2);
    w.disconnect(A, 1);
    w.step();
    expect([...w.tables.log.iter()].map((r) => r.text)).toEqual(['call', `connect ${A.slice(0, 4)}`, `disconnect ${A.slice(0, 4)}`]);
  });

  it('fires a scheduled reducer on the right tick, once; and an interval repeatedly', () => {
    let now = 0;
    const w = createWorld(game, { clock: () => (now += 50), logger: silentLogger });
    w.enqueue('remind', { text: 'once', delayMs: 200 }, A, 1);
    w.step(); // tick 1 at t=50 schedules at t=250
    const fired: number[] = [];
    for (let i = 0; i < 10; i++) {
      const r = w.step();
      if ([...w.tables.log.iter()].some((l) => l.text === 'once') && fired.length === 0) fired.push(r.tick);
    }
    expect(fired).toEqual([5]); // tick 5 runs at t=250
    expect([...w.tables.log.iter()].filter((l) => l.text === 'once').length).toBe(1);
    expect(w.db.byName.get('__schedule')!.count).toBe(0);

    w.enqueue('remind', { text: 'tick', delayMs: 100, every: true }, A, 1);
    w.step();
    for (let i = 0; i < 10; i++) w.step();
    expect([...w.tables.log.iter()].filter((l) => l.text === 'tick').length).toBe(5);
  });

  it('reports Date.now and Math.random inside reducers in development mode', () => {
    const warnings: string[] = [];
    const w = createWorld(game, { dev: true, logger: { ...silentLogger, warn: (m) => warnings.push(m) } });
    w.enqueue('sloppy', {}, A, 1);
    w.enqueue('sloppy', {}, A, 1);
    w.step();
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/'sloppy' called (Math\.random|Date\.now)/);
    expect(typeof Date.now()).toBe('number'); // globals restored
  });

  it('reports a tick\'s inputs in the order they ran, init first and lifecycle last; later, a clear error', () => {
    const init = schema({ log: game.tables.log });
    const w = createWorld(init.module({ reducers: { note: init.reducer({ text: t.string() }, (ctx, { text }) => { ctx.db.log.insert({ text, at: 0 }); }) }, onInit: () => {} }), { clock: () => 0, logger: silentLogger });
    w.connect(A, 7);
    w.enqueue('note', { text: 'x' }, B, 2);
    const r1 = w.step();
    expect(r1.inputs).toEqual([
      { k: 'init', sender: expect.any(String), conn: 0 },
      { k: 'call', reducer: 'note', sender: B, conn: 2, args: { text: 'x' } },
      { k: 'connect', sender: A, conn: 7 },
    ]);
    expect(r1.results).toHaveLength(3);
    w.enqueue('note', { text: 'y' }, C, 3);
    const r2 = w.step();
    w.step(); // r2's queue is reused for the calls of the next tick
    expect(() => r2.inputs).toThrow(/inputs of tick 2 were first read after a later tick ran/);
    expect(r1.inputs).toHaveLength(3); // read in time: kept
  });

  it('refuses a logged tick holding an input of unknown kind, and runs nothing of it', () => {
    const w = newWorld();
    const inputs = [{ k: 'note' as never, sender: A, conn: 1 }];
    expect(() => w.runTick({ tick: 1, time: 1, seed: 1, inputs })).toThrow(/logged input has unknown kind "note"/);
    expect(w.tick).toBe(0);
    expect(w.tables.log.count).toBe(0);
  });

  it('delivers each result once; a throwing callback is logged and the rest still get theirs', () => {
    const errors: string[] = [];
    const w = createWorld(game, { clock: () => 0, logger: { ...silentLogger, error: (m) => errors.push(m) } });
    const got: number[] = [];
    w.enqueue('note', { text: 'a' }, A, 1, () => { throw new Error('bad callback'); }, 1);
    w.enqueue('note', { text: 'b' }, A, 1, (r, tag) => got.push(r.ok ? tag : -tag), 2);
    w.step();
    w.step();
    w.step();
    expect(got).toEqual([2]);
    expect(errors).toEqual([expect.stringMatching(/result callback failed at tick 1/)]);
    expect(w.tables.log.count).toBe(2);
  });

  it('refuses a step() from inside a result callback, and keeps ticking after', () => {
    const w = newWorld();
    let inner: unknown;
    w.enqueue('note', { text: 'a' }, A, 1, () => { try { w.step(); } catch (e) { inner = e; } });
    w.step();
    expect(String(inner)).toMatch(/step\(\) was called while the last tick's results were being delivered/);
    expect(w.tick).toBe(1);
    w.step();
    expect(w.tick).toBe(2);
  });

  it('exposes per-phase timings', () => {
    const w = newWorld();
    for (let i = 0; i < 5; i++) w.step();
    const s = w.timingStats();
    expect(s.total.count).toBe(5);
    expect(s.total.max).toBeGreaterThanOrEqual(s.total.p50);
  });
});

describe('images', () => {
  it('export/import reproduces the world and its hash, and refuses a damaged image', () => {
    const w = newWorld();
    for (const [i, who] of [A, B, C].entries()) w.enqueue('join', { name: `p${i}` }, who, i);
    w.enqueue('remind', { text: 'later', delayMs: 1000 }, A, 1);
    w.step();
    const img = w.exportImage();
    const w2 = newWorld();
    w2.importImage(img);
    expect(w2.hash()).toBe(w.hash());
    expect(w2.tables.player.findBy('owner', B)?.name).toBe('p1');
    expect(w2.tables.player.near(0, 0, 1).length).toBe(3);
    const bad = structuredClone(img);
    bad.tables[0]!.columns[3]![0]! ^= 0xff;
    expect(() => newWorld().importImage(bad)).toThrow(/damaged/);
  });
});

describe('change set', () => {
  it('reports inserts, updates with changed columns and their tick-start values, and deletes', () => {
    const w = newWorld();
    w.enqueue('join', { name: 'a' }, A, 1);
    w.enqueue('join', { name: 'b' }, B, 2);
    w.enqueue('join', { name: 'c' }, C, 3);
    const r1 = w.step();
    const p1 = r1.changes.byName.get('player')!;
    expect(p1.inserted.length).toBe(3);
    w.enqueue('move', { dx: 5, dy: 0 }, C, 3);
    w.enqueue('move', { dx: 1, dy: 2 }, C, 3);
    w.enqueue('kill', { id: 1 }, A, 1); // moves player 3 into slot 0
    const r2 = w.step();
    const p2 = r2.changes.byName.get('player')!;
    expect(p2.deleted.map((d) => d.pk)).toEqual([1]);
    expect(p2.deleted[0]!.row).toMatchObject({ name: 'a', owner: A });
    expect(p2.updated.length).toBe(1);
    const slot = p2.updated.ids[0]!;
    const store = p2.table;
    expect(store.read(slot, store.colIndex['id']!)).toBe(3);
    expect(p2.updatedMask[0]).toBe((1 << store.colIndex['x']!) | (1 << store.colIndex['y']!));
    expect(store.read(slot, store.colIndex['x']!)).toBe(6);
    expect(store.readPrevious(slot, store.colIndex['x']!, p2.updatedMask[0]!)).toBe(0);
    expect(store.readPrevious(slot, store.colIndex['y']!, p2.updatedMask[0]!)).toBe(0);
    expect(store.readPrevious(slot, store.colIndex['name']!, p2.updatedMask[0]!)).toBe('c');
  });
});
