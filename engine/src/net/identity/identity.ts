// Identities: 32 random bytes written as 64 lower-case hex characters, the form reducers see as
// ctx.sender and tables store in identity columns.

import { randomBytes } from 'node:crypto';
import type { Identity } from '../../schema/column.ts';

const IDENTITY_RE = /^[0-9a-f]{64}$/;

/** A fresh identity from the OS's cryptographic random source. */
export function newIdentity(): Identity {
  return randomBytes(32).toString('hex');
}

export function isIdentity(value: unknown): value is Identity {
  return typeof value === 'string' && IDENTITY_RE.test(value);
}
