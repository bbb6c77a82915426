// Picks the transport: uWebSockets.js unless `ws` is asked for, attaching to an existing server
// is asked for, or uWS cannot load here (then `ws`, with one log line saying why).

import { NetError } from '../errors.ts';
import { consoleLogger } from '../logger.ts';
import { resolveLimits } from './limits.ts';
import type { Transport, TransportHandlers, TransportOptions } from './types.ts';
import { loadNativeUws } from './uws/load-uws.ts';
import type { UwsModule } from './uws/load-uws.ts';
import { UwsTransport } from './uws/uws-transport.ts';
import { WsTransport } from './ws/ws-transport.ts';

export function createTransport(handlers: TransportHandlers, options: TransportOptions = {}): Transport {
  const limits = resolveLimits(options);
  const logger = options.logger ?? consoleLogger;
  if (options.server && options.kind === 'uws') {
    throw new NetError('BAD_OPTION', "uWebSockets.js cannot attach to a node:http server; use kind: 'ws' with server, or drop server to listen on a port");
  }
  if (options.kind === 'ws' || options.server) return new WsTransport(handlers, limits, logger, options.server);
  let uws: UwsModule;
  try {
    uws = (options.loadUws ?? loadNativeUws)() as UwsModule;
  } catch (e) {
    logger.warn(`uWebSockets.js could not load (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); using the ws transport instead`);
    return new WsTransport(handlers, limits, logger);
  }
  return new UwsTransport(uws, handlers, limits, logger);
}
