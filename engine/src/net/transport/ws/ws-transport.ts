// The `ws` transport: its own node:http server, or attached to an application's existing one
// (then it takes only WebSocket upgrades, optionally on one path, and leaves requests to the app).

import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { NetError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { normalizeAddress, newTransportStats, type ConnectionContext } from '../base-connection.ts';
import { CloseCode } from '../close-codes.ts';
import { splitUrl, statusLine } from '../http-dispatch.ts';
import type { Transport, TransportHandlers, TransportLimits, TransportStats, UpgradeRejection, UpgradeRequest } from '../types.ts';
import { createNodeRequestListener } from './node-http.ts';
import { WsConnection } from './ws-connection.ts';

/** How long close() waits for peers to answer the close frame before cutting them off. */
const CLOSE_GRACE_MS = 1000;

export class WsTransport implements Transport {
  readonly kind = 'ws' as const;
  private readonly server: Server;
  private readonly attached: boolean;
  private readonly wss: WebSocketServer;
  private readonly conns = new Set<WsConnection>();
  private readonly statsValue: TransportStats = newTransportStats();
  private readonly ctx: ConnectionContext;
  private nextId = 1;
  private heartbeat: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly handlers: TransportHandlers,
    private readonly limits: TransportLimits,
    private readonly logger: Logger,
    server?: Server,
  ) {
    this.ctx = { limits, stats: this.statsValue, logger, forget: (c) => this.conns.delete(c as WsConnection) };
    this.wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes, perMessageDeflate: false, clientTracking: false });
    this.attached = server !== undefined;
    this.server =
      server ??
      createServer(
        createNodeRequestListener(handlers.http, {
          maxBodyBytes: limits.maxBodyBytes,
          logger,
          onRequest: () => this.statsValue.httpRequests++,
        }),
      );
    this.server.on('upgrade', this.onUpgrade);
    if (limits.idleTimeoutSeconds > 0) {
      this.heartbeat = setInterval(() => this.beat(), (limits.idleTimeoutSeconds * 1000) / 2);
      this.heartbeat.unref();
    }
  }

  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const { path, query } = splitUrl(req.url ?? '/');
    if (this.limits.path !== undefined && path !== this.limits.path) {
      // Another WebSocket server on the same http server may own this path.
      if (this.server.listenerCount('upgrade') > 1) return;
      return reject(socket, { status: 404, message: `WebSockets are served on ${this.limits.path}` });
    }
    const request: UpgradeRequest = {
      path,
      query,
      authorization: req.headers['authorization'] ?? '',
      origin: req.headers['origin'] ?? '',
      remoteAddress: normalizeAddress(req.socket.remoteAddress),
    };
    let rejection: UpgradeRejection | undefined;
    try {
      rejection = this.handlers.upgrade?.(request);
    } catch (e) {
      this.logger.error('the upgrade handler threw; answering 500', e);
      rejection = { status: 500, message: 'internal error' };
    }
    if (rejection) return reject(socket, rejection);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onOpen(ws, request));
  };

  private onOpen(ws: WebSocket, request: UpgradeRequest): void {
    if (this.closed) {
      ws.close(CloseCode.goingAway, 'server shutting down');
      return;
    }
    const conn = new WsConnection(this.nextId++, request, this.ctx, ws);
    this.conns.add(conn);
    try {
      this.handlers.connection(conn);
    } catch (e) {
      this.logger.error('the connection handler threw; closing the connection', e);
      conn.close(CloseCode.internalError, 'internal error');
    }
  }

  private beat(): void {
    for (const conn of this.conns) {
      if (!conn.alive) {
        conn.expire();
        continue;
      }
      conn.alive = false;
      conn.ws.ping();
    }
  }

  listen(host: string, port: number): Promise<number> {
    if (this.closed) return Promise.reject(new NetError('BAD_OPTION', 'this transport was closed; create a new one'));
    const addr = this.server.address();
    if (addr && typeof addr === 'object') {
      if (this.attached) return Promise.resolve(addr.port);
      return Promise.reject(new NetError('BAD_OPTION', 'this transport is already listening'));
    }
    return new Promise((resolve, reject) => {
      const onError = (e: Error): void => {
        reject(new NetError('LISTEN_FAILED', `could not listen on ${host}:${port} (${e.message}); is the port in use?`));
      };
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        const a = this.server.address();
        resolve(a && typeof a === 'object' ? a.port : port);
      });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.server.off('upgrade', this.onUpgrade);
    const sockets = [...this.conns].map((c) => c.ws);
    for (const conn of [...this.conns]) conn.close(CloseCode.goingAway, 'server shutting down');
    await waitForSockets(sockets, CLOSE_GRACE_MS);
    if (this.attached) return;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  stats(): TransportStats {
    return { ...this.statsValue };
  }
}

function reject(socket: Duplex, r: UpgradeRejection): void {
  socket.on('error', () => {});
  const body = Buffer.from(r.message, 'utf8');
  socket.end(
    `HTTP/1.1 ${statusLine(r.status)}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\n\r\n` +
      body.toString('utf8'),
  );
}

/** Waits until every socket has finished its close handshake, cutting off those still open after `ms`. */
function waitForSockets(sockets: WebSocket[], ms: number): Promise<void> {
  const open = sockets.filter((ws) => ws.readyState !== ws.CLOSED);
  if (open.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    let left = open.length;
    const timer = setTimeout(() => {
      for (const ws of open) ws.terminate();
    }, ms);
    for (const ws of open) {
      ws.once('close', () => {
        if (--left === 0) {
          clearTimeout(timer);
          resolve();
        }
      });
    }
  });
}
