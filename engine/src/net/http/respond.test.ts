// Body decoding by Content-Type and answer encoding by Accept.

import { decode, encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { decodeBody, reply } from './respond.ts';
import type { HttpRequest } from './types.ts';

function req(headers: Record<string, string>, body: Uint8Array | string = ''): HttpRequest {
  return { method: 'POST', path: '/', query: '', headers, body: typeof body === 'string' ? Buffer.from(body) : body, remoteAddress: '' };
}

describe('decodeBody', () => {
  it('reads JSON (also without a content type) and msgpack', () => {
    expect(decodeBody(req({ 'content-type': 'application/json; charset=utf-8' }, '{"a":1}'))).toEqual({ a: 1 });
    expect(decodeBody(req({}, '[1,2]'))).toEqual([1, 2]);
    expect(decodeBody(req({ 'content-type': 'application/msgpack' }, encode({ b: [1, 'x'] })))).toEqual({ b: [1, 'x'] });
    expect(decodeBody(req({ 'content-type': 'application/x-msgpack' }, encode(5)))).toBe(5);
    expect(decodeBody(req({ 'content-type': 'application/json' }))).toBeUndefined();
  });

  it('answers 400 for unreadable bodies and 415 for other types', () => {
    expect(() => decodeBody(req({ 'content-type': 'application/json' }, '{'))).toThrow(expect.objectContaining({ status: 400, code: 'BAD_BODY' }));
    expect(() => decodeBody(req({ 'content-type': 'application/msgpack' }, Uint8Array.of(0xc1)))).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => decodeBody(req({ 'content-type': 'text/csv' }, 'a,b'))).toThrow(expect.objectContaining({ status: 415 }));
  });
});

describe('reply', () => {
  it('answers msgpack when accepted, JSON when asked, else in the format of the request', () => {
    const a = reply(req({ accept: 'application/json, application/msgpack;q=0.9' }), 200, { ok: true });
    expect(a.headers?.['content-type']).toBe('application/msgpack');
    expect(decode(a.body as Uint8Array)).toEqual({ ok: true });
    expect(reply(req({ 'content-type': 'application/msgpack' }), 200, 1).headers?.['content-type']).toBe('application/msgpack');
    expect(reply(req({ accept: '*/*', 'content-type': 'application/msgpack' }), 200, 1).headers?.['content-type']).toBe('application/msgpack');
    expect(reply(req({ accept: 'application/json', 'content-type': 'application/msgpack' }), 200, 1).headers?.['content-type']).toContain('application/json');
    expect(reply(req({}), 201, { x: 1 })).toEqual({ status: 201, headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"x":1}' });
  });
});
