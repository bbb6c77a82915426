// Serves the shared HTTP handler from node:http. Exported on its own so an app that owns the
// server (Express, Fastify) can mount Worldline's routes: app.use('/worldline', listener).

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../logger.ts';
import { silentLogger } from '../../logger.ts';
import type { HttpHandler, HttpRequest, HttpResponse } from '../../http/types.ts';
import { normalizeAddress } from '../base-connection.ts';
import { badRequest, bodyTooLarge, runHttp, splitUrl } from '../http-dispatch.ts';

export interface NodeListenerOptions {
  /** Largest request body; bigger ones get 413. Default 64 KiB. */
  maxBodyBytes?: number;
  logger?: Logger;
  /** Counts requests (the transport passes its stats). */
  onRequest?: () => void;
}

export type NodeRequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export function createNodeRequestListener(handler: HttpHandler | undefined, opts: NodeListenerOptions = {}): NodeRequestListener {
  const maxBody = opts.maxBodyBytes ?? 64 * 1024;
  const logger = opts.logger ?? silentLogger;
  return (req, res) => {
    opts.onRequest?.();
    let done = false;
    const finish = (r: HttpResponse, closeConnection = false): void => {
      if (done || res.destroyed) return;
      done = true;
      const headers: Record<string, string> = { ...r.headers };
      if (closeConnection) headers['connection'] = 'close';
      res.writeHead(r.status, headers);
      res.end(r.body ?? '');
    };
    req.on('error', () => {
      done = true; // the client went away mid-request; nothing to answer
    });

    const declared = req.headers['content-length'];
    if (declared !== undefined) {
      if (!/^\d{1,15}$/.test(declared)) return finish(badRequest('Content-Length is not a number'), true);
      if (Number(declared) > maxBody) return finish(bodyTooLarge(maxBody), true);
    }
    const { path, query } = splitUrl(req.url ?? '/');
    const headers: Record<string, string> = {};
    for (const k in req.headers) {
      const v = req.headers[k];
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    const remoteAddress = normalizeAddress(req.socket.remoteAddress);
    const method = (req.method ?? 'GET').toUpperCase();

    const parts: Buffer[] = [];
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      received += chunk.length;
      if (received > maxBody) {
        finish(bodyTooLarge(maxBody), true);
        return;
      }
      parts.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      const request: HttpRequest = { method, path, query, headers, body: parts.length === 1 ? parts[0] : Buffer.concat(parts), remoteAddress };
      runHttp(handler, request, logger).then(finish, (e: unknown) => {
        logger.error('HTTP dispatch failed', e);
        finish({ status: 500 }, true);
      });
    });
  };
}
