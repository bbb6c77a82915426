// Public face of the networked server: createServer() and its options.
export { createServer, type WorldlineServer } from './create-server.ts';
export type { ServerOptions } from './options.ts';
