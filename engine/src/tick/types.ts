// The records a tick consumes and produces. A TickInputRecord is everything a tick reads besides the
// state, so the replay log stores exactly this and re-executing it reproduces the tick.
import type { Identity } from '../schema/column.ts';
import type { ErrorCode } from '../errors/index.ts';
import type { ChangeSet } from '../tx/change-set.ts';

export type TickInput =
  | { k: 'call'; reducer: string; sender: Identity; conn: number; args: unknown }
  | { k: 'init' | 'connect' | 'disconnect'; sender: Identity; conn: number };

export interface TickInputRecord {
  tick: number;
  /** ms since the epoch: ctx.now for every call in the tick. */
  time: number;
  seed: number;
  inputs: TickInput[];
}

export type CallResult = { ok: true } | { ok: false; code: ErrorCode; error: string };
export const OK: CallResult = Object.freeze({ ok: true as const });

export interface TickReport extends TickInputRecord {
  /** World hash after the tick (16 hex chars). */
  hash: string;
  /** One result per input, aligned with `inputs`. */
  results: CallResult[];
  /** Valid until the next tick starts. */
  changes: ChangeSet;
  /** performance.now() when the tick started. */
  startedAt: number;
}

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string, err?: unknown): void;
}

export const consoleLogger: Logger = {
  info: (m) => console.log(`[worldline] ${m}`),
  warn: (m) => console.warn(`[worldline] warning: ${m}`),
  error: (m, e) => console.error(`[worldline] error: ${m}`, e ?? ''),
};

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

export interface WorldOptions {
  /** World seed: ctx.random() in tick n is seeded from (seed, n). */
  seed?: number;
  /** Source of tick times (default Date.now); tests pass a virtual clock. */
  clock?: () => number;
  /** Report Date.now / Math.random / performance.now used inside reducers. */
  dev?: boolean;
  logger?: Logger;
}
