// The HTTP side of the server on the WebSocket's port: an identity from POST /v1/identity, reducer
// calls with a bearer token in JSON and msgpack (answered after commit, run as that identity),
// /health, and /metrics in Prometheus text with tick phase figures and counters. Both transports.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { encode as msgpackEncode, decode as msgpackDecode } from '@msgpack/msgpack';
import { netGame, type NetGame } from './support/net-game.ts';
import { startServer, TRANSPORTS, type TestServer } from './support/test-server.ts';

/** Prometheus text: the value of the first sample whose name and labels match. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const ls = m[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => ls.includes(`${k}="${v}"`))) return Number(m[3]);
  }
  return undefined;
}

describe.each(TRANSPORTS)('HTTP over %s', (transport) => {
  let ts: TestServer<NetGame>;
  let identity: string;
  let token: string;

  beforeAll(async () => {
    ts = await startServer(netGame({ npcs: 100, map: 100, tickRate: 40 }), transport);
    const res = await fetch(`${ts.http}/v1/identity`, { method: 'POST' });
    expect(res.status).toBe(200);
    ({ identity, token } = (await res.json()) as { identity: string; token: string });
  });

  afterAll(async () => {
    await ts.close();
  });

  const call = (reducer: string, body: BodyInit | null, headers: Record<string, string>) =>
    fetch(`${ts.http}/v1/call/${reducer}`, { method: 'POST', body, headers: { authorization: `Bearer ${token}`, ...headers } });

  it('POST /v1/identity mints an identity whose token also works on the WebSocket', async () => {
    expect(identity).toMatch(/^[0-9a-f]{64}$/);
    const c = await ts.connect(token);
    expect(c.identity).toBe(identity);
    await c.close();
  });

  it('POST /v1/call/:reducer with a JSON body runs the reducer as the token\'s identity, answered after commit', async () => {
    const res = await call('join', JSON.stringify({ name: 'http-player' }), { 'content-type': 'application/json' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/json/);
    expect(await res.json()).toEqual({ ok: true });
    // Answered after the tick committed: the row is already there.
    const me = ts.server.world.tables.avatar.findBy('owner', identity);
    expect(me?.name).toBe('http-player');

    const again = await call('join', JSON.stringify({ name: 'twice' }), { 'content-type': 'application/json' });
    expect(again.status).toBe(422);
    expect(await again.json()).toMatchObject({ ok: false, code: 'REDUCER_FAILED', error: 'already joined' });
  });

  it('accepts and answers msgpack', async () => {
    const before = ts.server.world.tables.avatar.findBy('owner', identity)!;
    const res = await call('move', msgpackEncode({ dx: 1.5, dy: -1 }) as Uint8Array<ArrayBuffer>, { 'content-type': 'application/msgpack' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/msgpack/);
    expect(msgpackDecode(new Uint8Array(await res.arrayBuffer()))).toEqual({ ok: true });
    const after = ts.server.world.tables.avatar.findBy('owner', identity)!;
    expect(after.moves).toBe(before.moves + 1);
    expect(after.x).toBeCloseTo(Math.min(100, before.x + 1.5), 4);
  });

  it('refuses missing or bad tokens, unknown reducers, bad arguments and unreadable bodies with the right status', async () => {
    const noToken = await fetch(`${ts.http}/v1/call/move`, { method: 'POST', body: '{"dx":1,"dy":1}', headers: { 'content-type': 'application/json' } });
    expect(noToken.status).toBe(401);
    const badToken = await fetch(`${ts.http}/v1/call/move`, { method: 'POST', body: '{"dx":1,"dy":1}', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}x` } });
    expect(badToken.status).toBe(401);
    const unknown = await call('teleport', '{}', { 'content-type': 'application/json' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ ok: false, code: 'UNKNOWN_REDUCER' });
    const typed = await call('move', JSON.stringify({ dx: 'far', dy: 1 }), { 'content-type': 'application/json' });
    expect(typed.status).toBe(400);
    expect(await typed.json()).toMatchObject({ ok: false, code: 'BAD_ARGUMENTS' });
    const garbage = await call('move', '{not json', { 'content-type': 'application/json' });
    expect(garbage.status).toBe(400);
  });

  it('GET /health reports the running world', async () => {
    const res = await fetch(`${ts.http}/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; tick: number };
    expect(body.ok).toBe(true);
    expect(body.tick).toBeGreaterThan(0);
  });

  it('GET /metrics has tick phase figures and counters in Prometheus text', async () => {
    const c = await ts.connect();
    expect((await c.call('join', { name: 'metered' })).ok).toBe(true);
    await c.call('teleport', {}); // one failed call
    c.sendRaw(new Uint8Array([1, 2, 3])); // one protocol error
    await c.until(() => c.errors.length === 1, 'the Error frame');
    const res = await fetch(`${ts.http}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    for (const phase of ['calls', 'systems', 'commit', 'publish', 'total']) {
      for (const stat of ['p50', 'p99']) {
        const v = sample(text, 'worldline_tick_phase_ms', { phase, stat });
        expect(v, `${phase} ${stat}`).toBeGreaterThanOrEqual(0);
      }
    }
    expect(sample(text, 'worldline_tick_phase_ms', { phase: 'total', stat: 'max' })).toBeGreaterThan(0);
    expect(sample(text, 'worldline_tick')).toBeGreaterThan(0);
    // All-time totals: every tick recorded a 'total' phase, and its time adds up to more than the max.
    const ticks = sample(text, 'worldline_tick_phase_observations_total', { phase: 'total' });
    expect(ticks).toBeGreaterThanOrEqual(sample(text, 'worldline_tick')! - 1); // the last tick may still be committing
    expect(sample(text, 'worldline_tick_phase_seconds_total', { phase: 'total' })! * 1000)
      .toBeGreaterThanOrEqual(sample(text, 'worldline_tick_phase_ms', { phase: 'total', stat: 'max' })!);
    expect(sample(text, 'worldline_calls_total')).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'worldline_call_errors_total')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'worldline_protocol_errors_total')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'worldline_connections')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'worldline_bytes_sent_total')).toBeGreaterThan(0);
    expect(sample(text, 'worldline_http_requests_total')).toBeGreaterThan(0);
    await c.close();
  });
});

describe.each(TRANSPORTS)('HTTP call limits over %s', (transport) => {
  it('rate-limits POST /v1/call per identity with 429, and other identities are unaffected', async () => {
    const ts = await startServer(netGame({ npcs: 10, map: 100, tickRate: 40 }), transport, { callsPerSecond: 0.001, callBurst: 2 });
    try {
      const token = async () => ((await (await fetch(`${ts.http}/v1/identity`, { method: 'POST' })).json()) as { token: string }).token;
      const [a, b] = [await token(), await token()];
      const call = (t: string) => fetch(`${ts.http}/v1/call/join`, { method: 'POST', body: '{"name":"x"}', headers: { 'content-type': 'application/json', authorization: `Bearer ${t}` } });
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await call(a)).status);
      expect(statuses.slice(0, 2).every((s) => s !== 429)).toBe(true);
      const limited = await call(a);
      expect(limited.status).toBe(429);
      expect(((await limited.json()) as { code: string }).code).toBe('RATE_LIMITED');
      expect((await call(b)).status).not.toBe(429);
    } finally {
      await ts.close();
    }
  });
});
