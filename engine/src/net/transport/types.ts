// The one interface every transport speaks (uWebSockets.js, ws). The session layer and server are
// written against these types only and never import an adapter.

import type { Server } from 'node:http';
import type { Logger } from '../logger.ts';
import type { HttpHandler } from '../http/types.ts';

export type TransportKind = 'uws' | 'ws';

/** What the WebSocket upgrade request carried, copied out before the upgrade completes. */
export interface UpgradeRequest {
  /** Path without the query string. */
  readonly path: string;
  /** Raw query string without '?', '' when absent (tokens may come as ?token=). */
  readonly query: string;
  /** Authorization header, '' when absent. */
  readonly authorization: string;
  /** Origin header, '' when absent (browsers send it; check it against an allow-list if you need to). */
  readonly origin: string;
  readonly remoteAddress: string;
}

/** Returned by `TransportHandlers.upgrade` to refuse a WebSocket with an HTTP status. */
export interface UpgradeRejection {
  status: number;
  message: string;
}

export interface ConnectionEvents {
  /**
   * A whole message. `data` is only valid during the call (uWS reuses the memory afterwards):
   * decode it synchronously or copy it.
   */
  message: (data: Uint8Array, isBinary: boolean) => void;
  /** Fires once, however the connection ended (by either side, overflow, idle timeout, shutdown). */
  close: (code: number, reason: string) => void;
  /** After a send() returned false: the buffered amount has fallen to the drain mark. */
  drain: () => void;
}

export interface Connection {
  /** Unique per transport, from 1 upward. */
  readonly id: number;
  readonly remoteAddress: string;
  readonly request: UpgradeRequest;
  /** Bytes queued in user space, not yet handed to the kernel. */
  readonly bufferedAmount: number;
  readonly isOpen: boolean;
  /**
   * Queues a binary message; the caller may reuse `bytes` as soon as this returns. Returns true when
   * the buffered amount stays within the backpressure limit. False means: stop sending what can wait
   * (a 'drain' event follows), or the connection is closed (isOpen is false). A send that would pass
   * the hard cap (maxBufferedBytes) drops the connection with code 1008.
   */
  send(bytes: Uint8Array): boolean;
  /** Runs `fn` with sends batched into as few syscalls as possible (no-op batching on ws). */
  cork(fn: () => void): void;
  /** Closes with a close frame; 'close' fires synchronously with this code and reason. */
  close(code?: number, reason?: string): void;
  on<K extends keyof ConnectionEvents>(event: K, listener: ConnectionEvents[K]): void;
  off<K extends keyof ConnectionEvents>(event: K, listener: ConnectionEvents[K]): void;
}

export interface TransportHandlers {
  /** A WebSocket opened; attach listeners with conn.on(...) before returning. */
  connection(conn: Connection): void;
  /** Plain HTTP requests on the same port (body already read within maxBodyBytes). Default: 404. */
  http?: HttpHandler;
  /** Decides, synchronously, whether to accept a WebSocket upgrade. Return a rejection to refuse. */
  upgrade?(req: UpgradeRequest): UpgradeRejection | undefined;
}

export interface TransportStats {
  /** Open WebSocket connections. */
  connections: number;
  /** WebSocket connections accepted since start. */
  accepted: number;
  messagesIn: number;
  bytesIn: number;
  messagesOut: number;
  bytesOut: number;
  httpRequests: number;
}

export interface TransportOptions {
  /** Which implementation; default 'uws', falling back to 'ws' (with one log line) if it cannot load. */
  kind?: TransportKind;
  /** WebSocket path (e.g. '/ws'); default: upgrades on any path are WebSockets. */
  path?: string;
  /** Largest inbound WebSocket message; bigger ones close the connection with 1009. Default 64 KiB. */
  maxMessageBytes?: number;
  /** Largest HTTP request body; bigger ones get 413. Default 64 KiB. */
  maxBodyBytes?: number;
  /** send() returns false past this many buffered bytes. Default 256 KiB. */
  backpressureBytes?: number;
  /** 'drain' fires when the buffered amount falls to this. Default backpressureBytes / 2. */
  drainBytes?: number;
  /** Hard cap on buffered bytes per connection; passing it drops the connection (1008). Default 16 × backpressureBytes. */
  maxBufferedBytes?: number;
  /** Close connections silent for this long (pings are sent automatically). 0 disables. Default 120. */
  idleTimeoutSeconds?: number;
  /** ws only: attach to this node:http server instead of creating one (WebSocket upgrades only). */
  server?: Server;
  logger?: Logger;
  /** Loads the uWS module; replaceable for tests and unusual installs. */
  loadUws?: () => unknown;
}

export interface Transport {
  readonly kind: TransportKind;
  /** Starts listening; port 0 picks a free port. Resolves to the actual port. */
  listen(host: string, port: number): Promise<number>;
  /** Closes every connection (1001) and stops listening. */
  close(): Promise<void>;
  stats(): TransportStats;
}

/** The resolved options adapters work with. */
export interface TransportLimits {
  path: string | undefined;
  maxMessageBytes: number;
  maxBodyBytes: number;
  backpressureBytes: number;
  drainBytes: number;
  maxBufferedBytes: number;
  idleTimeoutSeconds: number;
}
