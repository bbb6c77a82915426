// Defaults and validation for transport options, resolved once so adapters read plain numbers.

import { NetError } from '../errors.ts';
import type { TransportLimits, TransportOptions } from './types.ts';

const KIB = 1024;

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new NetError('BAD_OPTION', `${name} must be a positive integer, got ${value}`);
  return value;
}

export function resolveLimits(opts: TransportOptions): TransportLimits {
  const maxMessageBytes = positive('maxMessageBytes', opts.maxMessageBytes, 64 * KIB);
  const maxBodyBytes = positive('maxBodyBytes', opts.maxBodyBytes, 64 * KIB);
  const backpressureBytes = positive('backpressureBytes', opts.backpressureBytes, 256 * KIB);
  const drainBytes = opts.drainBytes ?? Math.floor(backpressureBytes / 2);
  if (!Number.isInteger(drainBytes) || drainBytes < 0 || drainBytes > backpressureBytes) {
    throw new NetError('BAD_OPTION', `drainBytes must be between 0 and backpressureBytes (${backpressureBytes}), got ${drainBytes}`);
  }
  const maxBufferedBytes = positive('maxBufferedBytes', opts.maxBufferedBytes, 16 * backpressureBytes);
  if (maxBufferedBytes < backpressureBytes) {
    throw new NetError('BAD_OPTION', `maxBufferedBytes (${maxBufferedBytes}) must be at least backpressureBytes (${backpressureBytes})`);
  }
  const idleTimeoutSeconds = opts.idleTimeoutSeconds ?? 120;
  if (!(idleTimeoutSeconds >= 0)) throw new NetError('BAD_OPTION', `idleTimeoutSeconds must be 0 or more, got ${idleTimeoutSeconds}`);
  if (opts.path !== undefined && !opts.path.startsWith('/')) {
    throw new NetError('BAD_OPTION', `path must start with '/', got "${opts.path}"`);
  }
  return { path: opts.path, maxMessageBytes, maxBodyBytes, backpressureBytes, drainBytes, maxBufferedBytes, idleTimeoutSeconds };
}
