// Conformance cases for WebSockets: echo, upgrade data, many connections, close codes, message
// size limits, backpressure and drain, overflow, listener faults and shutdown.

import { once } from 'node:events';
import { expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Connection } from '../types.ts';
import { closed, connectionQueue, fillUntilFalse, nextMessage, serverClosed } from './harness.ts';
import type { Harness } from './harness.ts';

export function websocketCases(h: Harness): void {
  const { start, client, echo } = h;

  it('listens on port 0 and reports the actual port', async () => {
    const s = await start({ connection: echo });
    expect(s.port).toBeGreaterThan(0);
  });

  it('echoes binary messages and counts them', async () => {
    const q = connectionQueue();
    const s = await start({ connection: (c) => (echo(c), q.handler(c)) });
    const ws = await client(`${s.url}/`);
    const conn = await q.next();
    expect(conn.id).toBeGreaterThan(0);
    expect(conn.remoteAddress).toBe('127.0.0.1');
    expect(conn.isOpen).toBe(true);
    const payload = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 255);
    const reply = nextMessage(ws);
    ws.send(payload);
    expect(new Uint8Array(await reply)).toEqual(payload);
    const stats = s.transport.stats();
    expect(stats).toMatchObject({ connections: 1, accepted: 1, messagesIn: 1, bytesIn: 300, messagesOut: 1, bytesOut: 300 });
  });

  it('lets the caller reuse the buffer it passed to send()', async () => {
    const q = connectionQueue();
    const s = await start({ connection: q.handler });
    const ws = await client(s.url);
    const conn = await q.next();
    const got: Buffer[] = [];
    const all = new Promise<void>((resolve) =>
      ws.on('message', (d: Buffer) => {
        got.push(d);
        if (got.length === 3) resolve();
      }),
    );
    const scratch = new Uint8Array(4);
    for (let i = 1; i <= 3; i++) {
      scratch.fill(i);
      conn.send(scratch);
    }
    await all;
    expect(got.map((b) => [...b])).toEqual([[1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3]]);
  });

  it('delivers text messages with isBinary false', async () => {
    const q = connectionQueue();
    const s = await start({ connection: q.handler });
    const ws = await client(s.url);
    const conn = await q.next();
    const got = new Promise<[string, boolean]>((resolve) => conn.on('message', (d, bin) => resolve([Buffer.from(d).toString(), bin])));
    ws.send('hello');
    expect(await got).toEqual(['hello', false]);
  });

  it('exposes the upgrade path, query string and Authorization header', async () => {
    const q = connectionQueue();
    const s = await start({ connection: q.handler });
    await client(`${s.url}/game?token=abc.def&x=1`, { headers: { authorization: 'Bearer t0k', origin: 'http://example.test' } });
    const conn = await q.next();
    expect(conn.request).toEqual({
      path: '/game',
      query: 'token=abc.def&x=1',
      authorization: 'Bearer t0k',
      origin: 'http://example.test',
      remoteAddress: '127.0.0.1',
    });
  });

  it('refuses an upgrade with the status the upgrade hook returns', async () => {
    let opened = 0;
    const s = await start({
      connection: () => opened++,
      upgrade: (req) => (req.query.includes('token=good') ? undefined : { status: 401, message: 'bad token' }),
    });
    const ws = new WebSocket(`${s.url}/?token=bad`);
    ws.on('error', () => {}); // terminating a refused handshake reports an error we expect
    const [, res] = await once(ws, 'unexpected-response');
    expect((res as { statusCode: number }).statusCode).toBe(401);
    ws.terminate();
    await client(`${s.url}/?token=good`);
    expect(opened).toBe(1);
  });

  it('serves many connections at once, each with its own id', async () => {
    const conns: Connection[] = [];
    const s = await start({ connection: (c) => (echo(c), conns.push(c)) });
    const n = 60;
    const sockets = await Promise.all(Array.from({ length: n }, () => client(s.url)));
    const replies = await Promise.all(
      sockets.map((ws, i) => {
        const r = nextMessage(ws);
        ws.send(Uint8Array.of(i, i >> 8));
        return r;
      }),
    );
    replies.forEach((r, i) => expect([...r]).toEqual([i & 255, i >> 8]));
    expect(new Set(conns.map((c) => c.id)).size).toBe(n);
    expect(s.transport.stats().connections).toBe(n);
    const allClosed = Promise.all(conns.map(serverClosed));
    for (const ws of sockets) ws.close(1000);
    await allClosed;
    expect(s.transport.stats().connections).toBe(0);
    expect(s.transport.stats().accepted).toBe(n);
  });

  it('closes with the server-chosen code and reason, firing close once and at once', async () => {
    const q = connectionQueue();
    const s = await start({ connection: q.handler });
    const ws = await client(s.url);
    const conn = await q.next();
    const events: [number, string][] = [];
    conn.on('close', (code, reason) => events.push([code, reason]));
    const clientSaw = closed(ws);
    conn.close(4001, 'bye');
    expect(events).toEqual([[4001, 'bye']]);
    expect(conn.isOpen).toBe(false);
    expect(conn.send(Uint8Array.of(1))).toBe(false);
    conn.close(4002, 'again');
    expect(await clientSaw).toEqual({ code: 4001, reason: 'bye' });
    expect(events).toHaveLength(1);
  });

  it('reports the client-chosen close code and reason', async () => {
    const q = connectionQueue();
    const s = await start({ connection: q.handler });
    const ws = await client(s.url);
    const conn = await q.next();
    const onServer = serverClosed(conn);
    ws.close(4002, 'later');
    expect(await onServer).toEqual({ code: 4002, reason: 'later' });
    expect(s.transport.stats().connections).toBe(0);
  });

  it('refuses to send close codes that may not go on the wire', async () => {
    const q = connectionQueue();
    const s = await start({ connection: q.handler });
    await client(s.url);
    const conn = await q.next();
    expect(() => conn.close(1006, 'x')).toThrow(/cannot be sent/);
    expect(conn.isOpen).toBe(true);
  });

  it('accepts a message of exactly maxMessageBytes and closes with 1009 past it', async () => {
    const q = connectionQueue();
    const s = await start({ connection: (c) => (echo(c), q.handler(c)) }, { maxMessageBytes: 1024 });
    const ws = await client(s.url);
    const conn = await q.next();
    const reply = nextMessage(ws);
    ws.send(new Uint8Array(1024));
    expect((await reply).length).toBe(1024);
    const onServer = serverClosed(conn);
    const clientSaw = closed(ws);
    ws.send(new Uint8Array(1025));
    expect((await clientSaw).code).toBe(1009);
    expect((await onServer).code).toBe(1009);
    expect(s.transport.stats().messagesIn).toBe(1);
  });

  it('cuts off a grossly oversized message without buffering it', async () => {
    const q = connectionQueue();
    const s = await start({ connection: q.handler }, { maxMessageBytes: 1024 });
    const ws = await client(s.url);
    const conn = await q.next();
    const onServer = serverClosed(conn);
    const clientSaw = closed(ws);
    ws.send(new Uint8Array(512 * 1024));
    expect((await onServer).code).toBe(1009);
    expect([1006, 1009]).toContain((await clientSaw).code);
  });

  it('signals backpressure from send() and fires drain once the client reads again', async () => {
    const q = connectionQueue();
    const backpressureBytes = 64 * 1024;
    const s = await start({ connection: q.handler }, { backpressureBytes, maxBufferedBytes: 256 * 1024 * 1024 });
    const ws = await client(s.url);
    const conn = await q.next();
    let received = 0;
    ws.on('message', (d: Buffer) => (received += d.length));
    ws.pause();
    const chunk = new Uint8Array(32 * 1024).fill(7);
    const sent = fillUntilFalse(conn, chunk, 8192);
    expect(conn.bufferedAmount).toBeGreaterThan(backpressureBytes);
    expect(conn.isOpen).toBe(true);
    const drained = new Promise<number>((resolve) => conn.on('drain', () => resolve(conn.bufferedAmount)));
    ws.resume();
    expect(await drained).toBeLessThanOrEqual(backpressureBytes / 2);
    expect(conn.send(chunk)).toBe(true);
    const total = sent + chunk.byteLength;
    await new Promise<void>((resolve) => {
      const check = (): void => (received >= total ? resolve() : void ws.once('message', check));
      check();
    });
    expect(received).toBe(total);
  });

  it('drops a connection whose buffer passes the hard cap, with 1008', async () => {
    const q = connectionQueue();
    const s = await start({ connection: q.handler }, { backpressureBytes: 64 * 1024, maxBufferedBytes: 256 * 1024 });
    const ws = await client(s.url);
    const conn = await q.next();
    ws.pause();
    const onServer = serverClosed(conn);
    const chunk = new Uint8Array(64 * 1024);
    let sends = 0;
    while (conn.isOpen && sends < 8192) {
      conn.send(chunk);
      sends++;
    }
    expect(conn.isOpen).toBe(false);
    expect(await onServer).toEqual({ code: 1008, reason: 'send buffer overflow' });
    expect(s.logged.some((l) => l.level === 'warn' && l.message.includes('hard cap'))).toBe(true);
  });

  it('keeps serving when a listener throws, and logs it', async () => {
    const q = connectionQueue();
    const s = await start({
      connection: (c) => {
        c.on('message', () => {
          throw new Error('listener bug');
        });
        echo(c);
        q.handler(c);
      },
    });
    const ws = await client(s.url);
    await q.next();
    const reply = nextMessage(ws);
    ws.send(Uint8Array.of(9));
    expect([...(await reply)]).toEqual([9]);
    expect(s.logged.some((l) => l.level === 'error')).toBe(true);
  });

  it('closes every connection with 1001 on close()', async () => {
    const conns: Connection[] = [];
    const s = await start({ connection: (c) => conns.push(c) });
    const sockets = await Promise.all([client(s.url), client(s.url), client(s.url)]);
    const seen = sockets.map(closed);
    const onServer = conns.map(serverClosed);
    await s.transport.close();
    for (const r of await Promise.all(onServer)) expect(r.code).toBe(1001);
    for (const r of await Promise.all(seen)) expect(r.code).toBe(1001);
  });
}
