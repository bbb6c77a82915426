// What connect() accepts, and the events a client emits.
import type { ProtocolLimits } from '@worldline/engine/protocol/index.ts';
import type { ClientError } from './errors.ts';
import type { WebSocketCtor } from './websocket.ts';
import type { ReconnectOptions } from './backoff.ts';

export interface ConnectOptions {
  /** The server's WebSocket URL, e.g. ws://127.0.0.1:3000/ws. */
  url: string;
  /** A token from an earlier session (client.token / onToken) to come back as the same identity. */
  token?: string | null;
  /** The WebSocket class. Browsers: omitted (globalThis.WebSocket). Node: `import WebSocket from 'ws'`. */
  WebSocket?: WebSocketCtor;
  /** Reconnect with exponential backoff between minMs and maxMs (defaults 250 / 5000); false: never. */
  reconnect?: ReconnectOptions | false;
  /** Called with every new token the server issues: store it to keep the identity across sessions. */
  onToken?: (token: string) => void;
  /** Calls made while disconnected wait for the connection, up to this many (default 256); more
   * are rejected with QUEUE_FULL. 0 rejects every call made while disconnected. */
  maxQueuedCalls?: number;
  /** The module version hash the client was built for (sent in ClientHello; informational). */
  moduleVersion?: string;
  /** Decoding limits for frames from the server (defaults: DEFAULT_LIMITS). */
  limits?: Partial<ProtocolLimits>;
  /** Where listener exceptions go when nobody listens to 'error'. Default: console. */
  logger?: { warn(message: string, ...rest: unknown[]): void };
}

export interface ConnectionInfo {
  readonly identity: string;
  readonly connectionId: number;
}

export interface ClientEvents {
  /** First successful connection; the cache holds every subscription's rows. */
  connect: (info: ConnectionInfo) => void;
  /** Connected again after a drop; subscriptions are back and the cache is resynced. */
  reconnect: (info: ConnectionInfo) => void;
  disconnect: (info: { readonly code: number; readonly reason: string; readonly willReconnect: boolean }) => void;
  error: (err: ClientError) => void;
  /** After each TickUpdate has been applied and its row callbacks have run. */
  tick: (info: { readonly tick: number; readonly time: number }) => void;
}

export type ClientStatus = 'connecting' | 'syncing' | 'connected' | 'waiting' | 'closed';
