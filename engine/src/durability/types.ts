// Shared types of the durability layer: log records, settings and the logger it reports through.

/** What a setting promises after a crash is described in docs/durability.md. */
export type DurabilityMode = 'memory' | 'os' | 'durable';

/** What happens to log segments older than the oldest kept snapshot. */
export type Retention = 'keep' | 'archive';

export interface DurabilityLogger {
  warn(message: string): void;
  info?(message: string): void;
}

/** One input of a tick, as the engine queues it. Unknown kinds are stored verbatim. */
export interface LoggedInput {
  k: string;
  reducer?: string;
  sender?: string;
  conn?: number;
  args?: unknown;
  [extra: string]: unknown;
}

/** A re-executable tick: what `world.runTick` takes. */
export interface TickLogRecord {
  kind: 'tick';
  tick: number;
  time: number;
  seed: number;
  inputs: LoggedInput[];
  /** State hash after the tick. */
  hash: string;
}

/** The live world was set back to the state it had after `toTick`; this consumes tick number `tick`
 * so the log stays strictly increasing and no history is overwritten. */
export interface RestoreLogRecord {
  kind: 'restore';
  tick: number;
  time: number;
  toTick: number;
  /** State hash after the restore (equal to the hash after `toTick`). */
  hash: string;
}

export type LogRecord = TickLogRecord | RestoreLogRecord;

export const consoleLogger: DurabilityLogger = {
  warn: (m) => console.warn(`[worldline durability] ${m}`),
  info: () => {},
};
