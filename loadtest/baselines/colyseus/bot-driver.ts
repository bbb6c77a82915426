// Bot driver for the Colyseus baseline: joins the scene room with @colyseus/sdk and counts the
// WebSocket payload bytes in and out, exactly as the Worldline driver does, so bytes per client
// per tick compare like for like. Calls map to room.request() (Colyseus's request/response).

import { Client, type Room } from '@colyseus/sdk';
import type WebSocket from 'ws';
import type { AreaSpec, BotConnection, BotDriver, BotTraffic } from '../../src/driver/bot-driver.ts';

function byteLength(data: unknown): number {
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (ArrayBuffer.isView(data)) return data.byteLength;
  if (Array.isArray(data)) return data.reduce((n: number, b: unknown) => n + byteLength(b), 0);
  if (typeof data === 'string') return Buffer.byteLength(data);
  return 0;
}

class ColyseusBot implements BotConnection {
  readonly identity: string;
  private readonly t: BotTraffic = { bytesIn: 0, bytesOut: 0, framesIn: 0, framesOut: 0 };
  private readonly applied: Array<(serverTimeMs: number) => void> = [];
  private readonly dropped: Array<(reason: string) => void> = [];
  private closing = false;

  constructor(private readonly room: Room) {
    this.identity = room.sessionId;
    const ws = (room.connection.transport as unknown as { ws: WebSocket }).ws;
    ws.on('message', (data) => {
      this.t.bytesIn += byteLength(data);
      this.t.framesIn++;
    });
    const send = ws.send.bind(ws) as (data: unknown, ...rest: unknown[]) => void;
    ws.send = ((data: unknown, ...rest: unknown[]) => {
      this.t.bytesOut += byteLength(data);
      this.t.framesOut++;
      send(data, ...rest);
    }) as typeof ws.send;
    // Colyseus patches carry no server timestamp, so update latency is not measured here.
    room.onStateChange(() => {
      for (const l of this.applied) l(Number.NaN);
    });
    room.onLeave((code) => {
      if (!this.closing) for (const l of this.dropped) l(`left with code ${code}`);
    });
  }

  async call(reducer: string, args: unknown): Promise<void> {
    const r = (await this.room.request(reducer, args)) as { ok?: boolean; error?: string } | undefined;
    if (r && r.ok === false) throw new Error(r.error ?? `${reducer} failed`);
  }

  async setArea(area: AreaSpec): Promise<void> {
    await this.call('area', area);
  }

  traffic(): BotTraffic {
    return this.t;
  }

  visibleRows(): number {
    return (this.room.state as { entities?: { size: number } }).entities?.size ?? 0;
  }

  onApplied(listener: (serverTimeMs: number) => void): void {
    this.applied.push(listener);
  }

  onDropped(listener: (reason: string) => void): void {
    this.dropped.push(listener);
  }

  setReading(on: boolean): void {
    const socket = (this.room.connection.transport as unknown as { ws: { _socket?: { pause(): void; resume(): void } } }).ws._socket;
    if (on) socket?.resume();
    else socket?.pause();
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.room.leave(true);
  }
}

export default function createColyseusDriver(): BotDriver {
  const clients = new Map<string, Client>();
  return {
    name: 'colyseus',
    async connect(o) {
      const http = o.url.replace(/^ws/, 'http');
      let client = clients.get(http);
      if (!client) clients.set(http, (client = new Client(http)));
      // The room places the avatar at a random spot, as the Worldline world's join reducer does.
      const room = await client.joinOrCreate('scene', {});
      return new ColyseusBot(room);
    },
  };
}
