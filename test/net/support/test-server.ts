// Starts a real createServer() on 127.0.0.1 (port 0, data dir in os.tmpdir()) for one transport,
// with a logger that keeps what the server logged, and lets a test take over the tick loop to step
// ticks itself (deterministic quiescence: the world changes only when the test says so).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type ServerOptions, type WorldlineServer } from '@worldline/engine/server';
import type { ModuleDef, Logger } from '@worldline/engine';
import { RawClient } from './raw-client.ts';

export const TRANSPORTS = ['uws', 'ws'] as const;
export type TransportName = (typeof TRANSPORTS)[number];

export interface CollectingLogger extends Logger {
  readonly errors: string[];
  readonly warnings: string[];
}

export function collectingLogger(): CollectingLogger {
  const errors: string[] = [], warnings: string[] = [];
  return {
    errors, warnings,
    info: () => {},
    warn: (m) => { warnings.push(m); },
    error: (m, e) => { errors.push(`${m}${e ? `: ${e instanceof Error ? e.stack ?? e.message : String(e)}` : ''}`); },
  };
}

export interface TestServer<M extends ModuleDef> {
  readonly server: WorldlineServer<M>;
  readonly port: number;
  /** ws://127.0.0.1:port/ws */
  readonly url: string;
  /** http://127.0.0.1:port */
  readonly http: string;
  readonly log: CollectingLogger;
  connect(token?: string | null): Promise<RawClient>;
  /** Stops the server's tick loop: from now on only step() advances the world. */
  takeOverTicks(): Promise<void>;
  /** Runs `n` ticks (after takeOverTicks) and resolves with the last tick number. */
  step(n?: number): Promise<number>;
  /** Resolves once the running loop has completed a tick after `tick`. */
  tickAfter(tick: number): Promise<number>;
  close(): Promise<void>;
}

export async function startServer<M extends ModuleDef>(module: M, transport: TransportName, options: ServerOptions = {}): Promise<TestServer<M>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wl-net-test-'));
  const log = collectingLogger();
  const server = createServer(module, { tokenSecret: 'integration-test-secret-0123456789abcdef', ...options, dataDir, logger: log, transport });
  const port = await server.listen(0, '127.0.0.1');
  const url = `ws://127.0.0.1:${port}/ws`;
  const clients: RawClient[] = [];
  const world = server.world;
  return {
    server, port, url, http: `http://127.0.0.1:${port}`, log,
    async connect(token = null) {
      const c = await RawClient.connect(url, token);
      clients.push(c);
      return c;
    },
    async takeOverTicks() { await world.stop(); },
    async step(n = 1) {
      for (let i = 0; i < n; i++) await world.stepAsync();
      return world.tick;
    },
    tickAfter(tick) {
      return new Promise((resolve) => {
        if (world.tick > tick) { resolve(world.tick); return; }
        // Unsubscribe after the publish loop: removing a listener while it runs would skip the next one.
        const off = world.onPublish((r) => { if (r.tick > tick) { queueMicrotask(off); resolve(r.tick); } });
      });
    },
    async close() {
      for (const c of clients) if (!c.closeInfo) c.ws.terminate();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
