// A `ws` WebSocket that counts payload bytes and frames in both directions, handed to a client SDK
// in place of the plain WebSocket. Payload bytes (no WebSocket framing) are what every driver
// counts, so Worldline and Colyseus figures compare like for like.

import WebSocket from 'ws';
import type { BotTraffic } from './bot-driver.ts';

function payloadBytes(data: unknown): number {
  if (typeof data === 'string') return Buffer.byteLength(data);
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (ArrayBuffer.isView(data)) return data.byteLength;
  if (Array.isArray(data)) return data.reduce((n: number, d: unknown) => n + payloadBytes(d), 0);
  return 0;
}

export function newTraffic(): BotTraffic {
  return { bytesIn: 0, bytesOut: 0, framesIn: 0, framesOut: 0 };
}

export class CountingWebSocket extends WebSocket {
  readonly traffic: BotTraffic;

  constructor(address: string | URL, protocols?: string | string[], options?: WebSocket.ClientOptions, traffic: BotTraffic = newTraffic()) {
    super(address, protocols, options);
    this.traffic = traffic;
    this.binaryType = 'arraybuffer';
    this.on('message', (data) => {
      this.traffic.bytesIn += payloadBytes(data);
      this.traffic.framesIn++;
    });
  }

  override send(data: unknown, options?: unknown, cb?: unknown): void {
    this.traffic.bytesOut += payloadBytes(data);
    this.traffic.framesOut++;
    (super.send as (d: unknown, o?: unknown, c?: unknown) => void)(data, options, cb);
  }

  /** Stops reading from the TCP socket (the kernel buffers fill, the server sees backpressure). */
  pauseReading(on: boolean): void {
    const s = (this as unknown as { _socket?: { pause(): void; resume(): void } })._socket;
    if (on) s?.resume();
    else s?.pause();
  }
}
