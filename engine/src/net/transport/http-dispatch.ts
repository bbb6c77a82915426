// Running an HTTP handler the same way on every adapter: routing failures and HttpErrors become
// responses, anything else is an internal fault that is logged and answered with a bare 500.

import { STATUS_CODES } from 'node:http';
import type { Logger } from '../logger.ts';
import { errorResponse, json } from '../http/respond.ts';
import { HttpError } from '../http/types.ts';
import type { HttpHandler, HttpRequest, HttpResponse } from '../http/types.ts';

export async function runHttp(handler: HttpHandler | undefined, req: HttpRequest, logger: Logger): Promise<HttpResponse> {
  if (!handler) return errorResponse(req, new HttpError(404, 'NOT_FOUND', `no route for ${req.path}`));
  try {
    return await handler(req);
  } catch (e) {
    if (e instanceof HttpError) return errorResponse(req, e);
    logger.error(`HTTP handler for ${req.method} ${req.path} failed`, e);
    return json(500, { error: 'internal error', code: 'INTERNAL' });
  }
}

export function statusLine(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? 'Unknown'}`;
}

export function bodyTooLarge(maxBodyBytes: number): HttpResponse {
  return json(413, { error: `the request body is larger than ${maxBodyBytes} bytes`, code: 'BODY_TOO_LARGE' });
}

export function badRequest(message: string): HttpResponse {
  return json(400, { error: message, code: 'BAD_REQUEST' });
}

/** Splits '/a/b?x=1' into path and raw query. */
export function splitUrl(url: string): { path: string; query: string } {
  const q = url.indexOf('?');
  return q === -1 ? { path: url, query: '' } : { path: url.slice(0, q), query: url.slice(q + 1) };
}
