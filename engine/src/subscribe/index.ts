// Public face of the subscription layer: per-world interest management (query subscriptions, areas
// of interest, visibility) that turns each tick's change set into per-client deltas. It imports no
// transport and no wire format; the server encodes the deltas (see protocol/) and sends them (net/).
export { SubscriptionManager, type SubscriptionTimings, type PublishingWorld } from './subscription-manager.ts';
export type {
  ClientId, QueryFilter, QuerySpec, AreaSpec, TableDelta, ClientDelta, EncodeList, DeltaSink, SubscriptionOptions,
  CellTableDelta, CellTickData, CellInterestOptions,
} from './types.ts';
