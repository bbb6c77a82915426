// The interpolation helper renders positions `delayMs` in the past, between the two ticks around
// the render time, mapping server tick times to the local clock.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { FakeServer } from './test-support/fake-server.ts';
import { arenaClient, tickAndWait, type Arena } from './test-support/helpers.ts';
import arena from './test-support/arena.ts';
import { createInterpolator, type Client } from './index.ts';

let server: FakeServer;
let client: Client<Arena>;
/** Local clock: each tick arrives exactly LAG ms after its server time. */
const LAG = 1000;
let clock = 0;
const ID = (n: number): string => n.toString(16).padStart(64, '0');
const at = (id: number, x: number, y = 0) => ({ id, owner: ID(id), name: `a${id}`, x, y, hp: 100, alive: true });

beforeEach(async () => {
  server = await FakeServer.start(arena);
  client = arenaClient(server);
  await client.ready;
  await client.subscribe('avatar').ready;
});

afterEach(async () => {
  await client.close();
  await server.close();
});

async function tickWith(rows: ReturnType<typeof at>[]): Promise<number> {
  for (const r of rows) server.upsert('avatar', r);
  clock = server.time + 50 + LAG; // the time this tick will carry, as the local clock sees it on arrival
  await tickAndWait(server, client);
  return server.time;
}

describe('interpolation', () => {
  it('renders delayMs in the past, between the ticks around the render time', async () => {
    const ip = createInterpolator(client, client.db.avatar, { delayMs: 100, now: () => clock });
    const t1 = await tickWith([at(1, 0, 0)]);
    const t2 = await tickWith([at(1, 10, -4)]);
    expect(ip.position(1, t1 + 25)).toEqual({ x: 5, y: -2 });
    clock = t2 + LAG + 90; // now = t2 + 90 on the server's clock, so we show t2 - 10
    expect(ip.renderTime()).toBe(t2 - 10);
    const p = ip.position(1)!;
    expect(p.x).toBeCloseTo(8, 9);
    expect(p.y).toBeCloseTo(-3.2, 9);
    clock = t2 + LAG + 500;
    expect({ ...ip.position(1)! }).toEqual({ x: 10, y: -4 }); // past the last tick: hold, do not extrapolate
    expect(ip.position(99)).toBeUndefined();
  });

  it('holds a row still until the tick before it moved (no slow glide across idle ticks)', async () => {
    const ip = createInterpolator(client, client.db.avatar, { now: () => clock });
    await tickWith([at(1, 0)]);
    server.runTick(); server.runTick(); server.runTick(); // nothing changes: no frames
    const t5 = await tickWith([at(1, 10)]);
    expect(ip.position(1, t5 - 100)!.x).toBe(0);
    expect(ip.position(1, t5 - 50)!.x).toBe(0);
    expect(ip.position(1, t5 - 25)!.x).toBe(5);
  });

  it('shows jumps longer than teleportDistance as jumps, and forgets deleted rows', async () => {
    const ip = createInterpolator(client, client.db.avatar, { now: () => clock, teleportDistance: 50 });
    const t1 = await tickWith([at(1, 0), at(2, 0)]);
    await tickWith([at(1, 100), at(2, 10)]);
    expect(ip.position(1, t1 + 25)!.x).toBe(0);
    expect(ip.position(2, t1 + 25)!.x).toBe(5);
    const seen: number[] = [];
    ip.forEach((pk) => seen.push(pk));
    expect(seen.sort()).toEqual([1, 2]);
    server.remove('avatar', 2);
    await tickWith([]);
    expect(ip.position(2)).toBeUndefined();
    ip.dispose();
  });
});
