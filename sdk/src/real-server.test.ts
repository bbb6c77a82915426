// The SDK against the real Worldline server (createServer over ws): the token restores the
// identity after a dropped connection, subscriptions come back, and the cache resyncs to the
// server's rows, including changes made while the client was away.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createServer, type WorldlineServer } from '@worldline/engine/server/index.ts';
import { silentLogger } from '@worldline/engine';
import arena from './test-support/arena.ts';
import { once, type Arena } from './test-support/helpers.ts';
import { connect, type Client } from './index.ts';

let server: WorldlineServer<typeof arena>;
let url = '';
let dataDir = '';

/** A `ws` WebSocket whose latest instance the test can cut off, as a network failure would, and
 * whose new connections fail (refused on port 1) while the network is "down". */
let latest: WebSocket | null = null;
let networkUp = true;
class CuttableWebSocket extends WebSocket {
  constructor(u: string) {
    super(networkUp ? u : 'ws://127.0.0.1:1/ws');
    latest = this;
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'worldline-sdk-'));
  server = createServer(arena, { transport: 'ws', tokenSecret: 'sdk-test-secret-0123456789abcdef', dataDir, logger: silentLogger });
  url = `ws://127.0.0.1:${await server.listen(0, '127.0.0.1')}/ws`;
});

afterAll(async () => {
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('against createServer', () => {
  it('reconnects with its token as the same identity and resyncs what changed meanwhile', async () => {
    const a: Client<Arena> = connect<Arena>({ url, WebSocket: CuttableWebSocket, reconnect: { minMs: 10, maxMs: 50 } });
    const b: Client<Arena> = connect<Arena>({ url, WebSocket });
    await Promise.all([a.ready, b.ready]);
    await Promise.all([a.subscribe('avatar').ready, b.subscribe('avatar').ready]);
    await a.reducers.join({ name: 'a' });
    const aSeesB = new Promise<number>((res) => a.db.avatar.onInsert((r) => { if (r.name === 'b') res(r.id); }));
    await b.reducers.join({ name: 'b' });
    const identity = a.identity;
    const bId = await aSeesB;

    const log: string[] = [];
    a.db.avatar.onUpdate((_o, r, changed) => log.push(`upd ${r.name} [${changed.join()}]`));
    a.db.avatar.onInsert((r) => log.push(`ins ${r.name}`));
    a.db.avatar.onDelete((r) => log.push(`del ${r.name}`));
    const down = once(a, 'disconnect');
    const back = once(a, 'reconnect');
    networkUp = false;
    latest!.terminate();
    await down;
    await b.reducers.move({ dx: 5, dy: 0 }); // while a is away
    networkUp = true;
    const info = await back;

    expect(info.identity).toBe(identity);
    expect(log).toEqual(['upd b [x]']);
    expect(a.db.avatar.find(bId)).toMatchObject({ name: 'b', x: 5, y: 0 });
    expect(a.db.avatar.count).toBe(2);
    // Still the same avatar: the reducer sees the restored identity as ctx.sender.
    await a.reducers.move({ dx: 1, dy: 1 });
    expect([...a.db.avatar].find((r) => r.owner === identity)).toMatchObject({ name: 'a', x: 1, y: 1 });
    await expect(a.reducers.join({ name: 'a2' })).rejects.toMatchObject({ code: 'REDUCER_FAILED' });
    await Promise.all([a.close(), b.close()]);
  });
});
