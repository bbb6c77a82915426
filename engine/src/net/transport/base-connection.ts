// What both adapters' connections share: listener lists, the close-once rule, drain signalling and
// the transport's counters. Adapters implement only the socket calls.

import type { Logger } from '../logger.ts';
import { clampReason, isSendableCloseCode } from './close-codes.ts';
import { NetError } from '../errors.ts';
import type { Connection, ConnectionEvents, TransportLimits, TransportStats, UpgradeRequest } from './types.ts';

/** State one transport shares with all its connections. */
export interface ConnectionContext {
  readonly limits: TransportLimits;
  readonly stats: TransportStats;
  readonly logger: Logger;
  /** Called once when a connection closes, to forget it. */
  readonly forget: (conn: BaseConnection) => void;
}

type Listeners = { [K in keyof ConnectionEvents]: ConnectionEvents[K][] };

export abstract class BaseConnection implements Connection {
  private readonly listeners: Listeners = { message: [], close: [], drain: [] };
  private open = true;
  /** A send() returned false; 'drain' is owed once the buffer falls to the drain mark. */
  protected drainPending = false;

  constructor(
    readonly id: number,
    readonly request: UpgradeRequest,
    protected readonly ctx: ConnectionContext,
  ) {
    ctx.stats.connections++;
    ctx.stats.accepted++;
  }

  get remoteAddress(): string {
    return this.request.remoteAddress;
  }

  get isOpen(): boolean {
    return this.open;
  }

  abstract get bufferedAmount(): number;
  abstract send(bytes: Uint8Array): boolean;
  abstract cork(fn: () => void): void;
  /** Sends the close frame (graceful) or drops the socket (force). */
  protected abstract closeSocket(code: number, reason: string, force: boolean): void;

  close(code: number = 1000, reason = ''): void {
    if (!isSendableCloseCode(code)) {
      throw new NetError('BAD_OPTION', `close code ${code} cannot be sent; use 1000, 1001, 1008, 1009, 1011 or 3000-4999`);
    }
    if (!this.open) return;
    const r = clampReason(reason);
    this.emitClose(code, r);
    this.closeSocket(code, r, false);
  }

  /** Drops the connection without a close handshake; listeners see `code`. */
  protected drop(code: number, reason: string): void {
    if (!this.open) return;
    this.emitClose(code, reason);
    this.closeSocket(code, reason, true);
  }

  on<K extends keyof ConnectionEvents>(event: K, listener: ConnectionEvents[K]): void {
    this.listeners[event].push(listener);
  }

  off<K extends keyof ConnectionEvents>(event: K, listener: ConnectionEvents[K]): void {
    const list = this.listeners[event];
    const i = list.indexOf(listener);
    if (i !== -1) list.splice(i, 1);
  }

  /** Counts an outgoing message and reports whether the buffer is still within the soft limit. */
  protected afterSend(len: number, buffered: number): boolean {
    this.ctx.stats.messagesOut++;
    this.ctx.stats.bytesOut += len;
    if (buffered <= this.ctx.limits.backpressureBytes) return true;
    this.drainPending = true;
    return false;
  }

  /** True when a send of `len` bytes would pass the hard cap; the connection is then dropped. */
  protected overflows(len: number, buffered: number): boolean {
    if (buffered + len <= this.ctx.limits.maxBufferedBytes) return false;
    this.ctx.logger.warn(`dropping connection ${this.id} from ${this.remoteAddress}: its send buffer (${buffered} bytes) passed the hard cap`);
    this.drop(1008, 'send buffer overflow');
    return true;
  }

  emitMessage(data: Uint8Array, isBinary: boolean): void {
    if (!this.open) return;
    this.ctx.stats.messagesIn++;
    this.ctx.stats.bytesIn += data.byteLength;
    const list = this.listeners.message;
    for (let i = 0; i < list.length; i++) {
      try {
        list[i](data, isBinary);
      } catch (e) {
        this.listenerFailed('message', e);
      }
    }
  }

  emitClose(code: number, reason: string): void {
    if (!this.open) return;
    this.open = false;
    this.drainPending = false;
    this.ctx.stats.connections--;
    this.ctx.forget(this);
    for (const fn of this.listeners.close.slice()) {
      try {
        fn(code, reason);
      } catch (e) {
        this.listenerFailed('close', e);
      }
    }
  }

  /** Adapters call this whenever the socket has written some of its backlog. */
  checkDrain(): void {
    if (!this.drainPending || !this.open || this.bufferedAmount > this.ctx.limits.drainBytes) return;
    this.drainPending = false;
    for (const fn of this.listeners.drain.slice()) {
      try {
        fn();
      } catch (e) {
        this.listenerFailed('drain', e);
      }
    }
  }

  private listenerFailed(event: string, e: unknown): void {
    this.ctx.logger.error(`a ${event} listener of connection ${this.id} threw`, e);
  }
}

/** '::ffff:127.0.0.1' and '127.0.0.1' name the same peer; report the short form. */
export function normalizeAddress(address: string | undefined): string {
  if (!address) return '';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/** Counters of a transport that has seen nothing yet (both implementations start from it). */
export function newTransportStats(): TransportStats {
  return { connections: 0, accepted: 0, messagesIn: 0, bytesIn: 0, messagesOut: 0, bytesOut: 0, httpRequests: 0 };
}
