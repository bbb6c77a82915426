// Shared plumbing for the transport conformance suite: starting transports on port 0, clients,
// awaiting socket events (never sleeping), and raw HTTP requests.

import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { afterEach } from 'vitest';
import { WebSocket } from 'ws';
import type { Logger } from '../../logger.ts';
import type { Connection, Transport, TransportHandlers, TransportOptions } from '../types.ts';

export type TransportFactory = (handlers: TransportHandlers, options: TransportOptions) => Transport;

export interface Started {
  transport: Transport;
  port: number;
  url: string;
  logged: { level: string; message: string }[];
}

function recordingLogger(into: { level: string; message: string }[]): Logger {
  return {
    info: (message) => into.push({ level: 'info', message }),
    warn: (message) => into.push({ level: 'warn', message }),
    error: (message) => into.push({ level: 'error', message }),
  };
}

async function openClient(url: string, options?: { headers?: Record<string, string> }): Promise<WebSocket> {
  const ws = new WebSocket(url, options);
  await once(ws, 'open');
  return ws;
}

export function nextMessage(ws: WebSocket): Promise<Buffer> {
  return once(ws, 'message').then(([data]) => data as Buffer);
}

export function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return once(ws, 'close').then(([code, reason]) => ({ code: code as number, reason: (reason as Buffer).toString() }));
}

export function serverClosed(conn: Connection): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => conn.on('close', (code, reason) => resolve({ code, reason })));
}

/** A deferred the server side resolves with each connection, in arrival order. */
export function connectionQueue(): { handler: (c: Connection) => void; next: () => Promise<Connection> } {
  const waiting: ((c: Connection) => void)[] = [];
  const ready: Connection[] = [];
  return {
    handler: (c) => {
      const w = waiting.shift();
      if (w) w(c);
      else ready.push(c);
    },
    next: () => {
      const c = ready.shift();
      return c ? Promise.resolve(c) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export function http(port: number, method: string, path: string, body?: Uint8Array | string, headers: Record<string, string> = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Sends chunks until send() reports backpressure (or the connection drops); returns bytes queued. */
export function fillUntilFalse(conn: Connection, chunk: Uint8Array, maxChunks: number): number {
  let sent = 0;
  for (let i = 0; i < maxChunks; i++) {
    const ok = conn.send(chunk);
    sent += chunk.byteLength;
    if (!ok) return sent;
  }
  throw new Error(`send() never reported backpressure after ${maxChunks} chunks`);
}

export interface Harness {
  start(handlers: TransportHandlers, options?: TransportOptions): Promise<Started>;
  client(url: string, options?: { headers?: Record<string, string> }): Promise<WebSocket>;
  echo(conn: Connection): void;
}

/** Registers cleanup with vitest and returns helpers that start transports and clients. */
export function createHarness(factory: TransportFactory): Harness {
  const running: Transport[] = [];
  const clients: WebSocket[] = [];

  afterEach(async () => {
    for (const c of clients.splice(0)) c.terminate();
    await Promise.all(running.splice(0).map((t) => t.close()));
  });

  return {
    async start(handlers, options = {}) {
      const logged: { level: string; message: string }[] = [];
      const transport = factory(handlers, { logger: recordingLogger(logged), ...options });
      running.push(transport);
      const port = await transport.listen('127.0.0.1', 0);
      return { transport, port, url: `ws://127.0.0.1:${port}`, logged };
    },
    async client(url, options) {
      const ws = await openClient(url, options);
      clients.push(ws);
      return ws;
    },
    echo(conn) {
      conn.on('message', (data) => conn.send(data));
    },
  };
}
