// Conformance cases for HTTP on the WebSocket port: Worldline's routes, body formats and limits,
// and the error statuses a client can act on (401, 404, 405, 413, 400, 415, 500).

import { request as httpRequest } from 'node:http';
import { decode as msgpackDecode, encode as msgpackEncode } from '@msgpack/msgpack';
import { expect, it } from 'vitest';
import { NetError } from '../../errors.ts';
import { MetricsRegistry } from '../../http/metrics.ts';
import { Router } from '../../http/router.ts';
import { registerWorldlineRoutes } from '../../http/routes.ts';
import type { TransportOptions } from '../types.ts';
import { http } from './harness.ts';
import type { Harness, Started } from './harness.ts';

export function httpCases(h: Harness): void {
  const { start, echo } = h;

  async function startHttp(options: TransportOptions = {}): Promise<Started & { calls: unknown[] }> {
    const calls: unknown[] = [];
    const metrics = new MetricsRegistry();
    metrics.counter({ name: 'test_requests_total', help: 'test counter' }).inc(3);
    const router = registerWorldlineRoutes(new Router(), {
      metrics,
      authenticate: (token) => {
        if (token !== 'good') throw new NetError('TOKEN_BAD_SIGNATURE', 'the token was not signed by this server');
        return 'a'.repeat(64);
      },
      call: async (reducer, args, identity) => {
        calls.push({ reducer, args, identity });
        return reducer === 'nope' ? { ok: false, error: 'no such reducer', code: 'UNKNOWN_REDUCER' } : { ok: true };
      },
    });
    router.get('/boom', () => {
      throw new Error('handler bug');
    });
    const s = await start({ connection: echo, http: router.handler }, options);
    return { ...s, calls };
  }

  it('answers GET /health and GET /metrics', async () => {
    const s = await startHttp();
    const health = await http(s.port, 'GET', '/health');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body.toString())).toEqual({ ok: true });
    const metrics = await http(s.port, 'GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.body.toString()).toContain('test_requests_total 3');
    expect(s.transport.stats().httpRequests).toBe(2);
  });

  it('runs POST /v1/call/:reducer with a JSON or msgpack body and a bearer token', async () => {
    const s = await startHttp();
    const a = await http(s.port, 'POST', '/v1/call/move', JSON.stringify({ dx: 1, dy: -2 }), {
      'content-type': 'application/json',
      authorization: 'Bearer good',
    });
    expect(a.status).toBe(200);
    expect(JSON.parse(a.body.toString())).toEqual({ ok: true });
    const b = await http(s.port, 'POST', '/v1/call/move?token=good', msgpackEncode({ dx: 3, dy: 4 }), {
      'content-type': 'application/msgpack',
    });
    expect(b.status).toBe(200);
    expect(b.headers['content-type']).toBe('application/msgpack');
    expect(msgpackDecode(b.body)).toEqual({ ok: true });
    expect(s.calls).toEqual([
      { reducer: 'move', args: { dx: 1, dy: -2 }, identity: 'a'.repeat(64) },
      { reducer: 'move', args: { dx: 3, dy: 4 }, identity: 'a'.repeat(64) },
    ]);
    const failed = await http(s.port, 'POST', '/v1/call/nope', '{}', { authorization: 'Bearer good' });
    expect(failed.status).toBe(404);
    expect(JSON.parse(failed.body.toString())).toMatchObject({ ok: false, code: 'UNKNOWN_REDUCER' });
  });

  it('answers 401 without a token or with a refused one', async () => {
    const s = await startHttp();
    const none = await http(s.port, 'POST', '/v1/call/move', '{}');
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body.toString()).code).toBe('TOKEN_MISSING');
    const forged = await http(s.port, 'POST', '/v1/call/move', '{}', { authorization: 'Bearer forged' });
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.body.toString()).code).toBe('TOKEN_BAD_SIGNATURE');
    expect(s.calls).toEqual([]);
  });

  it('answers 404 for an unknown route and 405 for a wrong method', async () => {
    const s = await startHttp();
    const missing = await http(s.port, 'GET', '/nowhere');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString()).code).toBe('NOT_FOUND');
    const wrong = await http(s.port, 'GET', '/v1/call/move');
    expect(wrong.status).toBe(405);
    expect(wrong.headers['allow']).toBe('POST');
    const wrong2 = await http(s.port, 'DELETE', '/health');
    expect(wrong2.status).toBe(405);
  });

  it('answers 413 for a body past maxBodyBytes, declared or chunked', async () => {
    const s = await startHttp({ maxBodyBytes: 1024 });
    const declared = await http(s.port, 'POST', '/v1/call/move', 'x'.repeat(4096), { authorization: 'Bearer good' });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body.toString()).code).toBe('BODY_TOO_LARGE');
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port: s.port, method: 'POST', path: '/v1/call/move', agent: false, headers: { 'transfer-encoding': 'chunked' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write('y'.repeat(800));
      req.write('y'.repeat(800));
      req.end();
    });
    expect(chunked).toBe(413);
    const fits = await http(s.port, 'POST', '/v1/call/move', JSON.stringify({ pad: 'z'.repeat(900) }), { authorization: 'Bearer good' });
    expect(fits.status).toBe(200);
  });

  it('answers 400 for an unreadable body and 415 for an unknown content type', async () => {
    const s = await startHttp();
    const bad = await http(s.port, 'POST', '/v1/call/move', '{"dx":', { authorization: 'Bearer good', 'content-type': 'application/json' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body.toString()).code).toBe('BAD_BODY');
    const unsupported = await http(s.port, 'POST', '/v1/call/move', 'a=1', { authorization: 'Bearer good', 'content-type': 'application/x-www-form-urlencoded' });
    expect(unsupported.status).toBe(415);
  });

  it('answers 500 when a handler throws, logs it and keeps serving', async () => {
    const s = await startHttp();
    const r = await http(s.port, 'GET', '/boom');
    expect(r.status).toBe(500);
    expect(r.body.toString()).not.toContain('handler bug');
    expect(s.logged.some((l) => l.level === 'error')).toBe(true);
    expect((await http(s.port, 'GET', '/health')).status).toBe(200);
  });

  it('answers 404 to every request when no HTTP handler is given', async () => {
    const s = await start({ connection: echo });
    expect((await http(s.port, 'GET', '/health')).status).toBe(404);
  });
}
