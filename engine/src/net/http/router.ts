// A tiny method + path router: static segments and `:name` parameters, 404 for unknown paths and
// 405 (with an Allow header) for a known path asked with the wrong method.

import { errorResponse } from './respond.ts';
import { HttpError } from './types.ts';
import type { HttpRequest, HttpResponse } from './types.ts';

export type RouteParams = Readonly<Record<string, string>>;
export type RouteHandler = (req: HttpRequest, params: RouteParams) => HttpResponse | Promise<HttpResponse>;

interface Route {
  readonly method: string;
  readonly segments: readonly string[]; // ':name' marks a parameter
  readonly handler: RouteHandler;
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

export class Router {
  private readonly routes: Route[] = [];

  route(method: string, pattern: string, handler: RouteHandler): this {
    if (!pattern.startsWith('/')) throw new Error(`route pattern "${pattern}" must start with '/'`);
    this.routes.push({ method: method.toUpperCase(), segments: split(pattern), handler });
    return this;
  }

  get(pattern: string, handler: RouteHandler): this {
    return this.route('GET', pattern, handler);
  }

  post(pattern: string, handler: RouteHandler): this {
    return this.route('POST', pattern, handler);
  }

  /** Dispatches a request; routing and HttpError failures come back as responses, other errors throw. */
  async handle(req: HttpRequest): Promise<HttpResponse> {
    const parts = split(req.path);
    let allowed: string[] | undefined;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method !== req.method && !(route.method === 'GET' && req.method === 'HEAD')) {
        (allowed ??= []).push(route.method);
        continue;
      }
      if (params instanceof HttpError) return errorResponse(req, params);
      try {
        return await route.handler(req, params);
      } catch (e) {
        if (e instanceof HttpError) return errorResponse(req, e);
        throw e;
      }
    }
    if (allowed) {
      const allow = [...new Set(allowed)].join(', ');
      return errorResponse(req, new HttpError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${req.path}; use ${allow}`, { allow }));
    }
    return errorResponse(req, new HttpError(404, 'NOT_FOUND', `no route for ${req.path}`));
  }

  /** The router as a plain handler for a transport. */
  readonly handler = (req: HttpRequest): Promise<HttpResponse> => this.handle(req);
}

function matchSegments(pattern: readonly string[], parts: readonly string[]): Record<string, string> | HttpError | undefined {
  if (pattern.length !== parts.length) return undefined;
  let params: Record<string, string> | undefined;
  let bad: HttpError | undefined;
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    const part = parts[i];
    if (p.charCodeAt(0) === 58 /* ':' */) {
      let value = part;
      try {
        value = decodeURIComponent(part);
      } catch {
        bad = new HttpError(400, 'BAD_PATH', `path segment "${part}" is not valid percent-encoding`);
      }
      (params ??= {})[p.slice(1)] = value;
    } else if (p !== part) {
      return undefined;
    }
  }
  return bad ?? params ?? {};
}
