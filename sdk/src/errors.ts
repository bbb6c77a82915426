// ClientError: what the SDK rejects promises with and emits as 'error'. `code` is either a server
// code (REDUCER_FAILED, BAD_ARGUMENTS, RATE_LIMITED…, see docs/protocol.md) or one of the SDK's own.

/** Codes the SDK itself produces (servers add theirs; treat unknown codes as generic errors). */
export const ClientErrorCodes = {
  /** The connection dropped while the call was in flight: it may or may not have run. */
  CONNECTION_LOST: 'CONNECTION_LOST',
  /** The client was closed (client.close(), or a fatal server error ended it). */
  CLOSED: 'CLOSED',
  /** Too many calls are queued while disconnected (see `maxQueuedCalls`). */
  QUEUE_FULL: 'QUEUE_FULL',
  /** The server does not offer this reducer (or the client is built against another module). */
  UNKNOWN_REDUCER: 'UNKNOWN_REDUCER',
  /** The table does not exist or is private (never sent to clients). */
  UNKNOWN_TABLE: 'UNKNOWN_TABLE',
  UNKNOWN_COLUMN: 'UNKNOWN_COLUMN',
  /** Arguments, a filter or an area could not be encoded. */
  BAD_ARGUMENTS: 'BAD_ARGUMENTS',
  /** A frame from the server could not be decoded or applied; the client reconnects to resync. */
  MALFORMED_FRAME: 'MALFORMED_FRAME',
  /** No WebSocket implementation: pass `WebSocket` (in Node, the `ws` package). */
  NO_WEBSOCKET: 'NO_WEBSOCKET',
  /** A listener you registered threw; the SDK kept going. */
  LISTENER_FAILED: 'LISTENER_FAILED',
} as const;

export type ClientErrorCode = (typeof ClientErrorCodes)[keyof typeof ClientErrorCodes] | (string & {});

export interface ClientErrorDetails {
  /** The reducer a failed call named. */
  readonly reducer?: string;
  readonly requestId?: number;
  /** The subscription or area an error concerns. */
  readonly queryId?: number;
  /** The server closes the connection after this error. */
  readonly fatal?: boolean;
  readonly cause?: unknown;
}

export class ClientError extends Error {
  readonly code: ClientErrorCode;
  readonly details: ClientErrorDetails;

  constructor(code: ClientErrorCode, message: string, details: ClientErrorDetails = {}) {
    super(message);
    this.name = 'ClientError';
    this.code = code;
    this.details = details;
  }
}
