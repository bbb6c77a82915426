// createServer(): a world on the network. Wires the transport (uWS or ws), the HTTP routes
// (/health, /metrics, POST /v1/call/:reducer), sessions, subscriptions and the encode-once delta
// sender around a World the caller made (or one made here).
import { createTransport, createTokenAuthority, Router, registerWorldlineRoutes, type Transport, type TokenAuthority, type MetricsRegistry } from '../net/index.ts';
import { FrameEncoder } from '../protocol/index.ts';
import { moduleLayouts, type ModuleLayouts } from '../protocol/module-layouts.ts';
import { SubscriptionManager } from '../subscribe/index.ts';
import { createWorld, type World } from '../tick/world.ts';
import type { ModuleDef } from '../module/define.ts';
import { consoleLogger } from '../tick/types.ts';
import { resolveServerOptions, type ServerOptions, type ResolvedServerOptions } from './options.ts';
import { Session } from './session.ts';
import { DeltaSender } from './delta-sender.ts';
import { buildMetrics, newCounters, type ServerCounters } from './server-metrics.ts';
import { IdentityLimiter } from './identity-limiter.ts';

export interface WorldlineServer<M extends ModuleDef = ModuleDef> {
  readonly world: World<M>;
  readonly subscriptions: SubscriptionManager;
  readonly metrics: MetricsRegistry;
  readonly tokens: TokenAuthority;
  readonly counters: ServerCounters;
  /** Listens (port 0 picks a free one), starts the tick loop; resolves to the port. */
  listen(port?: number, host?: string): Promise<number>;
  /** Disconnects everyone, stops the tick loop and the transport. */
  close(): Promise<void>;
  /** Open sessions (connections that said Hello). */
  readonly sessionCount: number;
}

export function createServer<M extends ModuleDef>(module: M, options: ServerOptions & { world?: World<M> } = {}): WorldlineServer<M> {
  const o: ResolvedServerOptions = resolveServerOptions(options);
  const logger = options.logger ?? consoleLogger;
  const world = options.world ?? createWorld(module, { logger });
  const layouts: ModuleLayouts = moduleLayouts(module);
  const tokens = createTokenAuthority({ secret: options.tokenSecret, dataDir: o.dataDir, logger });
  const encoder = new FrameEncoder(64 * 1024);
  const counters = newCounters();
  const subs = new SubscriptionManager(world, { margin: options.areaMargin, cellInterest: options.cellInterest });
  const sessions = new Map<number, Session>();

  const sender = new DeltaSender(subs, layouts.tables, world.db.tables.length, {
    sendDelta(clientId, bytes, reset) {
      const s = sessions.get(clientId);
      if (!s || s.paused || !s.sendDelta(bytes, reset)) return;
      counters.deltaBytes += bytes.length;
      counters.deltaFrames++;
    },
  });
  subs.setSink(sender);
  // Registered after the subscription manager's own publisher, so it runs after each tick's updates.
  const toAcknowledge = new Set<Session>();
  world.onPublish((report) => {
    for (const s of toAcknowledge) s.acknowledgeApplied(report.tick);
    toAcknowledge.clear();
  });

  const deps = {
    world, subs, layouts, tokens, encoder, options: o, counters,
    onClosed: (s: Session) => { sessions.delete(s.id); toAcknowledge.delete(s); },
    onApplied: (s: Session) => { toAcknowledge.add(s); },
  };

  const router = new Router();
  const httpLimiter = new IdentityLimiter(o.callsPerSecond, o.callBurst);
  const transport: Transport = createTransport({
    connection(conn) {
      sessions.set(conn.id, new Session(conn, deps));
    },
    http: router.handler,
  }, {
    kind: o.transport, path: o.path, maxMessageBytes: o.maxFrameBytes, backpressureBytes: o.backpressureBytes,
    maxBufferedBytes: o.maxBufferedBytes,
    server: options.httpServer, logger,
  });
  const registry = buildMetrics(world, transport, subs, counters);
  registerWorldlineRoutes(router, {
    metrics: registry,
    health: () => ({ ok: world.isRunning, tick: world.tick, sessions: sessions.size }),
    authenticate: (token) => tokens.verify(token).identity,
    call: (reducer, args, identity) => {
      if (!httpLimiter.take(identity)) {
        counters.callErrors++;
        return Promise.resolve({ ok: false, code: 'RATE_LIMITED', error: `more than ${o.callsPerSecond} calls per second for this identity; slow down` });
      }
      return world.call(reducer, args, { sender: identity });
    },
  });
  router.post('/v1/identity', () => {
    const { identity, token } = tokens.issue();
    return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identity, token }) };
  });


  let listening = false;
  return {
    world, subscriptions: subs, tokens, counters,
    get metrics() { return registry; },
    get sessionCount() { return sessions.size; },
    async listen(port = 0, host = '127.0.0.1') {
      const actual = await transport.listen(host, port);
      listening = true;
      world.start();
      return actual;
    },
    async close() {
      await world.stop();
      if (listening || options.httpServer) await transport.close();
      subs.close();
    },
  };
}
