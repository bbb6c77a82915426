// Where the token secret comes from: the configuration, or a file in the data directory that is
// created once (32 random bytes, mode 0600) and reused so tokens survive restarts.

import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NetError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { MIN_SECRET_BYTES } from './token.ts';

export const SECRET_FILE_NAME = 'token-secret';

export interface SecretSource {
  /** A configured secret wins: hex (64+ chars) is decoded, any other string is used as UTF-8. */
  secret?: Uint8Array | string;
  /** Directory holding the secret file when no secret is configured. */
  dataDir?: string;
  fileName?: string;
  logger?: Logger;
}

/** Returns the token secret, creating and storing one in `dataDir` on first use. */
export function loadOrCreateSecret(src: SecretSource): Buffer {
  if (src.secret !== undefined) return checked(decodeConfigured(src.secret), 'the configured token secret');
  if (!src.dataDir) {
    throw new NetError('SECRET_INVALID', 'configure a token secret or a data directory to keep a generated one in');
  }
  const file = join(src.dataDir, src.fileName ?? SECRET_FILE_NAME);
  mkdirSync(src.dataDir, { recursive: true });
  try {
    writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    src.logger?.info(`generated a token secret in ${file}`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077) {
    chmodSync(file, 0o600);
    src.logger?.warn(`${file} was readable by others (mode ${mode.toString(8)}); restricted it to 0600`);
  }
  const text = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]+$/i.test(text) || text.length % 2) {
    throw new NetError('SECRET_INVALID', `${file} does not hold a hex secret; delete it to generate a new one (existing tokens stop working)`);
  }
  return checked(Buffer.from(text, 'hex'), file);
}

function decodeConfigured(secret: Uint8Array | string): Buffer {
  if (typeof secret !== 'string') return Buffer.from(secret);
  return /^[0-9a-f]{64,}$/i.test(secret) && secret.length % 2 === 0 ? Buffer.from(secret, 'hex') : Buffer.from(secret, 'utf8');
}

function checked(key: Buffer, what: string): Buffer {
  if (key.length < MIN_SECRET_BYTES) {
    throw new NetError('SECRET_INVALID', `${what} is shorter than ${MIN_SECRET_BYTES} bytes; use 32 random bytes (64 hex characters)`);
  }
  return key;
}
