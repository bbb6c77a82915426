// Signed identity tokens: `v1.<identity>.<issuedAt>.<sig>`, sig = base64url(HMAC-SHA256(secret,
// "v1.<identity>.<issuedAt>")). Holding the token proves the identity; verification compares the
// signature in constant time and names what was wrong with a rejected token.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { NetError } from '../errors.ts';
import { isIdentity, newIdentity } from './identity.ts';
import type { Identity } from '../../schema/column.ts';

export const TOKEN_VERSION = 'v1';
/** Secrets shorter than this are refused: HMAC security is bounded by the key's entropy. */
export const MIN_SECRET_BYTES = 16;

export interface TokenClaims {
  identity: Identity;
  /** Milliseconds since the epoch when the token was issued. */
  issuedAt: number;
}

export type TokenCheck = ({ ok: true } & TokenClaims) | { ok: false; code: TokenErrorCode; message: string };
export type TokenErrorCode = 'TOKEN_MALFORMED' | 'TOKEN_UNSUPPORTED_VERSION' | 'TOKEN_BAD_SIGNATURE' | 'TOKEN_EXPIRED';

export interface TokenAuthorityOptions {
  /** The HMAC key (at least 16 bytes; a string is taken as UTF-8). See loadOrCreateSecret. */
  secret: Uint8Array | string;
  /** Clock for issuedAt and expiry, ms since the epoch. Default Date.now. */
  now?: () => number;
  /** Tokens older than this are refused with TOKEN_EXPIRED. Default: tokens never expire. */
  maxAgeMs?: number;
}

const ISSUED_RE = /^(0|[1-9][0-9]{0,15})$/;

export class TokenAuthority {
  private readonly key: Buffer;
  private readonly now: () => number;
  private readonly maxAgeMs: number;

  constructor(opts: TokenAuthorityOptions) {
    this.key = typeof opts.secret === 'string' ? Buffer.from(opts.secret, 'utf8') : Buffer.from(opts.secret);
    if (this.key.length < MIN_SECRET_BYTES) {
      throw new NetError('SECRET_INVALID', `the token secret must be at least ${MIN_SECRET_BYTES} bytes; use 32 random bytes`);
    }
    this.now = opts.now ?? Date.now;
    this.maxAgeMs = opts.maxAgeMs ?? Infinity;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }

  /** A token for `identity`, or for a freshly minted identity when none is given. */
  issue(identity: Identity = newIdentity()): { identity: Identity; token: string } {
    if (!isIdentity(identity)) throw new NetError('BAD_OPTION', 'an identity is 64 lower-case hex characters');
    const payload = `${TOKEN_VERSION}.${identity}.${Math.floor(this.now())}`;
    return { identity, token: `${payload}.${this.sign(payload)}` };
  }

  /** Checks a token without throwing (for per-connection paths). */
  check(token: string): TokenCheck {
    if (typeof token !== 'string' || token.length > 256) return malformed();
    const parts = token.split('.');
    if (parts.length !== 4) return malformed();
    const [version, identity, issued, sig] = parts;
    if (version !== TOKEN_VERSION) {
      return { ok: false, code: 'TOKEN_UNSUPPORTED_VERSION', message: `token version "${version}" is not supported; reconnect without a token to get a new one` };
    }
    if (!isIdentity(identity) || !ISSUED_RE.test(issued)) return malformed();
    // Compare the canonical encodings, not decoded bytes: base64url decoding ignores the unused low
    // bits of the last character, so a decoded compare would accept some altered tokens.
    const expected = Buffer.from(this.sign(`${version}.${identity}.${issued}`), 'latin1');
    const given = Buffer.from(sig, 'latin1');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, code: 'TOKEN_BAD_SIGNATURE', message: 'the token was not signed by this server (forged, altered, or the secret changed); reconnect without a token' };
    }
    const issuedAt = Number(issued);
    if (this.now() - issuedAt > this.maxAgeMs) {
      return { ok: false, code: 'TOKEN_EXPIRED', message: 'the token has expired; reconnect without a token to get a new one' };
    }
    return { ok: true, identity, issuedAt };
  }

  /** Verifies a token; throws NetError with a TOKEN_* code when it is refused. */
  verify(token: string): TokenClaims {
    const r = this.check(token);
    if (!r.ok) throw new NetError(r.code, r.message);
    return { identity: r.identity, issuedAt: r.issuedAt };
  }
}

function malformed(): TokenCheck {
  return { ok: false, code: 'TOKEN_MALFORMED', message: 'the token is not of the form v1.<identity>.<issuedAt>.<signature>; send the token the server issued' };
}
