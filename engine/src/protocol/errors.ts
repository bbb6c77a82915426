// ProtocolError: raised when bytes from the wire (or values handed to an encoder) break the protocol.
// Decoders throw only this type, so a server can map any malformed input to an Error frame.

export type ProtocolErrorCode =
  | 'TOO_LARGE' // the frame is bigger than the configured maximum
  | 'TRUNCATED' // the bytes end before a field, vector, string or row value does
  | 'BAD_OFFSET' // a flatbuffers offset or vtable points outside the buffer or is malformed
  | 'TOO_COMPLEX' // shared/overlapping structures would make decoding cost more than the frame size
  | 'VERSION_MISMATCH' // the frame's protocol version is not the one this side speaks
  | 'UNKNOWN_FRAME' // the frame body type is missing or not one this version knows
  | 'MISSING_FIELD' // a required field is absent
  | 'BAD_VALUE' // a value is out of range for its column kind or otherwise impossible
  | 'BAD_LAYOUT' // a table layout (schema description) is inconsistent
  | 'BAD_HANDLE' // a row handle is out of range, unknown, or used twice in one update
  | 'UNKNOWN_TABLE'; // a table id the receiver has no layout for

export class ProtocolError extends Error {
  constructor(
    readonly code: ProtocolErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/** Codes the server puts in Error frames and call failures. Clients must treat unknown codes as
 * generic errors: new codes may be added without a protocol version change. */
export const ErrorCodes = {
  /** The frame could not be decoded (see the message); persistent offenders are disconnected. */
  MALFORMED_FRAME: 'MALFORMED_FRAME',
  /** The client speaks another protocol version; the connection is closed after this frame. */
  VERSION_MISMATCH: 'VERSION_MISMATCH',
  /** The frame exceeds the server's maximum frame size. */
  FRAME_TOO_LARGE: 'FRAME_TOO_LARGE',
  /** Too many calls or frames per second; slow down. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The token was forged, altered or expired; connect without a token to get a new identity. */
  UNAUTHORIZED: 'UNAUTHORIZED',
  /** A frame type the server does not accept from clients (e.g. a TickUpdate), or a frame before ClientHello. */
  UNEXPECTED_FRAME: 'UNEXPECTED_FRAME',
  UNKNOWN_TABLE: 'UNKNOWN_TABLE',
  UNKNOWN_COLUMN: 'UNKNOWN_COLUMN',
  /** A Subscribe filter or SetArea is not supported on that column or table (e.g. not indexed). */
  BAD_SUBSCRIPTION: 'BAD_SUBSCRIPTION',
  /** The table is private, or owner-only with a filter other than owner_is_me. */
  NOT_VISIBLE: 'NOT_VISIBLE',
  TOO_MANY_SUBSCRIPTIONS: 'TOO_MANY_SUBSCRIPTIONS',
  /** Call failures (CallFailure.code), from the engine. */
  REDUCER_FAILED: 'REDUCER_FAILED',
  UNKNOWN_REDUCER: 'UNKNOWN_REDUCER',
  BAD_ARGUMENTS: 'BAD_ARGUMENTS',
  INTERNAL: 'INTERNAL',
  SHUTTING_DOWN: 'SHUTTING_DOWN',
} as const;
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];
