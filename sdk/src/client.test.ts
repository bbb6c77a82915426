// The client against a fake server over a real WebSocket: cache contents, callback order, typed
// calls settled by CallResults, subscriptions with filters, areas that follow a row.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { FakeServer } from './test-support/fake-server.ts';
import { arenaClient, once, tickAndWait, type Arena } from './test-support/helpers.ts';
import arena from './test-support/arena.ts';
import { ClientError, me, type Client } from './index.ts';

let server: FakeServer;
let client: Client<Arena>;
const ID = (n: number): string => n.toString(16).padStart(64, '0');

beforeEach(async () => {
  server = await FakeServer.start(arena);
});

afterEach(async () => {
  await client?.close();
  await server.close();
});

describe('connect', () => {
  it('gets an identity and a token, reports them, and fires connect once synced', async () => {
    const tokens: string[] = [];
    client = arenaClient(server, { onToken: (t) => tokens.push(t) });
    const info = await once(client, 'connect');
    expect(info.identity).toMatch(/^[0-9a-f]{64}$/);
    expect(client.identity).toBe(info.identity);
    expect(client.token).toBe(`token-${info.identity}`);
    expect(tokens).toEqual([client.token]);
    expect(client.status).toBe('connected');
    expect(client.tickRate).toBe(20);
  });

  it('close() ends the session: a final disconnect, then status closed', async () => {
    client = arenaClient(server);
    await client.ready;
    const down = once(client, 'disconnect');
    await client.close();
    expect(await down).toMatchObject({ willReconnect: false });
    expect(client.status).toBe('closed');
  });

  it('frames still in flight when close() is called are dropped quietly', async () => {
    const conn = server.nextConnection();
    client = arenaClient(server);
    await client.ready;
    const errors: ClientError[] = [];
    client.on('error', (e) => errors.push(e));
    const down = once(client, 'disconnect');
    server.sendRaw(await conn, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])); // garbage, sent before the close
    void client.close();
    await down;
    expect(errors).toEqual([]);
  });

  it('subscriptions made before the connection are sent with it and ready once it is synced', async () => {
    server.upsert('item', { id: 1, holder: 7, kind: 'sword', weight: 1 });
    client = arenaClient(server);
    const order: string[] = [];
    const sub = client.subscribe('item');
    client.db.item.onInsert((r) => order.push(`ins ${r.id}`));
    client.on('connect', () => order.push(`connect, ${client.db.item.count} item`));
    await sub.ready;
    expect(order).toEqual(['ins 1', 'connect, 1 item']);
  });
});

describe('cache', () => {
  beforeEach(async () => {
    server.upsert('item', { id: 1, holder: 7, kind: 'sword', weight: 2.5 });
    server.upsert('item', { id: 2, holder: 8, kind: 'shield', weight: 6 });
    server.upsert('item', { id: 3, holder: 7, kind: 'potion', weight: 0.5 });
    client = arenaClient(server);
    await client.ready;
  });

  it('holds the rows of a subscription once ready resolves, typed by the module', async () => {
    const inserted: number[] = [];
    client.db.item.onInsert((r) => inserted.push(r.id));
    await client.subscribe('item', { holder: 7 }).ready;
    expect(client.db.item.count).toBe(2);
    expect(client.db.item.find(1)).toEqual({ id: 1, holder: 7, kind: 'sword', weight: 2.5 });
    expect(client.db.item.find(2)).toBeUndefined();
    expect([...client.db.item].map((r) => r.id).sort()).toEqual([1, 3]);
    expect(inserted.sort()).toEqual([1, 3]);
  });

  it('range and owner filters reach the server as the protocol describes', async () => {
    await client.subscribe('item', { weight: { gte: 1, lte: 5 } }).ready;
    expect([...client.db.item.iter()].map((r) => r.id)).toEqual([1]);
    server.upsert('wallet', { owner: client.identity!, gold: 5 });
    server.upsert('wallet', { owner: ID(99), gold: 500 });
    await client.subscribe('wallet', { owner: me }).ready;
    expect([...client.db.wallet.iter()]).toEqual([{ owner: client.identity, gold: 5 }]);
    const sub = server.connections.values().next().value!.received.filter((f) => f.type === 'subscribe');
    expect(sub.map((f) => f.type === 'subscribe' && f.filters.map((x) => x.op))).toEqual([['range'], ['ownerIsMe']]);
  });

  it('applies a whole TickUpdate before any callback, then fires deletes, inserts, updates, tick', async () => {
    await client.subscribe('item').ready;
    server.upsert('avatar', { id: 1, owner: ID(1), name: 'a', x: 0, y: 0, hp: 100, alive: true });
    await client.subscribe('avatar').ready;
    const log: string[] = [];
    const seen = (): string => `items=${client.db.item.count},hp=${client.db.avatar.find(1)?.hp}`;
    client.db.item.onDelete((r) => log.push(`del ${r.id} ${seen()}`));
    client.db.item.onInsert((r) => log.push(`ins ${r.id} ${seen()}`));
    client.db.item.onUpdate((o, r, changed) => log.push(`upd ${r.id} ${o.weight}->${r.weight} [${changed.join()}] ${seen()}`));
    client.db.avatar.onUpdate((_o, r, changed) => log.push(`avatar ${r.hp} [${changed.join()}]`));
    client.on('tick', ({ tick }) => log.push(`tick ${tick}`));
    server.remove('item', 2);
    server.upsert('item', { id: 4, holder: 9, kind: 'potion', weight: 1 });
    server.upsert('item', { id: 1, holder: 7, kind: 'sword', weight: 3 });
    server.upsert('avatar', { id: 1, owner: ID(1), name: 'a', x: 1.5, y: -2, hp: 90, alive: false });
    await tickAndWait(server, client);
    // Table by table in the frame's order (avatar is table 0); within a table deletes, inserts, updates.
    expect(log).toEqual([
      'avatar 90 [x,y,hp,alive]',
      'del 2 items=3,hp=90',
      'ins 4 items=3,hp=90',
      'upd 1 2.5->3 [weight] items=3,hp=90',
      `tick ${server.tick}`,
    ]);
    expect(client.db.avatar.find(1)).toMatchObject({ x: 1.5, y: -2, hp: 90, alive: false });
    expect(client.tick).toBe(server.tick);
    expect(client.tickTime).toBe(server.time);
  });

  it('keeps firing other listeners when one throws, and reports it as an error', async () => {
    const errors: ClientError[] = [];
    client.on('error', (e) => errors.push(e));
    client.db.item.onInsert(() => { throw new Error('game bug'); });
    const got: number[] = [];
    client.db.item.onInsert((r) => got.push(r.id));
    await client.subscribe('item').ready;
    expect(got.sort()).toEqual([1, 2, 3]);
    expect(errors.map((e) => e.code)).toEqual(['LISTENER_FAILED', 'LISTENER_FAILED', 'LISTENER_FAILED']);
  });

  it('unsubscribe makes rows leave through onDelete', async () => {
    const sub = client.subscribe('item');
    await sub.ready;
    const gone: number[] = [];
    client.db.item.onDelete((r) => gone.push(r.id));
    sub.unsubscribe();
    await server.nextFrame((f) => f.type === 'unsubscribe');
    server.upsert('avatar', { id: 1, owner: ID(1), name: 'a', x: 0, y: 0, hp: 1, alive: true });
    await client.subscribe('avatar').ready;
    await tickAndWait(server, client);
    expect(gone.sort()).toEqual([1, 2, 3]);
    expect(client.db.item.count).toBe(0);
  });
});

describe('subscription errors', () => {
  it('rejects a subscription to a private table without asking the server', async () => {
    client = arenaClient(server);
    await client.ready;
    // The types already refuse private tables; this is a client that gets around them.
    const err = await client.subscribe('audit' as never).ready.catch((e: ClientError) => e);
    expect(err).toBeInstanceOf(ClientError);
    expect((err as ClientError).code).toBe('UNKNOWN_TABLE');
  });

  it('rejects ready with the server\'s error for that query, and does not resubscribe it', async () => {
    server.refuse = (f) => (f.type === 'subscribe' && f.filters.length > 0 ? 'BAD_SUBSCRIPTION' : null);
    client = arenaClient(server);
    await client.ready;
    await expect(client.subscribe('item', { holder: 1 }).ready).rejects.toMatchObject({ code: 'BAD_SUBSCRIPTION', details: { queryId: 1 } });
    await client.subscribe('item').ready;
    const reconnected = once(client, 'reconnect');
    server.dropAll();
    await reconnected;
    const conn = [...server.connections][0]!;
    expect(conn.received.filter((f) => f.type === 'subscribe').length).toBe(1);
  });
});

describe('calls', () => {
  beforeEach(async () => {
    server.reducers.set('join', ({ sender, server: s }, args) => {
      if (s.get('avatar', 1)) throw new Error('already joined');
      s.upsert('avatar', { id: 1, owner: sender, name: args.name as string, x: 0, y: 0, hp: 100, alive: true });
    });
    server.reducers.set('give', ({ server: s }, args) => {
      s.upsert('item', { id: 10, holder: args.to as number, kind: args.kind as string, weight: 1 });
      expect(args).toEqual({ to: 5, kind: 'potion' }); // optional note left out, not sent as nil
    });
    client = arenaClient(server);
    await client.ready;
    await client.subscribe('avatar').ready;
  });

  it('resolves after the server commits, with the effect already in the cache', async () => {
    await client.reducers.join({ name: 'ann' });
    expect(client.db.avatar.find(1)).toMatchObject({ name: 'ann', owner: client.identity });
  });

  it('rejects with the server\'s code and message when the reducer fails', async () => {
    await client.reducers.join({ name: 'ann' });
    const err = await client.reducers.join({ name: 'bob' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientError);
    expect(err).toMatchObject({ code: 'REDUCER_FAILED', message: 'join: already joined', details: { reducer: 'join' } });
  });

  it('batches calls made together into one frame and settles each', async () => {
    const batches = server.nextFrame((f) => f.type === 'callBatch');
    const results = await Promise.allSettled([
      client.reducers.join({ name: 'a' }),
      client.reducers.join({ name: 'b' }),
      client.reducers.give({ to: 5, kind: 'potion' }),
      client.call('ping'),
    ]);
    const f = await batches;
    expect(f.type === 'callBatch' && f.calls.length).toBe(4);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect((results[3] as PromiseRejectedResult).reason).toMatchObject({ code: 'UNKNOWN_REDUCER' });
  });

  it('rejects a reducer the server does not offer without sending it', async () => {
    const err = await (client.reducers as unknown as Record<string, () => Promise<void>>).teleport!().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'UNKNOWN_REDUCER' });
  });

  it('rejects calls after close with CLOSED', async () => {
    await client.close();
    await expect(client.reducers.join({ name: 'x' })).rejects.toMatchObject({ code: 'CLOSED' });
  });
});

describe('areas', () => {
  it('follows a row: rows enter and leave as the followed row moves', async () => {
    server.upsert('avatar', { id: 1, owner: ID(1), name: 'me', x: 0, y: 0, hp: 100, alive: true });
    server.upsert('avatar', { id: 2, owner: ID(2), name: 'near', x: 5, y: 0, hp: 100, alive: true });
    server.upsert('avatar', { id: 3, owner: ID(3), name: 'far', x: 50, y: 0, hp: 100, alive: true });
    client = arenaClient(server);
    await client.ready;
    const area = client.setArea({ table: 'avatar', radius: 10, follow: 1 });
    await area.ready;
    const f = server.connections.values().next().value!.received.find((x) => x.type === 'setArea');
    expect(f).toMatchObject({ area: { shape: 'circle', radius: 10 }, follow: { tableId: server.tableId('avatar') } });
    expect([...client.db.avatar.iter()].map((r) => r.name).sort()).toEqual(['me', 'near']);
    const left: string[] = [], entered: string[] = [];
    client.db.avatar.onDelete((r) => left.push(r.name));
    client.db.avatar.onInsert((r) => entered.push(r.name));
    server.upsert('avatar', { id: 1, owner: ID(1), name: 'me', x: 45, y: 0, hp: 100, alive: true });
    await tickAndWait(server, client);
    expect({ left, entered }).toEqual({ left: ['near'], entered: ['far'] });
    const back = new Promise<string>((res) => client.db.avatar.onInsert((r) => res(r.name)));
    area.set({ table: 'avatar', rect: { halfWidth: 100, halfHeight: 100 }, follow: 1 });
    expect(await back).toBe('near');
    expect(client.db.avatar.count).toBe(3);
  });

  it('refuses an area on a table without a spatial index', async () => {
    client = arenaClient(server);
    await client.ready;
    // @ts-expect-error: exactly one of radius / rect (runtime checks it too)
    const bad = client.setArea({ table: 'avatar', radius: 1, rect: { halfWidth: 1, halfHeight: 1 } });
    await expect(bad.ready).rejects.toMatchObject({ code: 'BAD_ARGUMENTS' });
    await expect(client.setArea({ table: 'item', radius: 5 }).ready).rejects.toMatchObject({ code: 'BAD_SUBSCRIPTION' });
  });
});
