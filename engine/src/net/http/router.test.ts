// The router matches static and parameter segments and answers 404/405/400 with JSON errors.

import { describe, expect, it } from 'vitest';
import { json } from './respond.ts';
import { Router } from './router.ts';
import { HttpError } from './types.ts';
import type { HttpRequest } from './types.ts';

function req(method: string, path: string, headers: Record<string, string> = {}): HttpRequest {
  return { method, path, query: '', headers, body: new Uint8Array(0), remoteAddress: '127.0.0.1' };
}

function bodyOf(r: { body?: string | Uint8Array }): unknown {
  return JSON.parse(typeof r.body === 'string' ? r.body : Buffer.from(r.body ?? []).toString());
}

describe('Router', () => {
  const router = new Router()
    .get('/health', () => json(200, { ok: true }))
    .post('/v1/call/:reducer', (_r, p) => json(200, { reducer: p.reducer }))
    .get('/v1/tables/:table/rows/:id', (_r, p) => json(200, p))
    .get('/teapot', () => {
      throw new HttpError(418, 'TEAPOT', 'short and stout');
    });

  it('routes by method and path, decoding parameters', async () => {
    expect(bodyOf(await router.handle(req('GET', '/health')))).toEqual({ ok: true });
    expect(bodyOf(await router.handle(req('POST', '/v1/call/move%20fast')))).toEqual({ reducer: 'move fast' });
    expect(bodyOf(await router.handle(req('GET', '/v1/tables/player/rows/7')))).toEqual({ table: 'player', id: '7' });
    expect((await router.handle(req('GET', '/health/'))).status).toBe(200);
  });

  it('answers HEAD like GET', async () => {
    expect((await router.handle(req('HEAD', '/health'))).status).toBe(200);
  });

  it('answers 404 for an unknown path and 405 with Allow for a wrong method', async () => {
    const missing = await router.handle(req('GET', '/v1/call'));
    expect(missing.status).toBe(404);
    expect(bodyOf(missing)).toMatchObject({ code: 'NOT_FOUND' });
    const wrong = await router.handle(req('PUT', '/v1/call/move'));
    expect(wrong.status).toBe(405);
    expect(wrong.headers?.allow).toBe('POST');
  });

  it('answers 400 for broken percent-encoding and maps HttpError to its status', async () => {
    expect((await router.handle(req('POST', '/v1/call/%E0%A4%A'))).status).toBe(400);
    const tea = await router.handle(req('GET', '/teapot'));
    expect(tea.status).toBe(418);
    expect(bodyOf(tea)).toEqual({ error: 'short and stout', code: 'TEAPOT' });
  });

  it('lets other errors through for the transport to log as internal faults', async () => {
    const r = new Router().get('/x', () => {
      throw new Error('bug');
    });
    await expect(r.handle(req('GET', '/x'))).rejects.toThrow('bug');
  });
});
