// The frames as plain objects: what decodeFrame returns and what FrameEncoder.encode accepts.
// Byte fields (call args, row sections, msgpack filter values) are views into the decoded buffer
// unless decodeFrame was asked to copy them.
import type { TableLayout, ReducerLayout } from './layout.ts';

export interface HelloFrame {
  readonly type: 'hello';
  /** The token from a previous Welcome, to restore that identity; null for a new identity. */
  readonly token: string | null;
  /** The module version hash the client was built against, if it knows it. */
  readonly moduleVersion: string | null;
}

export interface WelcomeFrame {
  readonly type: 'welcome';
  readonly identity: string;
  readonly token: string;
  readonly connectionId: number;
  readonly moduleVersion: string;
  readonly tickRate: number;
  readonly tick: number;
  readonly tables: readonly TableLayout[];
  readonly reducers: readonly ReducerLayout[];
}

export interface CallReducer {
  /** Chosen by the client, echoed in the result; unique among its calls in flight. */
  readonly requestId: number;
  /** The reducer's id from Welcome; ignored when reducerName is set. */
  readonly reducerId: number;
  readonly reducerName: string | null;
  /** The msgpack-encoded argument object. */
  readonly args: Uint8Array;
}

export interface CallBatchFrame {
  readonly type: 'callBatch';
  readonly calls: readonly CallReducer[];
}

export interface CallFailure {
  readonly requestId: number;
  readonly code: string;
  readonly message: string;
}

export interface CallResultsFrame {
  readonly type: 'callResults';
  /** The tick the calls ran in (their effects arrive in that tick's TickUpdate). */
  readonly tick: number;
  readonly ok: readonly number[];
  readonly failed: readonly CallFailure[];
}

export type FilterOp = 'eq' | 'range' | 'ownerIsMe';

export interface Filter {
  /** Column index in the table layout. */
  readonly column: number;
  readonly op: FilterOp;
  /** msgpack value: eq's value, range's inclusive low bound (null = unbounded). */
  readonly value: Uint8Array | null;
  /** msgpack value: range's inclusive high bound (null = unbounded). */
  readonly hi: Uint8Array | null;
}

export interface SubscribeFrame {
  readonly type: 'subscribe';
  readonly queryId: number;
  readonly tableId: number;
  /** All must hold (AND). None: the whole table. */
  readonly filters: readonly Filter[];
}

export interface UnsubscribeFrame {
  readonly type: 'unsubscribe';
  readonly queryId: number;
}

/** One table's row changes: three row-codec sections (see docs/protocol.md), empty when absent. */
export interface TableUpdateData {
  readonly tableId: number;
  readonly inserts: Uint8Array;
  readonly updates: Uint8Array;
  readonly deletes: Uint8Array;
}

export interface SubscriptionAppliedFrame {
  readonly type: 'subscriptionApplied';
  readonly queryId: number;
  readonly tick: number;
  readonly tables: readonly TableUpdateData[];
}

export type Area =
  | { readonly shape: 'rect'; readonly x: number; readonly y: number; readonly halfWidth: number; readonly halfHeight: number }
  | { readonly shape: 'circle'; readonly x: number; readonly y: number; readonly radius: number };

export interface SetAreaFrame {
  readonly type: 'setArea';
  readonly queryId: number;
  readonly tableId: number;
  /** Centre and size; when following, the centre is the followed row's spatial position instead. */
  readonly area: Area;
  /** The row the area follows (usually the avatar): its table and msgpack-encoded primary key. */
  readonly follow: { readonly tableId: number; readonly pk: Uint8Array } | null;
  /** Hysteresis width in world units (a held row leaves only beyond the area plus this); null = the
   * server's default. */
  readonly margin: number | null;
}

export interface TickUpdateFrame {
  readonly type: 'tickUpdate';
  readonly tick: number;
  /** The tick's time, ms since the epoch. */
  readonly time: number;
  /** Resync: drop every row of every table, then apply (only inserts follow). */
  readonly reset: boolean;
  readonly tables: readonly TableUpdateData[];
}

export interface ErrorFrame {
  readonly type: 'error';
  readonly code: string;
  readonly message: string;
  /** The call (0 = none) or query (0 = none) the error is about. */
  readonly requestId: number;
  readonly queryId: number;
  /** The server closes the connection after sending it. */
  readonly fatal: boolean;
}

export interface PingFrame {
  readonly type: 'ping' | 'pong';
  readonly id: number;
  readonly time: number;
}

export type Frame =
  | HelloFrame | WelcomeFrame | CallBatchFrame | CallResultsFrame | SubscribeFrame | UnsubscribeFrame
  | SubscriptionAppliedFrame | SetAreaFrame | TickUpdateFrame | ErrorFrame | PingFrame;

export type FrameType = Frame['type'];
