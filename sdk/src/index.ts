// @worldline/sdk: the client for browsers and Node. Types come from the server module by
// `import type` (no codegen); the wire protocol is the engine's own (engine/src/protocol).
export { connect, WorldlineClient, type Client } from './client.ts';
export type { ConnectOptions, ClientEvents, ClientStatus, ConnectionInfo } from './options.ts';
export { ClientError, ClientErrorCodes, type ClientErrorCode, type ClientErrorDetails } from './errors.ts';
export type { TableCache } from './table-cache.ts';
export type { Subscription, AreaSubscription } from './subscriptions.ts';
export {
  me, type Me, type TableName, type Row, type Pk, type ReducerName, type ReducerArgs, type ReducerCallers,
  type Filter, type RangeFilter, type AreaOptions, type FollowTarget,
} from './types.ts';
export type { WebSocketLike, WebSocketCtor } from './websocket.ts';
export type { ReconnectOptions } from './backoff.ts';
export type { Off } from './emitter.ts';
export { Interpolator, createInterpolator, type InterpolatorOptions, type Position } from './interpolation.ts';
