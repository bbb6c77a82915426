// Plain HTTP on the uWS app: copies what the route needs out of the stack-allocated request, reads
// the body within the limit (413 past it) and answers through the shared handler.

import type { HttpResponse as UwsResponse, HttpRequest as UwsRequest } from '@trufflesuite/uws-js-unofficial';
import type { Logger } from '../../logger.ts';
import type { HttpHandler, HttpRequest, HttpResponse } from '../../http/types.ts';
import { normalizeAddress } from '../base-connection.ts';
import { badRequest, bodyTooLarge, runHttp, statusLine } from '../http-dispatch.ts';
import type { TransportLimits, TransportStats } from '../types.ts';

const EMPTY = new Uint8Array(0);

export function addressText(ab: ArrayBuffer): string {
  return normalizeAddress(Buffer.from(ab).toString('latin1'));
}

export function uwsHttpHandler(
  handler: HttpHandler | undefined,
  limits: TransportLimits,
  stats: TransportStats,
  logger: Logger,
): (res: UwsResponse, req: UwsRequest) => void {
  return (res, req) => {
    stats.httpRequests++;
    const method = req.getMethod().toUpperCase();
    const path = req.getUrl();
    const query = req.getQuery() ?? '';
    const headers: Record<string, string> = {};
    req.forEach((k, v) => {
      headers[k] = v;
    });
    const remoteAddress = addressText(res.getRemoteAddressAsText());
    let aborted = false;
    let done = false;
    res.onAborted(() => {
      aborted = true;
    });

    const finish = (r: HttpResponse, closeConnection = false): void => {
      if (aborted || done) return;
      done = true;
      res.cork(() => {
        res.writeStatus(statusLine(r.status));
        if (r.headers) for (const k in r.headers) res.writeHeader(k, r.headers[k]);
        res.end(r.body ?? '', closeConnection);
      });
    };
    const dispatch = (body: Uint8Array): void => {
      const request: HttpRequest = { method, path, query, headers, body, remoteAddress };
      runHttp(handler, request, logger).then(finish, (e: unknown) => {
        logger.error('HTTP dispatch failed', e);
        finish({ status: 500, body: '' }, true);
      });
    };

    const declared = headers['content-length'];
    const chunked = headers['transfer-encoding'] !== undefined;
    let expected = -1;
    if (declared !== undefined) {
      expected = /^\d{1,15}$/.test(declared) ? Number(declared) : NaN;
      if (Number.isNaN(expected)) return finish(badRequest('Content-Length is not a number'), true);
      if (expected > limits.maxBodyBytes) return finish(bodyTooLarge(limits.maxBodyBytes), true);
    }
    if (!chunked && expected <= 0) return dispatch(EMPTY);

    // Known length: one buffer filled in place; chunked: copies joined at the end.
    const whole = expected > 0 ? new Uint8Array(expected) : undefined;
    const parts: Uint8Array[] = [];
    let received = 0;
    res.onData((chunk, isLast) => {
      if (done || aborted) return;
      const n = chunk.byteLength;
      if (received + n > limits.maxBodyBytes || (whole && received + n > whole.length)) {
        return finish(bodyTooLarge(limits.maxBodyBytes), true);
      }
      if (whole) whole.set(new Uint8Array(chunk), received);
      else parts.push(new Uint8Array(chunk.slice(0)));
      received += n;
      if (isLast) dispatch(whole ?? Buffer.concat(parts));
    });
  };
}
