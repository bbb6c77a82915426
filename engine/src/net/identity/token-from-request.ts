// Where a client's token travels: `Authorization: Bearer <token>` (Node clients, HTTP calls) or
// `?token=<token>` (browsers cannot set headers on a WebSocket upgrade).

export interface TokenCarrier {
  /** Raw query string without the leading '?'. */
  query: string;
  /** The Authorization header value, '' when absent. */
  authorization: string;
}

const BEARER_RE = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** The token the request carries, the header winning over the query; undefined when none. */
export function tokenFromRequest(req: TokenCarrier): string | undefined {
  if (req.authorization) {
    const m = BEARER_RE.exec(req.authorization);
    if (m) return m[1];
  }
  if (req.query) {
    const t = new URLSearchParams(req.query).get('token');
    if (t) return t;
  }
  return undefined;
}
