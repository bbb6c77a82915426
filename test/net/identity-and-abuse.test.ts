// Identity over real sockets (reconnecting with a token, forged and altered tokens) and bad input
// (random bytes, truncated flatbuffers, text, oversized frames, unknown reducers, wrongly typed
// arguments, persistent garbage): each gets a clear answer, and the server keeps serving everyone
// else — a bystander keeps receiving updates and /health keeps answering. Both transports.
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { encode as msgpackEncode } from '@msgpack/msgpack';
import { encodeFrame, ErrorCodes } from '@worldline/engine/protocol/index.ts';
import { TokenAuthority } from '@worldline/engine/net/index.ts';
import { netGame, type NetGame } from './support/net-game.ts';
import { startServer, TRANSPORTS, type TestServer } from './support/test-server.ts';
import { RawClient } from './support/raw-client.ts';

const MAX_FRAME = 16 * 1024;
const MAX_ERRORS = 6;

function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; out[i] = s >>> 24; }
  return out;
}

/** A token with one character of its signature changed. */
function altered(token: string): string {
  const i = token.length - 3;
  return token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
}

describe.each(TRANSPORTS)('identity and bad input over %s', (transport) => {
  let ts: TestServer<NetGame>;
  let bystander: RawClient;

  beforeAll(async () => {
    ts = await startServer(netGame({ npcs: 400, map: 200, tickRate: 40 }), transport, { maxFrameBytes: MAX_FRAME, maxProtocolErrors: MAX_ERRORS });
    bystander = await ts.connect();
    expect((await bystander.call('join', { name: 'bystander' })).ok).toBe(true);
    bystander.setArea('npc', { radius: 300, x: 100, y: 100 });
    await bystander.ping();
    await bystander.untilTick(ts.server.world.tick + 1);
  });

  afterAll(async () => {
    await ts.close();
  });

  /** Whatever the last test did, everyone else is still served. */
  afterEach(async () => {
    const tick = ts.server.world.tick;
    await bystander.untilTick(tick + 1);
    const health = await fetch(`${ts.http}/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { ok: boolean }).ok).toBe(true);
    expect(bystander.errors).toEqual([]);
    expect(bystander.failures).toEqual([]);
    expect(ts.log.errors).toEqual([]);
  });

  it('reconnecting with the token restores the identity, and the avatar is still theirs', async () => {
    const a = await ts.connect();
    expect((await a.call('join', { name: 'alice' })).ok).toBe(true);
    const { identity, token } = a;
    const avatar = ts.server.world.tables.avatar.findBy('owner', identity)!;
    await a.close();

    const b = await ts.connect(token);
    expect(b.identity).toBe(identity);
    expect(b.connectionId).not.toBe(a.connectionId);
    const moved = await b.call('move', { dx: 1, dy: 0 });
    expect(moved).toMatchObject({ ok: true });
    const now = ts.server.world.tables.avatar.findBy('owner', identity)!;
    expect(now.id).toBe(avatar.id);
    expect(now.moves).toBe(1);
    expect(await b.call('join', { name: 'alice again' })).toMatchObject({ ok: false, code: 'REDUCER_FAILED' });

    // The token also works in the upgrade URL (browsers cannot set headers on a WebSocket).
    const c = await RawClient.open(`${ts.url}?token=${encodeURIComponent(token)}`);
    await c.hello(null);
    expect(c.identity).toBe(identity);
    // Without a token: a new identity.
    const d = await ts.connect();
    expect(d.identity).not.toBe(identity);
    expect(d.identity).toMatch(/^[0-9a-f]{64}$/);
    await Promise.all([b.close(), c.close(), d.close()]);
  });

  it('a forged or altered token gets a fatal Error frame and the connection is closed', async () => {
    const victim = bystander.identity;
    const forged = new TokenAuthority({ secret: 'not-the-server-secret-0123456789' }).issue(victim).token;
    const other = await ts.connect();
    const swapped = other.token.replace(other.identity, victim); // someone else's identity, own signature
    await other.close();
    for (const token of [forged, altered(bystander.token), swapped, 'v1.garbage', 'x'.repeat(300)]) {
      const c = await RawClient.open(ts.url);
      await expect(c.hello(token)).rejects.toThrow(/hello refused/);
      const closed = await c.closed();
      expect(c.welcome).toBeNull();
      expect(c.errors).toHaveLength(1);
      expect(c.errors[0]!.fatal).toBe(true);
      expect(c.errors[0]!.message).toMatch(/without a token/);
      expect(closed.code).toBe(1008);
    }
  });

  it('malformed frames get a non-fatal Error frame and the connection keeps working', async () => {
    const c = await ts.connect();
    expect((await c.call('join', { name: 'mallory' })).ok).toBe(true);
    const valid = encodeFrame({ type: 'callBatch', calls: [{ requestId: 99, reducerId: 0, reducerName: 'move', args: msgpackEncode({ dx: 1, dy: 1 }) }] });
    const bad: (Uint8Array | string)[] = [
      randomBytes(64, 1),
      valid.subarray(0, valid.length >> 1), // truncated flatbuffer
      new Uint8Array(0),
      'hello as text',
      encodeFrame({ type: 'tickUpdate', tick: 1, time: 0, reset: false, tables: [] }), // a server-only frame
    ];
    for (const [i, bytes] of bad.entries()) {
      c.sendRaw(bytes);
      await c.until(() => c.errors.length === i + 1, `the Error frame for bad input #${i}`);
      expect(c.errors[i]!.fatal).toBe(false);
      expect(c.errors[i]!.message.length).toBeGreaterThan(10);
    }
    await c.ping();
    expect(c.closeInfo).toBeNull();
    expect(await c.call('move', { dx: 1, dy: 0 })).toMatchObject({ ok: true });
    expect(c.failures).toEqual([]);
    await c.close();
  });

  it('an unknown reducer and wrongly typed arguments fail the call with a clear code', async () => {
    const c = await ts.connect();
    expect((await c.call('join', { name: 'trent' })).ok).toBe(true);
    const [byName, byId, typed, missing, extra, notMsgpack] = c.callMany([
      { reducer: 'teleport', args: { x: 1 } },
      { reducer: 'MOVE', args: { dx: 1, dy: 1 } },
      { reducer: 'move', args: { dx: 'far', dy: 1 } },
      { reducer: 'move', args: { dx: 1 } },
      { reducer: 'join', args: { name: 7 } },
      { reducer: 'move', args: new Uint8Array([0xc1, 0xc1, 0xc1]) },
    ]);
    expect(await byName).toMatchObject({ ok: false, code: 'UNKNOWN_REDUCER' });
    expect((await byName).message).toMatch(/teleport/);
    expect(await byId).toMatchObject({ ok: false, code: 'UNKNOWN_REDUCER' });
    for (const p of [typed, missing, extra, notMsgpack]) expect(await p).toMatchObject({ ok: false, code: 'BAD_ARGUMENTS' });
    expect((await typed).message).toMatch(/dx/);
    // A reducer id that does not exist.
    c.sendFrame({ type: 'callBatch', calls: [{ requestId: 4242, reducerId: 999, reducerName: null, args: msgpackEncode({}) }] });
    await c.ping();
    await ts.tickAfter(ts.server.world.tick);
    await c.ping();
    expect(c.closeInfo).toBeNull();
    expect(await c.call('move', { dx: 0, dy: 1 })).toMatchObject({ ok: true });
    await c.close();
  });

  it('subscriptions to private, unknown or unsuitable tables are refused with the query id', async () => {
    const c = await ts.connect();
    const described = new Set(c.welcome!.tables.map((t) => t.id));
    expect(c.welcome!.tables.map((t) => t.name).sort()).toEqual(['avatar', 'npc', 'secret']);
    let queryId = 100;
    for (let id = 0; id < 6; id++) { // a few refusals only: MAX_ERRORS would drop the connection
      if (described.has(id)) continue;
      c.sendFrame({ type: 'subscribe', queryId: ++queryId, tableId: id, filters: [] });
      await c.until(() => c.errors.some((e) => e.queryId === queryId), `the refusal of table id ${id}`);
    }
    c.sendFrame({ type: 'setArea', queryId: ++queryId, tableId: c.layout('secret').id, area: { shape: 'circle', x: 0, y: 0, radius: 10 }, follow: null, margin: null });
    await c.until(() => c.errors.some((e) => e.queryId === queryId), 'the refusal of an area on a table without a spatial index');
    expect(c.errors.every((e) => !e.fatal)).toBe(true);
    await c.ping();
    await ts.tickAfter(ts.server.world.tick);
    await c.ping();
    for (const t of c.state!.tables.values()) expect(t.size).toBe(0);
    expect(c.failures).toEqual([]);
    await c.close();
  });

  it('a frame above maxFrameBytes closes the connection with 1009', async () => {
    const c = await ts.connect();
    c.sendRaw(new Uint8Array(MAX_FRAME + 1));
    expect((await c.closed()).code).toBe(1009);
  });

  it('persistent garbage gets the connection dropped', async () => {
    const c = await ts.connect();
    for (let i = 0; i < MAX_ERRORS + 2; i++) c.sendRaw(randomBytes(32, 100 + i));
    const closed = await c.closed();
    expect(closed.code).toBe(1008);
    const fatal = c.errors.filter((e) => e.fatal);
    expect(fatal).toHaveLength(1);
    expect(c.errors.filter((e) => !e.fatal)).toHaveLength(MAX_ERRORS - 1);
  });

  it('anything before Hello is refused and the connection closed', async () => {
    const c = await RawClient.open(ts.url);
    c.sendFrame({ type: 'ping', id: 1, time: 0 });
    expect((await c.closed()).code).toBe(1008);
    expect(c.errors).toHaveLength(1);
    expect(c.errors[0]!.fatal).toBe(true);
  });

  it('uses the error codes docs/protocol.md lists', async () => {
    const codes: Record<string, string> = {};
    const open = async () => { const c = await RawClient.open(ts.url); return c; };
    // UNAUTHORIZED: a bad token.
    const a = await open();
    await a.hello(altered(bystander.token)).catch(() => undefined);
    await a.closed();
    codes['bad token'] = a.errors[0]?.code ?? 'none';
    // UNEXPECTED_FRAME: a frame before Hello.
    const b = await open();
    b.sendFrame({ type: 'ping', id: 1, time: 0 });
    await b.closed();
    codes['frame before Hello'] = b.errors[0]?.code ?? 'none';
    const c = await ts.connect();
    // MALFORMED_FRAME: bytes that are not a frame.
    c.sendRaw(randomBytes(64, 7));
    // UNEXPECTED_FRAME: a frame only servers send.
    c.sendFrame({ type: 'tickUpdate', tick: 1, time: 0, reset: false, tables: [] });
    // BAD_SUBSCRIPTION: an area on a table without a spatial index.
    c.sendFrame({ type: 'setArea', queryId: 5, tableId: c.layout('secret').id, area: { shape: 'circle', x: 0, y: 0, radius: 10 }, follow: null, margin: null });
    await c.ping();
    codes['random bytes'] = c.errors[0]?.code ?? 'none';
    codes['server-only frame'] = c.errors[1]?.code ?? 'none';
    codes['area on a non-spatial table'] = c.errors[2]?.code ?? 'none';
    await c.close();
    expect(codes).toEqual({
      'bad token': ErrorCodes.UNAUTHORIZED,
      'frame before Hello': ErrorCodes.UNEXPECTED_FRAME,
      'random bytes': ErrorCodes.MALFORMED_FRAME,
      'server-only frame': ErrorCodes.UNEXPECTED_FRAME,
      'area on a non-spatial table': ErrorCodes.BAD_SUBSCRIPTION,
    });
  });
});
