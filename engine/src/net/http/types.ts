// The plain HTTP request/response shapes every transport adapter produces and consumes, so routes
// are written once and run unchanged on uWebSockets.js, node:http or a test harness.

/** A request whose body has already been read (within the transport's body limit). */
export interface HttpRequest {
  /** Upper case, e.g. 'GET'. */
  readonly method: string;
  /** The path without the query string, e.g. '/v1/call/move'. */
  readonly path: string;
  /** The raw query string without the leading '?', '' when absent. */
  readonly query: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  readonly remoteAddress: string;
}

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export type HttpHandler = (req: HttpRequest) => HttpResponse | Promise<HttpResponse>;

/** A caller mistake answered with `status` and a JSON body `{ error, code }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
