// The ws transport's heartbeat: peers that answer pings stay, silent peers are dropped. (uWS does
// this natively with a minimum of 8 s, too slow for a unit test.)

import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { silentLogger } from '../../logger.ts';
import { createTransport } from '../create-transport.ts';
import type { Connection, Transport } from '../types.ts';

describe('ws transport heartbeat', () => {
  let transport: Transport | undefined;
  afterEach(async () => {
    await transport?.close();
  });

  async function start(): Promise<{ url: string; conns: Connection[] }> {
    const conns: Connection[] = [];
    transport = createTransport({ connection: (c) => conns.push(c) }, { kind: 'ws', idleTimeoutSeconds: 0.1, logger: silentLogger });
    const port = await transport.listen('127.0.0.1', 0);
    return { url: `ws://127.0.0.1:${port}`, conns };
  }

  it('keeps a peer that answers pings', async () => {
    const { url, conns } = await start();
    const ws = new WebSocket(url);
    let pings = 0;
    const threePings = new Promise<void>((resolve) => ws.on('ping', () => ++pings === 3 && resolve()));
    await threePings;
    expect(conns[0].isOpen).toBe(true);
    ws.terminate();
  });

  it('drops a peer that stops answering, reporting 1006 idle timeout', async () => {
    const { url, conns } = await start();
    const ws = new WebSocket(url, { autoPong: false });
    await once(ws, 'open');
    const closed = new Promise<[number, string]>((resolve) => conns[0].on('close', (code, reason) => resolve([code, reason])));
    expect(await closed).toEqual([1006, 'idle timeout']);
    await once(ws, 'close');
  });
});
