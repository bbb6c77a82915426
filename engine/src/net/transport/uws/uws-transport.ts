// The uWebSockets.js transport: one native app serving WebSockets and HTTP on the same port.

import type { TemplatedApp, us_listen_socket } from '@trufflesuite/uws-js-unofficial';
import { NetError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { newTransportStats, type ConnectionContext } from '../base-connection.ts';
import { CloseCode } from '../close-codes.ts';
import { statusLine } from '../http-dispatch.ts';
import type { Transport, TransportHandlers, TransportLimits, TransportStats, UpgradeRequest } from '../types.ts';
import type { UwsModule } from './load-uws.ts';
import { UwsConnection } from './uws-connection.ts';
import type { UwsUserData } from './uws-connection.ts';
import { addressText, uwsHttpHandler } from './uws-http.ts';

/**
 * uWS refuses a message past maxPayloadLength by dropping the TCP connection without a close
 * frame. To answer oversized messages with 1009 we let uWS accept up to 4x our limit (at least
 * 64 KiB more) and check the size ourselves; only grossly oversized messages are cut off hard.
 */
function uwsPayloadCap(maxMessageBytes: number): number {
  return Math.min(Math.max(maxMessageBytes * 4, maxMessageBytes + 64 * 1024), 2 ** 31 - 1);
}

/** uWS wants an idle timeout of 0 or at least 8 s, in multiples of 4. */
function uwsIdleTimeout(seconds: number): number {
  if (seconds === 0) return 0;
  return Math.max(8, Math.ceil(seconds / 4) * 4);
}

export class UwsTransport implements Transport {
  readonly kind = 'uws' as const;
  private readonly app: TemplatedApp;
  private listenSocket: us_listen_socket | undefined;
  private readonly conns = new Set<UwsConnection>();
  private readonly statsValue: TransportStats = newTransportStats();
  private nextId = 1;
  private closed = false;
  private readonly ctx: ConnectionContext;

  constructor(
    private readonly uws: UwsModule,
    handlers: TransportHandlers,
    limits: TransportLimits,
    logger: Logger,
  ) {
    this.ctx = { limits, stats: this.statsValue, logger, forget: (c) => this.conns.delete(c as UwsConnection) };
    this.app = uws.App();
    this.app.ws<UwsUserData>(limits.path ?? '/*', {
      compression: uws.DISABLED,
      maxPayloadLength: uwsPayloadCap(limits.maxMessageBytes),
      // Our own hard cap (in send) comes first; this only keeps uWS from dropping silently.
      maxBackpressure: limits.maxBufferedBytes * 2,
      idleTimeout: uwsIdleTimeout(limits.idleTimeoutSeconds),
      sendPingsAutomatically: true,
      upgrade: (res, req, context) => {
        const q = req.getQuery();
        const request: UpgradeRequest = {
          path: req.getUrl(),
          query: q ?? '',
          authorization: req.getHeader('authorization'),
          origin: req.getHeader('origin'),
          remoteAddress: addressText(res.getRemoteAddressAsText()),
        };
        const key = req.getHeader('sec-websocket-key');
        const protocol = req.getHeader('sec-websocket-protocol');
        const extensions = req.getHeader('sec-websocket-extensions');
        let rejection;
        try {
          rejection = handlers.upgrade?.(request);
        } catch (e) {
          logger.error('the upgrade handler threw; answering 500', e);
          rejection = { status: 500, message: 'internal error' };
        }
        if (rejection) {
          res.writeStatus(statusLine(rejection.status)).writeHeader('content-type', 'text/plain; charset=utf-8').end(rejection.message, true);
          return;
        }
        res.upgrade<UwsUserData>({ request }, key, protocol, extensions, context);
      },
      open: (ws) => {
        const data = ws.getUserData();
        const conn = new UwsConnection(this.nextId++, data.request, this.ctx, ws);
        data.conn = conn;
        this.conns.add(conn);
        try {
          handlers.connection(conn);
        } catch (e) {
          logger.error('the connection handler threw; closing the connection', e);
          conn.close(CloseCode.internalError, 'internal error');
        }
      },
      message: (ws, message, isBinary) => {
        const conn = ws.getUserData().conn;
        if (!conn) return;
        if (message.byteLength > limits.maxMessageBytes) {
          conn.close(CloseCode.messageTooBig, 'message too big');
          return;
        }
        conn.emitMessage(new Uint8Array(message), isBinary);
      },
      drain: (ws) => {
        ws.getUserData().conn?.checkDrain();
      },
      close: (ws, code, message) => {
        const conn = ws.getUserData().conn;
        if (!conn) return;
        const reason = Buffer.from(message).toString('utf8');
        // uWS reports its own refusal of a huge message as 1006; it is a too-big message.
        if (code === CloseCode.abnormal && reason === 'Received too big message') conn.emitClose(CloseCode.messageTooBig, reason);
        else conn.emitClose(code, reason);
      },
    });
    this.app.any('/*', uwsHttpHandler(handlers.http, limits, this.statsValue, logger));
  }

  listen(host: string, port: number): Promise<number> {
    if (this.closed) return Promise.reject(new NetError('BAD_OPTION', 'this transport was closed; create a new one'));
    if (this.listenSocket) return Promise.reject(new NetError('BAD_OPTION', 'this transport is already listening'));
    return new Promise((resolve, reject) => {
      this.app.listen(host, port, (socket) => {
        if (!socket) {
          reject(new NetError('LISTEN_FAILED', `could not listen on ${host}:${port}; is the port in use?`));
          return;
        }
        this.listenSocket = socket;
        resolve(this.uws.us_socket_local_port(socket));
      });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const conn of [...this.conns]) conn.close(CloseCode.goingAway, 'server shutting down');
    if (this.listenSocket) {
      this.uws.us_listen_socket_close(this.listenSocket);
      this.listenSocket = undefined;
    }
    (this.app as TemplatedApp & { close(): void }).close();
  }

  stats(): TransportStats {
    return { ...this.statsValue };
  }
}
