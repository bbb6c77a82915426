// A Connection over a uWebSockets.js socket. uWS copies what it cannot write at once, so send()
// needs no defensive copy; its close handler runs synchronously inside end()/close().

import { BaseConnection } from '../base-connection.ts';
import type { ConnectionContext } from '../base-connection.ts';
import type { UpgradeRequest } from '../types.ts';
import type { WebSocket } from '@trufflesuite/uws-js-unofficial';

export interface UwsUserData {
  request: UpgradeRequest;
  conn?: UwsConnection;
}

const SUCCESS = 1;
const DROPPED = 2;

export class UwsConnection extends BaseConnection {
  /** The last send left bytes buffered; until a send goes straight through, ask uWS how many. */
  private backlogged = false;

  constructor(
    id: number,
    request: UpgradeRequest,
    ctx: ConnectionContext,
    private readonly ws: WebSocket<UwsUserData>,
  ) {
    super(id, request, ctx);
  }

  get bufferedAmount(): number {
    return this.isOpen ? this.ws.getBufferedAmount() : 0;
  }

  send(bytes: Uint8Array): boolean {
    if (!this.isOpen) return false;
    const len = bytes.byteLength;
    if (this.overflows(len, this.backlogged ? this.ws.getBufferedAmount() : 0)) return false;
    const result = this.ws.send(bytes, true, false);
    if (result === SUCCESS) {
      this.backlogged = false;
      return this.afterSend(len, 0);
    }
    if (result === DROPPED) {
      this.drop(1008, 'send buffer overflow');
      return false;
    }
    this.backlogged = true;
    return this.afterSend(len, this.ws.getBufferedAmount());
  }

  cork(fn: () => void): void {
    if (this.isOpen) this.ws.cork(fn);
    else fn();
  }

  protected closeSocket(code: number, reason: string, force: boolean): void {
    if (force) this.ws.close();
    else this.ws.end(code, reason);
  }
}
