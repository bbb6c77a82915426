// Tokens: issued tokens verify to their identity; forged, altered and garbage tokens are refused
// with a code saying why.

import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isIdentity, newIdentity } from './identity.ts';
import { TokenAuthority } from './token.ts';
import { tokenFromRequest } from './token-from-request.ts';

const SECRET = Buffer.alloc(32, 7);

describe('identities', () => {
  it('are 64 lower-case hex characters and distinct', () => {
    const a = newIdentity();
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(isIdentity(a)).toBe(true);
    expect(newIdentity()).not.toBe(a);
    expect(isIdentity(a.toUpperCase())).toBe(false);
    expect(isIdentity(a.slice(1))).toBe(false);
    expect(isIdentity(42)).toBe(false);
  });
});

describe('TokenAuthority', () => {
  const auth = new TokenAuthority({ secret: SECRET, now: () => 1_700_000_000_000 });

  it('issues v1.<identity>.<issuedAt>.<sig> tokens that verify to the identity', () => {
    const { identity, token } = auth.issue();
    expect(isIdentity(identity)).toBe(true);
    const [v, id, issued, sig] = token.split('.');
    expect([v, id, issued]).toEqual(['v1', identity, '1700000000000']);
    expect(sig).toBe(createHmac('sha256', SECRET).update(`v1.${identity}.1700000000000`).digest('base64url'));
    expect(auth.verify(token)).toEqual({ identity, issuedAt: 1_700_000_000_000 });
  });

  it('re-issues a token for a known identity (reconnect restores it)', () => {
    const id = newIdentity();
    expect(auth.verify(auth.issue(id).token).identity).toBe(id);
    expect(() => auth.issue('not-an-identity')).toThrow(/64 lower-case hex/);
  });

  it('refuses a token signed with another secret', () => {
    const other = new TokenAuthority({ secret: Buffer.alloc(32, 8) });
    const r = auth.check(other.issue().token);
    expect(r).toMatchObject({ ok: false, code: 'TOKEN_BAD_SIGNATURE' });
  });

  it('refuses a token whose identity or time was swapped', () => {
    const { token } = auth.issue();
    const [v, , issued, sig] = token.split('.');
    expect(auth.check([v, newIdentity(), issued, sig].join('.'))).toMatchObject({ ok: false, code: 'TOKEN_BAD_SIGNATURE' });
    const [, id] = token.split('.');
    expect(auth.check([v, id, '1', sig].join('.'))).toMatchObject({ ok: false, code: 'TOKEN_BAD_SIGNATURE' });
  });

  it('refuses every single-character alteration of a token', () => {
    const { token } = auth.issue();
    const alphabet = '0123456789abcdefABCDEF-_.xv';
    fc.assert(
      fc.property(fc.integer({ min: 0, max: token.length - 1 }), fc.constantFrom(...alphabet), (i, ch) => {
        fc.pre(token[i] !== ch);
        const altered = token.slice(0, i) + ch + token.slice(i + 1);
        expect(auth.check(altered).ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses the last signature character changed in its unused bits', () => {
    // 32 bytes take 43 base64url characters; the last one carries 2 unused bits, so 'A' and 'B'
    // can decode to the same bytes. Comparing encodings catches it.
    const { token } = auth.issue();
    const last = token[token.length - 1];
    const codes = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = codes[codes.indexOf(last) ^ 1];
    const altered = token.slice(0, -1) + sibling;
    expect(Buffer.from(altered.split('.')[3], 'base64url')).toEqual(Buffer.from(token.split('.')[3], 'base64url'));
    expect(auth.check(altered)).toMatchObject({ ok: false, code: 'TOKEN_BAD_SIGNATURE' });
  });

  it('names malformed and unsupported tokens', () => {
    for (const garbage of ['', 'abc', 'v1.x.y.z', 'v1...', `v1.${newIdentity()}.-1.sig`, `v1.${newIdentity()}.01.sig`, 'x'.repeat(1000)]) {
      expect(auth.check(garbage)).toMatchObject({ ok: false, code: 'TOKEN_MALFORMED' });
    }
    expect(auth.check(`v2.${newIdentity()}.1.sig`)).toMatchObject({ ok: false, code: 'TOKEN_UNSUPPORTED_VERSION' });
    expect(() => auth.verify('garbage')).toThrow(expect.objectContaining({ name: 'NetError', code: 'TOKEN_MALFORMED' }));
  });

  it('never throws from check(), whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        expect(auth.check(s).ok).toBe(false);
      }),
    );
  });

  it('expires tokens older than maxAgeMs when asked', () => {
    let now = 1000;
    const expiring = new TokenAuthority({ secret: SECRET, now: () => now, maxAgeMs: 60_000 });
    const { token } = expiring.issue();
    now += 60_000;
    expect(expiring.check(token).ok).toBe(true);
    now += 1;
    expect(expiring.check(token)).toMatchObject({ ok: false, code: 'TOKEN_EXPIRED' });
  });

  it('refuses short secrets', () => {
    expect(() => new TokenAuthority({ secret: 'short' })).toThrow(expect.objectContaining({ code: 'SECRET_INVALID' }));
  });
});

describe('tokenFromRequest', () => {
  it('reads a bearer header first, then ?token=', () => {
    expect(tokenFromRequest({ query: 'token=q', authorization: 'Bearer h' })).toBe('h');
    expect(tokenFromRequest({ query: 'a=1&token=v1.x%2By', authorization: '' })).toBe('v1.x+y');
    expect(tokenFromRequest({ query: 'token=q', authorization: 'Basic abc' })).toBe('q');
    expect(tokenFromRequest({ query: '', authorization: 'bearer  lower ' })).toBe('lower');
    expect(tokenFromRequest({ query: 'token=', authorization: '' })).toBeUndefined();
    expect(tokenFromRequest({ query: '', authorization: '' })).toBeUndefined();
  });
});
