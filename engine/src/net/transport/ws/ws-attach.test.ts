// The ws transport attached to an application's own node:http server: Worldline takes the
// WebSocket upgrades on its path and leaves plain requests and other WebSocket paths to the app.

import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { silentLogger } from '../../logger.ts';
import { Router } from '../../http/router.ts';
import { json } from '../../http/respond.ts';
import { createTransport } from '../create-transport.ts';
import type { Connection, Transport } from '../types.ts';
import { createNodeRequestListener } from './node-http.ts';

describe('ws transport attached to an existing node:http server', () => {
  let server: Server | undefined;
  let transport: Transport | undefined;

  afterEach(async () => {
    await transport?.close();
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    server?.closeAllConnections();
    server = undefined;
    transport = undefined;
  });

  async function appServer(): Promise<number> {
    server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`app answered ${req.url}`);
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    const addr = server.address();
    return typeof addr === 'object' && addr ? addr.port : 0;
  }

  it('serves WebSockets on its path while the app answers HTTP', async () => {
    const port = await appServer();
    const conns: Connection[] = [];
    transport = createTransport(
      { connection: (c) => (conns.push(c), c.on('message', (d) => c.send(d))) },
      { server, path: '/worldline', logger: silentLogger },
    );
    expect(transport.kind).toBe('ws');
    expect(await transport.listen('127.0.0.1', 0)).toBe(port);

    const ws = new WebSocket(`ws://127.0.0.1:${port}/worldline?token=x`);
    await once(ws, 'open');
    const reply = once(ws, 'message');
    ws.send(Uint8Array.of(4, 2));
    expect([...((await reply)[0] as Buffer)]).toEqual([4, 2]);
    expect(conns[0].request.query).toBe('token=x');

    const res = await fetch(`http://127.0.0.1:${port}/anything`);
    expect(await res.text()).toBe('app answered /anything');
    ws.terminate();
  });

  it('refuses upgrades on other paths with 404 when nobody else takes them', async () => {
    const port = await appServer();
    transport = createTransport({ connection: () => {} }, { server, path: '/worldline', logger: silentLogger });
    const ws = new WebSocket(`ws://127.0.0.1:${port}/elsewhere`);
    ws.on('error', () => {});
    const [, res] = await once(ws, 'unexpected-response');
    expect((res as { statusCode: number }).statusCode).toBe(404);
  });

  it("leaves other paths to the app's own WebSocket server", async () => {
    const port = await appServer();
    const own = new WebSocketServer({ noServer: true });
    server!.on('upgrade', (req, socket, head) => {
      if (req.url === '/chat') own.handleUpgrade(req, socket, head, (ws) => ws.send('from the app'));
    });
    transport = createTransport({ connection: () => {} }, { server, path: '/worldline', logger: silentLogger });
    const ws = new WebSocket(`ws://127.0.0.1:${port}/chat`);
    const [msg] = await once(ws, 'message');
    expect((msg as Buffer).toString()).toBe('from the app');
    ws.terminate();
    own.close();
  });

  it('close() ends its own connections and leaves the app server running', async () => {
    const port = await appServer();
    transport = createTransport({ connection: () => {} }, { server, path: '/worldline', logger: silentLogger });
    const ws = new WebSocket(`ws://127.0.0.1:${port}/worldline`);
    await once(ws, 'open');
    const closed = once(ws, 'close');
    await transport.close();
    expect((await closed)[0]).toBe(1001);
    expect(server!.listening).toBe(true);
    expect(await (await fetch(`http://127.0.0.1:${port}/still`)).text()).toBe('app answered /still');
  });

  it('mounts the Worldline routes into an app via createNodeRequestListener', async () => {
    const router = new Router().get('/health', () => json(200, { ok: true }));
    const listener = createNodeRequestListener(router.handler, { maxBodyBytes: 1024 });
    server = createServer((req, res) => {
      if (req.url?.startsWith('/worldline/')) {
        req.url = req.url.slice('/worldline'.length);
        listener(req, res);
      } else {
        res.end('app');
      }
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    expect(await (await fetch(`http://127.0.0.1:${port}/worldline/health`)).json()).toEqual({ ok: true });
    expect((await fetch(`http://127.0.0.1:${port}/worldline/nope`)).status).toBe(404);
    expect(await (await fetch(`http://127.0.0.1:${port}/other`)).text()).toBe('app');
  });
});
