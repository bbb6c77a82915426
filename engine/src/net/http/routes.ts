// The HTTP routes Worldline serves beside its WebSocket: GET /health, GET /metrics and
// POST /v1/call/:reducer. Game logic stays outside: the server passes in how to authenticate a
// token and how to run a call (resolving after the tick that ran it is durable).

import { NetError } from '../errors.ts';
import { tokenFromRequest } from '../identity/token-from-request.ts';
import type { MetricsRegistry } from './metrics.ts';
import { decodeBody, json, reply } from './respond.ts';
import type { Router } from './router.ts';
import { HttpError } from './types.ts';
import type { HttpRequest } from './types.ts';

/** What a reducer call came to; the same shape the engine's CallResult has. */
export type CallOutcome = { ok: true } | { ok: false; error: string; code: string };

export interface HealthReport {
  ok: boolean;
  [key: string]: unknown;
}

export interface WorldlineRoutesOptions {
  /** Rendered on GET /metrics; the route is absent without it. */
  metrics?: MetricsRegistry;
  /** Body of GET /health (status 200 when ok, 503 otherwise). Default `{ ok: true }`. */
  health?: () => HealthReport | Promise<HealthReport>;
  /** Bearer token (header or ?token=) to identity; throw a NetError with a TOKEN_* code to refuse. */
  authenticate(token: string): string;
  /** Runs `reducer` for `identity`; resolves once its result is committed. */
  call(reducer: string, args: unknown, identity: string, req: HttpRequest): Promise<CallOutcome>;
  /** HTTP status for a failed call's code; default: UNKNOWN_REDUCER 404, BAD_ARGUMENTS 400, RATE_LIMITED 429, else 422. */
  statusForCode?: (code: string) => number;
}

export function defaultStatusForCode(code: string): number {
  switch (code) {
    case 'UNKNOWN_REDUCER':
      return 404;
    case 'BAD_ARGUMENTS':
      return 400;
    case 'RATE_LIMITED':
      return 429;
    case 'INTERNAL':
      return 500;
    default:
      return 422;
  }
}

export function registerWorldlineRoutes(router: Router, opts: WorldlineRoutesOptions): Router {
  const statusFor = opts.statusForCode ?? defaultStatusForCode;

  router.get('/health', async () => {
    const report = opts.health ? await opts.health() : { ok: true };
    return json(report.ok ? 200 : 503, report);
  });

  const metrics = opts.metrics;
  if (metrics) {
    router.get('/metrics', () => ({
      status: 200,
      headers: { 'content-type': metrics.contentType },
      body: metrics.render(),
    }));
  }

  router.post('/v1/call/:reducer', async (req, params) => {
    const token = tokenFromRequest({ query: req.query, authorization: req.headers['authorization'] ?? '' });
    if (!token) {
      throw new HttpError(401, 'TOKEN_MISSING', 'send a token as "Authorization: Bearer <token>" or ?token=<token>', {
        'www-authenticate': 'Bearer',
      });
    }
    let identity: string;
    try {
      identity = opts.authenticate(token);
    } catch (e) {
      if (e instanceof NetError) throw new HttpError(401, e.code, e.message, { 'www-authenticate': 'Bearer error="invalid_token"' });
      throw e;
    }
    const args = decodeBody(req) ?? {};
    const outcome = await opts.call(params.reducer, args, identity, req);
    return reply(req, outcome.ok ? 200 : statusFor(outcome.code), outcome);
  });

  return router;
}
