// The WebSocket surface the SDK uses: the browser's WebSocket and the `ws` package both fit it.
// Handler parameters are typed `never` so either implementation's event types are accepted.
import { ClientError } from './errors.ts';

export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  onopen: ((ev: never) => void) | null;
  onmessage: ((ev: never) => void) | null;
  onclose: ((ev: never) => void) | null;
  onerror: ((ev: never) => void) | null;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketCtor = new (url: string) => WebSocketLike;

/** What the SDK reads from the events (both implementations provide these fields). */
export interface MessageEventLike { readonly data: unknown }
export interface CloseEventLike { readonly code: number; readonly reason: string }

export const OPEN = 1;

export function resolveWebSocket(given: WebSocketCtor | undefined): WebSocketCtor {
  if (given) return given;
  const g = (globalThis as { WebSocket?: WebSocketCtor }).WebSocket;
  if (g) return g;
  throw new ClientError('NO_WEBSOCKET', 'no WebSocket implementation found: in Node, `import WebSocket from \'ws\'` and pass connect({ url, WebSocket })');
}

/** Message data as bytes; null for text messages (not part of the protocol). */
export function messageBytes(data: unknown): Uint8Array | null {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (Array.isArray(data)) {
    // `ws` delivers fragmented messages as Buffer[] when binaryType is 'fragments'.
    let n = 0;
    for (const part of data as Uint8Array[]) n += part.byteLength;
    const out = new Uint8Array(n);
    let o = 0;
    for (const part of data as Uint8Array[]) { out.set(part, o); o += part.byteLength; }
    return out;
  }
  return null;
}
