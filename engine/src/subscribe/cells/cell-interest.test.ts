// Cell-interest areas end to end in one process: the manager routes a seeded random workload
// (avatars walking, entities moving across cells, inserts, deletes, teleports, pauses, resyncs,
// cleared areas), the server's real encoder builds every client's frames from the shared per-cell
// blocks, and each client's ClientState applies them with the client decoder. After every tick each
// client must hold exactly the rows of the cells its window covers, with the server's values, every
// row within its radius, and nothing far outside it.
import { describe, it, expect } from 'vitest';
import { createWorld, silentLogger } from '../../index.ts';
import { SubscriptionManager } from '../index.ts';
import { DeltaSender } from '../../server/delta-sender.ts';
import { moduleLayouts } from '../../protocol/module-layouts.ts';
import { ClientState, decodeTickUpdate } from '../../protocol/index.ts';
import { aoiModule, identities, mulberry32, type AoiStep } from '../test-support/aoi-module.ts';

const MAP = 400, CELL = 32, ROW_MARGIN = 4;

function setup(seed: number, clients: number) {
  const rnd = mulberry32(seed);
  const { module, hook } = aoiModule();
  let now = 1_000_000;
  const world = createWorld(module, { clock: () => (now += 50), logger: silentLogger });
  const mgr = new SubscriptionManager(world, {
    cellInterest: { entity: { cellSize: CELL, rowMargin: ROW_MARGIN, bounds: { minX: 0, minY: 0, maxX: MAP, maxY: MAP } } },
  });
  const layouts = moduleLayouts(module).tables;
  const states = new Map<number, ClientState>();
  let frames = 0;
  const sender = new DeltaSender(mgr, layouts, world.db.tables.length, {
    sendDelta(id, bytes) {
      frames++;
      decodeTickUpdate(bytes, states.get(id)!);
    },
  });
  mgr.setSink(sender);
  const ids = identities(clients);
  for (let i = 0; i < clients; i++) {
    states.set(i + 1, new ClientState(layouts));
    mgr.addClient(i + 1, ids[i]!);
  }
  const step = (fn: AoiStep | null) => { hook.step = fn; world.step(); hook.step = null; };
  return { rnd, world, mgr, states, step, frames: () => frames };
}

describe('cell-interest areas', () => {
  it('every client holds exactly its cells\' rows, with the server\'s values, through moves, inserts, deletes, pauses and resyncs', () => {
    const CLIENTS = 30;
    const { rnd, world, mgr, states, step, frames } = setup(11, CLIENTS);
    const ri = (n: number) => Math.floor(rnd() * n);
    step((ctx) => {
      for (let i = 0; i < 1500; i++) ctx.db.entity.insert({ x: rnd() * MAP, y: rnd() * MAP, kind: ri(4), level: ri(100), zone: 'z' });
    });
    // Client c follows entity c (the first rows are the avatars), except the last client: it follows
    // the row in the table's last slot, which the first delete moves to another slot.
    const FOLLOWED_LAST = 1500;
    const followed = (c: number) => (c === CLIENTS ? FOLLOWED_LAST : c);
    const radius = Array.from({ length: CLIENTS }, () => 20 + rnd() * 40);
    for (let i = 0; i < CLIENTS; i++) mgr.setArea(i + 1, { table: 'entity', radius: radius[i]!, follow: followed(i + 1) });
    step(null); // the areas apply, and find their rows, before anything moves
    const margin = (i: number) => Math.max(1, radius[i]! * 0.1);
    const paused = new Set<number>();
    let checked = 0;

    for (let t = 0; t < 120; t++) {
      step((ctx) => {
        const e = ctx.db.entity;
        // Avatars walk; other rows drift (some cross cells), one in 50 teleports.
        for (const row of [...e.iter()]) {
          const r = rnd();
          if (r < 0.5 && row.id > CLIENTS) continue;
          const far = r > 0.98;
          const x = far ? rnd() * MAP : Math.min(MAP, Math.max(0, row.x + (rnd() - 0.5) * 6));
          const y = far ? rnd() * MAP : Math.min(MAP, Math.max(0, row.y + (rnd() - 0.5) * 6));
          e.update(row.id, { x, y, level: r < 0.1 ? row.level + 1 : row.level });
        }
        const victims = [...e.iter()].filter((r) => r.id > CLIENTS && r.id !== FOLLOWED_LAST);
        for (let k = 0; k < 4; k++) e.delete(victims[ri(victims.length)]!.id);
        for (let k = 0; k < 5; k++) e.insert({ x: rnd() * MAP, y: rnd() * MAP, kind: 1, level: 0, zone: 'z' });
      });
      // Backpressure: pause a client for a few ticks, then resync it.
      if (t % 17 === 5) { const c = 1 + ri(CLIENTS); mgr.pause(c); paused.add(c); }
      if (t % 17 === 9) for (const c of paused) { mgr.resync(c); paused.delete(c); }
      // One client clears its area for a while, then sets a bigger one.
      if (t === 40) mgr.clearArea(3, 'entity');
      if (t === 60) { radius[2] = 70; mgr.setArea(3, { table: 'entity', radius: 70, follow: 3 }); }
      if (t === 0) expect(world.db.byName.get('entity')!.slotOf(FOLLOWED_LAST)).toBeLessThan(1499); // it moved

      const store = world.db.byName.get('entity')!;
      const xs = store.cols[store.colOf('x')]!, ys = store.cols[store.colOf('y')]!, pks = store.cols[store.pkCol]!, lv = store.cols[store.colOf('level')]!;
      const problems: string[] = [];
      for (let c = 1; c <= CLIENTS; c++) {
        if (paused.has(c) || mgr.isPaused(c)) continue;
        const table = states.get(c)!.table('entity')!;
        const held = new Set([...table.iter()].map((r) => r['id'] as number));
        // Exactly the rows the manager says the client's cells hold...
        const expected = (mgr.snapshotFor(c).get('entity') ?? []) as number[];
        if (expected.length !== held.size || expected.some((id) => !held.has(id))) problems.push(`client ${c} tick ${t}: holds ${held.size} rows, its cells hold ${expected.length}`);
        if (c === 3 && t >= 41 && t < 61) { if (held.size !== 0) problems.push(`client 3 holds ${held.size} rows after clearing its area`); continue; }
        // ...with the server's values...
        for (const id of held) {
          const slot = store.slotOf(id), row = table.find(id)!;
          if (slot < 0 || row['x'] !== xs[slot] || row['y'] !== ys[slot] || row['level'] !== lv[slot]) problems.push(`client ${c} tick ${t}: row ${id} differs from the server`);
        }
        // ...every row within the radius of the avatar, none far outside it.
        const me = store.slotOf(followed(c)), ax = xs[me]!, ay = ys[me]!;
        const far = radius[c - 1]! + 2 * margin(c - 1) + 2 * ROW_MARGIN + CELL * Math.SQRT2;
        for (let s = 0; s < store.count; s++) {
          const d = Math.hypot(xs[s]! - ax, ys[s]! - ay), id = pks[s]!;
          if (d <= radius[c - 1]! && !held.has(id)) problems.push(`client ${c} tick ${t}: row ${id} at ${d.toFixed(1)} <= r is missing`);
          if (d > far && held.has(id)) problems.push(`client ${c} tick ${t}: row ${id} at ${d.toFixed(1)} > ${far.toFixed(1)} is held`);
        }
        checked++;
      }
      expect(problems.slice(0, 5)).toEqual([]);
    }
    expect(checked).toBeGreaterThan(3000);
    expect(frames()).toBeGreaterThan(3000);
  });

  it('refuses what cells cannot serve: queries beside an area, areas too wide, owner-only tables', () => {
    const { mgr, step } = setup(3, 2);
    step(null);
    mgr.setArea(1, { table: 'entity', radius: 30, x: 10, y: 10 });
    expect(() => mgr.subscribe(1, 7, { table: 'entity', filter: { col: 'kind', eq: 1 } })).toThrow(/cannot also subscribe/);
    mgr.subscribe(2, 7, { table: 'entity', filter: { col: 'kind', eq: 1 } });
    expect(() => mgr.setArea(2, { table: 'entity', radius: 30, x: 10, y: 10 })).toThrow(/query subscriptions on it/);
    expect(() => mgr.setArea(1, { table: 'entity', radius: 300, x: 10, y: 10 })).toThrow(/maxAreaCells/);
    const { module } = aoiModule();
    const world = createWorld(module, { logger: silentLogger });
    expect(() => new SubscriptionManager(world, { cellInterest: { secret: { bounds: { minX: 0, minY: 0, maxX: 10, maxY: 10 } } } })).toThrow(/owner-only/);
    expect(() => new SubscriptionManager(world, { cellInterest: { entity: { bounds: { minX: 0, minY: 0, maxX: 0, maxY: 10 } } } })).toThrow(/bounds/);
  });

  it('sends at most L rows of one cell, warns once, and sends a row that was left out once it moves to a cell with room', () => {
    const { module, hook } = aoiModule();
    const warnings: string[] = [];
    const world = createWorld(module, { logger: { ...silentLogger, warn: (m: string) => warnings.push(m) } });
    // maxAreaCells 256: handles below 2^20 leave 2^20 / 256² = 16 rows per cell.
    const mgr = new SubscriptionManager(world, { cellInterest: { entity: { cellSize: 32, maxAreaCells: 256, bounds: { minX: 0, minY: 0, maxX: 256, maxY: 256 } } } });
    const layouts = moduleLayouts(module).tables;
    const state = new ClientState(layouts);
    mgr.setSink(new DeltaSender(mgr, layouts, world.db.tables.length, { sendDelta: (_id, bytes) => { decodeTickUpdate(bytes, state); } }));
    mgr.addClient(1, identities(1)[0]!);
    const step = (fn: AoiStep) => { hook.step = fn; world.step(); hook.step = null; };
    step((ctx) => { for (let i = 0; i < 20; i++) ctx.db.entity.insert({ x: 5, y: 5, kind: 0, level: 0, zone: 'z' }); });
    mgr.setArea(1, { table: 'entity', radius: 40, x: 5, y: 5 });
    step(() => {});
    const held = () => [...state.table('entity')!.iter()].map((r) => r['id'] as number).sort((a, b) => a - b);
    expect(held()).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(warnings.length).toBe(1);
    expect(warnings[0]).toMatch(/more than 16 rows/);
    step((ctx) => { ctx.db.entity.update(20, { x: 40 }); }); // cell 1, inside the window
    expect(held()).toContain(20);
    expect(held().length).toBe(17);
    expect(warnings.length).toBe(1);
  });
});
