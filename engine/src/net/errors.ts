// Errors raised by the network edge (transports, HTTP, identity, limits). Each carries a code a
// caller can branch on and a message that says what to do about it.

export type NetErrorCode =
  | 'BAD_OPTION' // a transport/limit/identity option has an invalid value
  | 'LISTEN_FAILED' // the port could not be bound
  | 'NOT_LISTENING' // close() or address queried before listen()
  | 'TOKEN_MISSING' // no token in the request
  | 'TOKEN_MALFORMED' // not of the form v1.<identity>.<issuedAt>.<sig>
  | 'TOKEN_UNSUPPORTED_VERSION' // a token version this server does not know
  | 'TOKEN_BAD_SIGNATURE' // forged or altered token, or signed with another secret
  | 'TOKEN_EXPIRED' // older than the configured maximum age
  | 'SECRET_INVALID'; // the configured or stored token secret is unusable

export class NetError extends Error {
  constructor(
    readonly code: NetErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'NetError';
  }
}
