// Bad input from the server never crashes the client: undecodable or inconsistent frames are
// reported as MALFORMED_FRAME, the cache keeps its last good state, and the client reconnects to
// resync; text messages and stray errors are reported and otherwise ignored.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import fc from 'fast-check';
import { encodeFrame } from '@worldline/engine/protocol/index.ts';
import { FakeServer, type FakeConnection } from './test-support/fake-server.ts';
import { arenaClient, once, type Arena } from './test-support/helpers.ts';
import arena from './test-support/arena.ts';
import type { Client, ClientError } from './index.ts';

let server: FakeServer;
let client: Client<Arena>;
let errors: ClientError[];

beforeEach(async () => {
  server = await FakeServer.start(arena);
  for (const i of [1, 2, 3]) server.upsert('item', { id: i, holder: 1, kind: 'potion', weight: i });
  client = arenaClient(server);
  errors = [];
  client.on('error', (e) => errors.push(e));
  await client.ready;
  await client.subscribe('item').ready;
});

afterEach(async () => {
  await client.close();
  await server.close();
});

const conn = (): FakeConnection => [...server.connections][0]!;
const items = (): number[] => [...client.db.item].map((r) => r.id).sort();

async function expectResync(send: () => void): Promise<void> {
  const back = once(client, 'reconnect');
  send();
  await back;
  expect(errors.at(-1)?.code).toBe('MALFORMED_FRAME');
  expect(items()).toEqual([1, 2, 3]);
}

describe('malformed frames from the server', () => {
  it('random bytes: reported, then a reconnect resyncs the cache', async () => {
    await expectResync(() => server.sendRaw(conn(), new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9])));
  });

  it('a truncated frame', async () => {
    const good = encodeFrame({ type: 'tickUpdate', tick: 9, time: 1, reset: false, tables: [] });
    await expectResync(() => server.sendRaw(conn(), good.subarray(0, good.length - 7)));
  });

  it('rows naming a handle the client does not hold leave the cache untouched', async () => {
    const before = [...client.db.item];
    const deletes: number[] = [];
    client.db.item.onDelete((r) => deletes.push(r.id));
    const down = once(client, 'disconnect');
    server.send(conn(), {
      type: 'tickUpdate', tick: 9, time: 1, reset: false,
      tables: [{ tableId: server.tableId('item'), deletes: new Uint8Array([0, 50]), inserts: new Uint8Array(0), updates: new Uint8Array(0) }],
    });
    await down;
    expect([...client.db.item]).toEqual(before); // handle 0 was valid, but the frame is all-or-nothing
    await once(client, 'reconnect');
    expect(deletes).toEqual([]);
    expect(errors.map((e) => e.code)).toEqual(['MALFORMED_FRAME']);
  });

  it('a frame only clients send (a Subscribe) is a protocol fault too', async () => {
    await expectResync(() => server.send(conn(), { type: 'subscribe', queryId: 1, tableId: 0, filters: [] }));
  });

  it('a text message is reported and ignored; the connection stays', async () => {
    server.sendRaw(conn(), 'hello?');
    server.send(conn(), { type: 'error', code: 'RATE_LIMITED', message: 'slow down', requestId: 0, queryId: 0, fatal: false });
    await new Promise<void>((res) => client.on('error', (e) => { if (e.code === 'RATE_LIMITED') res(); }));
    expect(errors.map((e) => e.code)).toEqual(['MALFORMED_FRAME', 'RATE_LIMITED']);
    expect(client.status).toBe('connected');
  });

  it('survives a stream of random frames and ends in sync', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 200 }), async (bytes) => {
      const back = once(client, 'reconnect');
      server.sendRaw(conn(), bytes);
      await back;
      expect(items()).toEqual([1, 2, 3]);
    }), { numRuns: 15, seed: 4242 });
    expect(errors.every((e) => e.code === 'MALFORMED_FRAME')).toBe(true);
  });
});
