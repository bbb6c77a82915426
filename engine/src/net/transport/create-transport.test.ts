// Which transport createTransport picks, and the one log line when uWebSockets.js cannot load.

import { once } from 'node:events';
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../logger.ts';
import { silentLogger } from '../logger.ts';
import { WebSocket } from 'ws';
import { MetricsRegistry } from '../http/metrics.ts';
import { createTransport } from './create-transport.ts';
import { registerTransportMetrics } from './transport-metrics.ts';

function recorder(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
}

describe('createTransport', () => {
  it('uses uWebSockets.js by default', async () => {
    const t = createTransport({ connection: () => {} }, { logger: silentLogger });
    expect(t.kind).toBe('uws');
    await t.close();
  });

  it("uses ws when asked", async () => {
    const t = createTransport({ connection: () => {} }, { kind: 'ws', logger: silentLogger });
    expect(t.kind).toBe('ws');
    await t.close();
  });

  it('falls back to ws with one warning when uWebSockets.js cannot load', async () => {
    const log = recorder();
    const t = createTransport(
      { connection: () => {} },
      {
        logger: log,
        loadUws: () => {
          throw new Error('Cannot find module uws_linux_x64_999.node\nRequire stack: ...');
        },
      },
    );
    expect(t.kind).toBe('ws');
    expect(log.lines).toEqual(['warn uWebSockets.js could not load (Cannot find module uws_linux_x64_999.node); using the ws transport instead']);
    const port = await t.listen('127.0.0.1', 0);
    expect(port).toBeGreaterThan(0);
    await t.close();
  });

  it('attaching to a node:http server implies ws, and refuses uws', () => {
    const server = createServer();
    expect(createTransport({ connection: () => {} }, { server, logger: silentLogger }).kind).toBe('ws');
    expect(() => createTransport({ connection: () => {} }, { server, kind: 'uws', logger: silentLogger })).toThrow(/cannot attach/);
  });

  it('rejects invalid limits with BAD_OPTION', () => {
    expect(() => createTransport({ connection: () => {} }, { maxMessageBytes: 0 })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
    expect(() => createTransport({ connection: () => {} }, { backpressureBytes: 1000, maxBufferedBytes: 10 })).toThrow(/maxBufferedBytes/);
    expect(() => createTransport({ connection: () => {} }, { path: 'ws' })).toThrow(/path must start/);
  });

  it('reports LISTEN_FAILED when the port is taken, for both transports', async () => {
    const first = createTransport({ connection: () => {} }, { logger: silentLogger });
    const port = await first.listen('127.0.0.1', 0);
    for (const kind of ['uws', 'ws'] as const) {
      const second = createTransport({ connection: () => {} }, { kind, logger: silentLogger });
      await expect(second.listen('127.0.0.1', port)).rejects.toMatchObject({ code: 'LISTEN_FAILED' });
      await second.close();
    }
    await first.close();
  });
});

describe('registerTransportMetrics', () => {
  it('publishes the transport counters at each scrape', async () => {
    const t = createTransport({ connection: (c) => c.on('message', (d) => c.send(d)) }, { logger: silentLogger });
    const registry = new MetricsRegistry();
    registerTransportMetrics(registry, t);
    const port = await t.listen('127.0.0.1', 0);
    expect(registry.render()).toContain('worldline_connections 0');
    const ws = new WebSocket(`ws://127.0.0.1:${port}`);
    await once(ws, 'open');
    const reply = once(ws, 'message');
    ws.send(new Uint8Array(10));
    await reply;
    const text = registry.render();
    expect(text).toContain('worldline_connections 1');
    expect(text).toContain('# TYPE worldline_bytes_received_total counter');
    expect(text).toContain('worldline_bytes_received_total 10');
    expect(text).toContain('worldline_messages_sent_total 1');
    ws.terminate();
    await t.close();
  });
});
