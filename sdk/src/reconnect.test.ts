// Reconnects: the token restores the identity, subscriptions and areas come back, the cache is
// resynced to exactly the server's rows with callbacks for the real differences only; calls made
// while disconnected wait (bounded), calls lost in flight are rejected.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { FakeServer } from './test-support/fake-server.ts';
import { arenaClient, once, tickAndWait, type Arena } from './test-support/helpers.ts';
import arena from './test-support/arena.ts';
import WebSocket from 'ws';
import type { Client } from './index.ts';

let server: FakeServer;
let client: Client<Arena>;
const item = (id: number, holder: number, weight = 1) => ({ id, holder, kind: 'sword', weight });

beforeEach(async () => {
  server = await FakeServer.start(arena);
  server.reducers.set('join', ({ sender, server: s }, args) => {
    s.upsert('avatar', { id: 1, owner: sender, name: args.name as string, x: 0, y: 0, hp: 100, alive: true });
  });
});

afterEach(async () => {
  await client?.close();
  await server.close();
});

function serverRows(table: 'item' | 'avatar'): unknown[] {
  const id = server.tableId(table);
  return [...server.rows.get(id)!.keys()].map((pk) => server.get(table, pk)).sort((a, b) => Number(a!.id) - Number(b!.id));
}

describe('reconnect', () => {
  it('comes back as the same identity with its subscriptions and area', async () => {
    client = arenaClient(server);
    const first = await once(client, 'connect');
    await client.subscribe('item', { holder: 7 }).ready;
    await client.setArea({ table: 'avatar', radius: 30, x: 1, y: 2 }).ready;
    const events: string[] = [];
    client.on('disconnect', ({ willReconnect }) => events.push(`disconnect ${willReconnect}`));
    const again = once(client, 'reconnect');
    server.dropAll();
    const info = await again;
    expect(info.identity).toBe(first.identity);
    expect(client.identity).toBe(first.identity);
    expect(events).toEqual(['disconnect true']);
    const conn = [...server.connections][0]!;
    const kinds = conn.received.map((f) => f.type);
    expect(kinds).toEqual(['hello', 'subscribe', 'setArea']);
    expect(conn.received[0]).toMatchObject({ type: 'hello', token: client.token });
    expect(conn.received[2]).toMatchObject({ area: { shape: 'circle', x: 1, y: 2, radius: 30 } });
  });

  it('resyncs the cache to the server\'s rows, firing callbacks only for real differences', async () => {
    for (const i of [1, 2, 3, 4]) server.upsert('item', item(i, 7));
    client = arenaClient(server);
    await client.ready;
    await client.subscribe('item', { holder: 7 }).ready;
    const log: string[] = [];
    client.db.item.onInsert((r) => log.push(`ins ${r.id}`));
    client.db.item.onDelete((r) => log.push(`del ${r.id}`));
    client.db.item.onUpdate((o, r, ch) => log.push(`upd ${r.id} ${o.weight}->${r.weight} [${ch.join()}]`));
    const down = once(client, 'disconnect');
    server.dropAll();
    await down;
    // While the client is away: one row leaves the query, one is deleted, one changes, one is new.
    server.upsert('item', item(1, 8));
    server.remove('item', 2);
    server.upsert('item', item(3, 7, 9));
    server.upsert('item', item(5, 7));
    const seenDuringSync: number[] = [];
    client.on('reconnect', () => seenDuringSync.push(client.db.item.count));
    await once(client, 'reconnect');
    expect(log.sort()).toEqual(['del 1', 'del 2', 'ins 5', 'upd 3 1->9 [weight]']);
    expect([...client.db.item].sort((a, b) => a.id - b.id)).toEqual(serverRows('item').filter((r) => (r as { holder: number }).holder === 7));
    expect(seenDuringSync).toEqual([3]);
    // Deltas keep applying on the new connection's handles.
    server.upsert('item', item(4, 7, 2));
    await tickAndWait(server, client);
    expect(client.db.item.find(4)?.weight).toBe(2);
  });

  it('applies a resync (reset) TickUpdate as the difference to what it held', async () => {
    for (const i of [1, 2, 3]) server.upsert('item', item(i, 7));
    client = arenaClient(server);
    await client.ready;
    await client.subscribe('item').ready;
    const log: string[] = [];
    client.db.item.onInsert((r) => log.push(`ins ${r.id}`));
    client.db.item.onDelete((r) => log.push(`del ${r.id}`));
    client.db.item.onUpdate((_o, r) => log.push(`upd ${r.id}`));
    server.remove('item', 1);
    server.upsert('item', item(2, 7, 5));
    server.upsert('item', item(6, 7));
    const t = once(client, 'tick');
    server.runTick(true);
    await t;
    expect(log.sort()).toEqual(['del 1', 'ins 6', 'upd 2']);
    expect(client.db.item.count).toBe(3);
  });
});

describe('calls across disconnects', () => {
  it('rejects a call in flight when the connection drops (it may or may not have run)', async () => {
    client = arenaClient(server);
    await client.ready;
    server.tickOnCall = false;
    const sent = server.nextFrame((f) => f.type === 'callBatch');
    const call = client.reducers.join({ name: 'a' });
    await sent;
    server.dropAll();
    await expect(call).rejects.toMatchObject({ code: 'CONNECTION_LOST', details: { reducer: 'join' } });
  });

  it('queues calls made while disconnected and sends them once resynced', async () => {
    client = arenaClient(server, { maxQueuedCalls: 2 });
    await client.ready;
    await client.subscribe('avatar').ready;
    const down = once(client, 'disconnect');
    server.dropAll();
    await down;
    const order: string[] = [];
    client.on('reconnect', () => order.push('reconnect'));
    const a = client.reducers.join({ name: 'queued' }).then(() => order.push('a'));
    const b = client.call('ping').then(() => order.push('b'), (e: { code: string }) => order.push(`b ${e.code}`));
    const c = client.reducers.join({ name: 'too many' }).catch((e: { code: string }) => order.push(`c ${e.code}`));
    await Promise.all([a, b, c]);
    // ping has no handler on the fake server: it fails there, which proves it was sent.
    expect(order).toEqual(['c QUEUE_FULL', 'reconnect', 'a', 'b UNKNOWN_REDUCER']);
    expect(client.db.avatar.find(1)?.name).toBe('queued');
  });

  it('with maxQueuedCalls 0, rejects calls while disconnected', async () => {
    client = arenaClient(server, { maxQueuedCalls: 0 });
    await client.ready;
    const down = once(client, 'disconnect');
    server.dropAll();
    await down;
    await expect(client.call('ping')).rejects.toMatchObject({ code: 'QUEUE_FULL' });
  });
});

describe('ending', () => {
  it('stops for good on a rejected token: ready rejects, no retry', async () => {
    client = arenaClient(server, { token: 'forged' });
    const errors: string[] = [];
    client.on('error', (e) => errors.push(e.code));
    await expect(client.ready).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(client.status).toBe('closed');
    expect(errors).toEqual(['UNAUTHORIZED']);
    await expect(client.call('ping')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('with reconnect off, a drop closes the client and rejects queued calls', async () => {
    client = arenaClient(server, { reconnect: false });
    await client.ready;
    const down = once(client, 'disconnect');
    server.dropAll();
    expect(await down).toMatchObject({ willReconnect: false });
    expect(client.status).toBe('closed');
    await expect(client.call('ping')).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('keeps retrying while the server is unreachable, then connects', async () => {
    const url = server.url;
    await server.close();
    let attempts = 0;
    let thirdAttempt!: () => void;
    const third = new Promise<void>((res) => { thirdAttempt = res; });
    class CountingWebSocket extends WebSocket {
      constructor(u: string) {
        super(u);
        if (++attempts === 3) thirdAttempt();
      }
    }
    client = arenaClient(server, { url, WebSocket: CountingWebSocket });
    await third;
    expect(client.status).not.toBe('connected');
    server = await FakeServer.start(arena, Number(new URL(url).port));
    await client.ready;
    expect(attempts).toBeGreaterThanOrEqual(3);
    expect(client.identity).toMatch(/^[0-9a-f]{64}$/);
  });
});
