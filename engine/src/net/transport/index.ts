// Public face of the transports: the one interface, the factory that picks an adapter, and the
// node:http listener for apps that mount Worldline's HTTP routes themselves.

export { createTransport } from './create-transport.ts';
export { createNodeRequestListener } from './ws/node-http.ts';
export type { NodeListenerOptions, NodeRequestListener } from './ws/node-http.ts';
export { CloseCode } from './close-codes.ts';
export { registerTransportMetrics } from './transport-metrics.ts';
export type {
  Connection,
  ConnectionEvents,
  Transport,
  TransportHandlers,
  TransportKind,
  TransportOptions,
  TransportStats,
  UpgradeRejection,
  UpgradeRequest,
} from './types.ts';
