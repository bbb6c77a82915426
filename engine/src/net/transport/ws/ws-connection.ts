// A Connection over a `ws` socket. ws hands our buffer to the kernel without copying and may hold
// it while the socket is busy, so send() copies (callers reuse their write buffers). Drain is
// detected from write callbacks, which run as the socket hands the backlog to the kernel.

import type { WebSocket } from 'ws';
import { BaseConnection } from '../base-connection.ts';
import type { ConnectionContext } from '../base-connection.ts';
import { CloseCode } from '../close-codes.ts';
import type { UpgradeRequest } from '../types.ts';

export class WsConnection extends BaseConnection {
  /** Cleared by each heartbeat, set by any sign of life. */
  alive = true;
  private readonly onWritten = (): void => {
    if (this.drainPending) this.checkDrain();
  };

  constructor(
    id: number,
    request: UpgradeRequest,
    ctx: ConnectionContext,
    readonly ws: WebSocket,
  ) {
    super(id, request, ctx);
    let closeCode = 0;
    let closeReason = '';
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      this.alive = true;
      this.emitMessage(data, isBinary);
    });
    ws.on('pong', () => {
      this.alive = true;
    });
    ws.on('error', (err: Error & { code?: string }) => {
      // ws closes the socket itself after a protocol error; we only name the cause.
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        closeCode = CloseCode.messageTooBig;
        closeReason = 'message too big';
      } else {
        closeCode = CloseCode.protocolError;
        closeReason = err.message;
      }
    });
    ws.on('close', (code: number, reason: Buffer) => {
      if (closeCode) this.emitClose(closeCode, closeReason);
      else this.emitClose(code, reason.toString('utf8'));
    });
  }

  get bufferedAmount(): number {
    return this.isOpen ? this.ws.bufferedAmount : 0;
  }

  send(bytes: Uint8Array): boolean {
    if (!this.isOpen) return false;
    const len = bytes.byteLength;
    if (this.overflows(len, this.ws.bufferedAmount)) return false;
    this.ws.send(Buffer.from(bytes), { binary: true, compress: false }, this.onWritten);
    return this.afterSend(len, this.ws.bufferedAmount);
  }

  cork(fn: () => void): void {
    fn();
  }

  /** Drops a connection that missed a heartbeat. */
  expire(): void {
    this.drop(CloseCode.abnormal, 'idle timeout');
  }

  protected closeSocket(code: number, reason: string, force: boolean): void {
    if (force) this.ws.terminate();
    else this.ws.close(code, reason);
  }
}
