// The engine's small set of error types. SenderError means "the caller did something wrong" and its
// message goes back to the caller; anything else thrown inside a reducer is an internal fault.

export type ErrorCode =
  | 'REDUCER_FAILED' // fail() or a SenderError thrown by game code
  | 'UNKNOWN_REDUCER'
  | 'BAD_ARGUMENTS'
  | 'UNIQUE_VIOLATION'
  | 'PK_VIOLATION'
  | 'NOT_FOUND'
  | 'READ_ONLY'
  | 'INTERNAL'
  | 'SCHEMA';

export class WorldlineError extends Error {
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
    this.name = 'WorldlineError';
  }
}

/** An error whose message is meant for the caller of a reducer. */
export class SenderError extends WorldlineError {
  constructor(message: string, code: ErrorCode = 'REDUCER_FAILED') {
    super(code, message);
    this.name = 'SenderError';
  }
}

/** Builds a SenderError without a stack trace: game code throws these on ordinary paths
 * (an overdraft, a full inventory), and capturing a stack costs more than the reducer itself. */
export function senderError(message: string, code: ErrorCode = 'REDUCER_FAILED'): SenderError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  const e = new SenderError(message, code);
  Error.stackTraceLimit = limit;
  return e;
}

/** Rolls back the current reducer call and reports `message` to its caller. */
export function fail(message: string): never {
  throw senderError(message);
}
