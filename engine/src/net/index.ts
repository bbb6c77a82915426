// Public face of the network edge: transports (uWS, ws), HTTP (router, metrics, routes), identity
// tokens and per-connection limits. No engine or game logic lives here; the session layer that
// decodes frames and talks to the world is built on top.

export * from './transport/index.ts';
export * from './http/index.ts';
export * from './identity/index.ts';
export * from './limits/index.ts';
export { NetError } from './errors.ts';
export type { NetErrorCode } from './errors.ts';
