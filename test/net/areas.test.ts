// Many clients on real sockets move their avatars through a world of thousands of wandering NPCs;
// at quiescence each client's cache must be exactly what the server's tables say it may see: the rows
// inside its areas (with the documented hysteresis), its own secrets, nothing private. Both transports.
import { describe, it, expect } from 'vitest';
import { netGame } from './support/net-game.ts';
import { startServer, TRANSPORTS, type TestServer } from './support/test-server.ts';
import { areaProblems, exactProblems, heldKeys, serverRows, compareKeys } from './support/oracle.ts';
import type { RawClient } from './support/raw-client.ts';

const CLIENTS = 32;
const NPCS = 3_000;
const MAP = 500;
const RADIUS = 45;
const MARGIN = 3;
const MOVES = 20;

/** A small deterministic generator so a failing run can be reproduced. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What is wrong with client `c` at quiescence: its own failures; npc and avatar rows not those of
 * its area around `me` (rows between radius and radius + `margin` may go either way); secret rows
 * not exactly its own; keys other than those the server believes it sent; and, unless `tick` is
 * null, a last applied tick other than `tick`. */
function quiescenceProblems(ts: TestServer<ReturnType<typeof netGame>>, c: RawClient, me: { x: number; y: number }, margin: number, tick: number | null): string[] {
  const world = ts.server.world;
  const who = `client ${c.connectionId}`;
  const problems = c.failures.map((f) => `${who}: ${f}`);
  const centre = { x: me.x, y: me.y };
  problems.push(...areaProblems(who, world, c.state!, { table: 'npc', centre, radius: RADIUS, margin }));
  problems.push(...areaProblems(who, world, c.state!, { table: 'avatar', centre, radius: RADIUS, margin }));
  problems.push(...exactProblems(who, c.state!, 'secret', serverRows(world, 'secret').filter((r) => r['owner'] === c.identity)));
  // And exactly the rows the server believes it sent (inside the hysteresis band too).
  const sent = ts.server.subscriptions.snapshotFor(c.connectionId);
  for (const table of ['npc', 'avatar', 'secret']) {
    const want = [...(sent.get(table) ?? [])].sort(compareKeys);
    if (JSON.stringify(heldKeys(c.state!, table)) !== JSON.stringify(want)) problems.push(`${who}: ${table} keys differ from the server's view`);
  }
  if (tick !== null && c.lastTick !== tick) problems.push(`${who}: last applied tick ${c.lastTick}, expected ${tick}`);
  return problems;
}

/** Connects CLIENTS clients into `clients`, joins each as a player, points its npc and avatar areas
 * at its avatar and subscribes it to the secret table; returns how to find a client's avatar. */
async function joinAndFollow(ts: TestServer<ReturnType<typeof netGame>>, clients: RawClient[]): Promise<(c: RawClient) => { id: number; x: number; y: number }> {
  const world = ts.server.world;
  clients.push(...await Promise.all(Array.from({ length: CLIENTS }, () => ts.connect())));
  const joined = await Promise.all(clients.map((c, i) => c.call('join', { name: `player-${i}` })));
  expect(joined.filter((r) => !r.ok)).toEqual([]);
  const avatarOf = (c: RawClient) => world.tables.avatar.findBy('owner', c.identity)!;
  for (const c of clients) {
    const pk = avatarOf(c).id;
    c.setArea('npc', { radius: RADIUS, follow: { table: 'avatar', pk }, margin: MARGIN });
    c.setArea('avatar', { radius: RADIUS, follow: { table: 'avatar', pk }, margin: MARGIN });
  }
  // A whole-table subscription to an owner-only table must only ever deliver the caller's rows.
  await Promise.all(clients.map((c) => c.subscribe('secret')));
  return avatarOf;
}

describe.each(TRANSPORTS)('areas of interest over %s', (transport) => {
  it(`${CLIENTS} clients each hold exactly the server's rows in their area at quiescence`, async () => {
    const ts = await startServer(netGame({ npcs: NPCS, map: MAP, tickRate: 40 }), transport);
    const clients: RawClient[] = [];
    try {
      const avatarOf = await joinAndFollow(ts, clients);
      for (const c of clients) expect(c.welcome!.tables.map((t) => t.name)).not.toContain('audit');

      // Everyone walks at random, one step per result (so the loop's ticks interleave with arrivals);
      // half of them also write a new secret midway.
      await Promise.all(clients.map(async (c, i) => {
        const rnd = mulberry32(1000 + i);
        for (let m = 0; m < MOVES; m++) {
          const r = await c.call('move', { dx: (rnd() - 0.5) * 8, dy: (rnd() - 0.5) * 8 });
          expect(r.ok, r.message).toBe(true);
          if (m === MOVES / 2 && i % 2 === 0) expect((await c.call('whisper', { code: `late-${i}` })).ok).toBe(true);
        }
      }));

      // Quiescence: nobody moves; the test runs the last ticks itself (NPCs still wander), then a
      // ping per client proves every frame sent for those ticks has been applied.
      await ts.takeOverTicks();
      const tick = await ts.step(2);
      await Promise.all(clients.map((c) => c.ping()));

      // Its NPCs wandered in the last tick, so that tick's update reached every client that holds some.
      const problems = clients.flatMap((c) => quiescenceProblems(ts, c, avatarOf(c), MARGIN, c.state!.table('npc')!.size > 0 ? tick : null));
      expect(problems).toEqual([]);
      // The walk really exercised the areas: clients saw NPCs and each other, and every secret row seen is the holder's.
      const npcsSeen = clients.reduce((n, c) => n + c.state!.table('npc')!.size, 0);
      expect(npcsSeen / CLIENTS).toBeGreaterThan(10);
      expect(clients.every((c) => c.state!.table('avatar')!.find(avatarOf(c).id) !== undefined)).toBe(true);
      expect(clients.filter((c, i) => c.state!.table('secret')!.size === (i % 2 === 0 ? 2 : 1)).length).toBe(CLIENTS);
      expect(ts.log.errors).toEqual([]);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      await ts.close();
    }
  });

  it(`with cell interest, ${CLIENTS} clients hold exactly the rows of the cells around them, with the server's values`, async () => {
    const CELL = 16, ROW_MARGIN = 2;
    const cells = { cellSize: CELL, rowMargin: ROW_MARGIN, bounds: { minX: 0, minY: 0, maxX: MAP, maxY: MAP } };
    const ts = await startServer(netGame({ npcs: NPCS, map: MAP, tickRate: 40 }), transport, { cellInterest: { npc: cells, avatar: cells } });
    const clients: RawClient[] = [];
    try {
      const avatarOf = await joinAndFollow(ts, clients);
      await Promise.all(clients.map(async (c, i) => {
        const rnd = mulberry32(2000 + i);
        for (let m = 0; m < MOVES; m++) expect((await c.call('move', { dx: (rnd() - 0.5) * 8, dy: (rnd() - 0.5) * 8 })).ok).toBe(true);
      }));
      await ts.takeOverTicks();
      const tick = await ts.step(2);
      await Promise.all(clients.map((c) => c.ping()));

      // A client holds whole cells: every row within its radius, none beyond the farthest point of
      // a cell its window can touch (radius + 2 margins + 2 row margins + a cell diagonal).
      const band = 2 * MARGIN + 2 * ROW_MARGIN + CELL * Math.SQRT2;
      const problems = clients.flatMap((c) => quiescenceProblems(ts, c, avatarOf(c), band, tick));
      expect(problems).toEqual([]);
      expect(clients.reduce((n, c) => n + c.state!.table('npc')!.size, 0) / CLIENTS).toBeGreaterThan(10);
      expect(ts.log.errors).toEqual([]);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      await ts.close();
    }
  });

  it('answers SetArea with SubscriptionApplied, as docs/protocol.md promises', async () => {
    const ts = await startServer(netGame({ npcs: 200, map: 100, tickRate: 40 }), transport);
    try {
      const c = await ts.connect();
      expect((await c.call('join', { name: 'solo' })).ok).toBe(true);
      const queryId = c.setArea('npc', { radius: 20, x: 50, y: 50 });
      await c.ping(); // the server has the SetArea
      await ts.tickAfter(ts.server.world.tick); // a tick applied it
      await c.ping(); // and everything that tick sent has arrived
      expect(c.errors).toEqual([]);
      expect(c.state!.table('npc')!.size).toBeGreaterThan(0);
      expect(c.applied.has(queryId)).toBe(true);
      await c.close();
    } finally {
      await ts.close();
    }
  });
});
