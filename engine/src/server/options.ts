// What a studio passes to createServer(). Every option has a default that is safe for a public
// server; the CLI maps flags onto these (only the CLI reads the environment).
import type { SubscriptionOptions } from '../subscribe/index.ts';
import type { Logger } from '../tick/types.ts';
import type { TransportKind } from '../net/index.ts';
import type { Server as HttpServer } from 'node:http';

export interface ServerOptions {
  /** 'uws' (default; falls back to 'ws' with a log line if it cannot load) or 'ws'. */
  transport?: TransportKind;
  /** Attach to an existing node:http server (ws transport) instead of listening on a port. */
  httpServer?: HttpServer;
  /** WebSocket path. Default '/ws'. */
  path?: string;
  /** HMAC secret for identity tokens; default: generated once into `<dataDir>/token-secret`. */
  tokenSecret?: string;
  /** Where tokens (and, with durability, the log and snapshots) live. Default './data'. */
  dataDir?: string;
  /** Largest inbound frame in bytes (bigger ones close the connection with 1009). Default 64 KiB. */
  maxFrameBytes?: number;
  /** Reducer calls per second per connection (token bucket) and the burst allowed. */
  callsPerSecond?: number;
  callBurst?: number;
  /** Protocol errors tolerated per connection within `abuseWindowMs` before it is dropped. */
  maxProtocolErrors?: number;
  abuseWindowMs?: number;
  /** A connection must say Hello within this long. Default 10 s. */
  helloTimeoutMs?: number;
  /** Send buffer past which a client stops receiving deltas until it drains (then resyncs). A
   * resync larger than this may overshoot it once: the deltas after it queue behind it while it
   * drains, and the client is paused again only if its buffer grows past what the resync left. */
  backpressureBytes?: number;
  /** Hard cap on a connection's send buffer: passing it drops the connection (1008). It must hold
   * the largest resync frame a client can need (everything it sees). Default 16 × backpressureBytes
   * (4 MiB): with the backpressure pause, this bounds server memory per connection. */
  maxBufferedBytes?: number;
  /** Hysteresis margin for areas of interest, world units (default: 10% of the radius). */
  areaMargin?: number;
  /** Tables (by name) whose areas work by cells, for worlds with many clients: each client receives
   * every row of the grid cells its area touches, and one encoded block per cell and tick serves
   * every client that sees the cell (see docs/architecture.md, "Cell interest"). The table must be
   * public; a client cannot combine an area and query subscriptions on it. */
  cellInterest?: SubscriptionOptions['cellInterest'];
  logger?: Logger;
}

export interface ResolvedServerOptions {
  transport: TransportKind;
  path: string;
  dataDir: string;
  maxFrameBytes: number;
  callsPerSecond: number;
  callBurst: number;
  maxProtocolErrors: number;
  abuseWindowMs: number;
  helloTimeoutMs: number;
  backpressureBytes: number;
  maxBufferedBytes: number;
}

export function resolveServerOptions(o: ServerOptions): ResolvedServerOptions {
  return {
    transport: o.transport ?? (o.httpServer ? 'ws' : 'uws'),
    path: o.path ?? '/ws',
    dataDir: o.dataDir ?? './data',
    maxFrameBytes: o.maxFrameBytes ?? 64 * 1024,
    callsPerSecond: o.callsPerSecond ?? 2_000,
    callBurst: o.callBurst ?? 4_000,
    maxProtocolErrors: o.maxProtocolErrors ?? 10,
    abuseWindowMs: o.abuseWindowMs ?? 10_000,
    helloTimeoutMs: o.helloTimeoutMs ?? 10_000,
    backpressureBytes: o.backpressureBytes ?? 256 * 1024,
    maxBufferedBytes: o.maxBufferedBytes ?? 16 * (o.backpressureBytes ?? 256 * 1024),
  };
}
