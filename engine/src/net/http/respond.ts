// Helpers to answer in JSON or msgpack and to decode a JSON/msgpack request body, with the
// status codes a client can act on (400 unreadable body, 415 unsupported content type).

import { decode as msgpackDecode, encode as msgpackEncode } from '@msgpack/msgpack';
import { HttpError } from './types.ts';
import type { HttpRequest, HttpResponse } from './types.ts';

export const JSON_TYPE = 'application/json; charset=utf-8';
export const MSGPACK_TYPE = 'application/msgpack';

const MSGPACK_TYPES = new Set(['application/msgpack', 'application/x-msgpack', 'application/vnd.msgpack']);

/** The media type of a Content-Type/Accept value without parameters, lower case. */
export function mediaType(value: string | undefined): string {
  if (!value) return '';
  const semi = value.indexOf(';');
  return (semi === -1 ? value : value.slice(0, semi)).trim().toLowerCase();
}

export function isMsgpackType(value: string | undefined): boolean {
  return MSGPACK_TYPES.has(mediaType(value));
}

export function json(status: number, value: unknown, headers?: Record<string, string>): HttpResponse {
  return { status, headers: { 'content-type': JSON_TYPE, ...headers }, body: JSON.stringify(value) };
}

export function msgpack(status: number, value: unknown, headers?: Record<string, string>): HttpResponse {
  return { status, headers: { 'content-type': MSGPACK_TYPE, ...headers }, body: msgpackEncode(value) };
}

export function text(status: number, body: string, contentType = 'text/plain; charset=utf-8'): HttpResponse {
  return { status, headers: { 'content-type': contentType }, body };
}

/**
 * Answers in msgpack when Accept names it, in JSON when Accept names JSON, and otherwise (no Accept,
 * or a wildcard) in the format the request body came in.
 */
export function reply(req: HttpRequest, status: number, value: unknown, headers?: Record<string, string>): HttpResponse {
  return wantsMsgpack(req) ? msgpack(status, value, headers) : json(status, value, headers);
}

function wantsMsgpack(req: HttpRequest): boolean {
  const accept = req.headers['accept'];
  if (accept) {
    const types = accept.split(',').map(mediaType);
    if (types.some((t) => MSGPACK_TYPES.has(t))) return true;
    if (types.some((t) => t === 'application/json' || t.endsWith('+json'))) return false;
  }
  return isMsgpackType(req.headers['content-type']);
}

/** The error body every failed request carries. */
export function errorResponse(req: HttpRequest | undefined, err: HttpError): HttpResponse {
  const body = { error: err.message, code: err.code };
  return req ? reply(req, err.status, body, err.headers) : json(err.status, body, err.headers);
}

/**
 * Decodes a JSON or msgpack body by Content-Type; an empty body decodes to `undefined`.
 * A missing Content-Type is read as JSON, since that is what curl-style callers usually send.
 */
export function decodeBody(req: HttpRequest): unknown {
  if (req.body.byteLength === 0) return undefined;
  const type = mediaType(req.headers['content-type']);
  if (MSGPACK_TYPES.has(type)) {
    try {
      return msgpackDecode(req.body);
    } catch (e) {
      throw new HttpError(400, 'BAD_BODY', `the msgpack body could not be decoded: ${(e as Error).message}`);
    }
  }
  if (type === '' || type === 'application/json' || type.endsWith('+json')) {
    try {
      return JSON.parse(Buffer.from(req.body.buffer, req.body.byteOffset, req.body.byteLength).toString('utf8'));
    } catch (e) {
      throw new HttpError(400, 'BAD_BODY', `the JSON body could not be parsed: ${(e as Error).message}`);
    }
  }
  throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `send the body as application/json or application/msgpack, not ${type}`);
}
