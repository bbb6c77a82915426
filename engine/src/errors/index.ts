// The engine's small set of error types. SenderError means "the caller did something wrong" and its
// message goes back to the caller; anything else thrown inside a reducer is an internal fault.

export type ErrorCode =
  | 'REDUCER_FAILED' // fail(), reject() or a SenderError thrown by game code
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

/** Builds a SenderError without running the Error constructor: game code throws these on ordinary
 * paths (an overdraft, a full inventory), and capturing a stack costs more than the reducer itself.
 * It is still `instanceof SenderError` and `instanceof Error`, with name, code and message; it has
 * no stack (the message is for the caller, not a fault to debug). */
export function senderError(message: string, code: ErrorCode = 'REDUCER_FAILED'): SenderError {
  const e = Object.create(SenderError.prototype) as { -readonly [K in keyof SenderError]: SenderError[K] };
  e.message = message;
  e.code = code;
  e.name = 'SenderError';
  return e as SenderError;
}

/** Rolls back the current reducer call and reports `message` to its caller. */
export function fail(message: string): never {
  throw senderError(message);
}

/** What a reducer returns to fail without throwing (see reject()). */
export class Rejection {
  constructor(readonly message: string) {}
}

/** `return reject(message)` from a reducer: like fail(), every write of the call is rolled back and
 * `message` goes to the caller, but nothing is thrown. Throwing costs about a microsecond in V8
 * (the engine must build an exception message even when the throw is caught), several times a
 * whole successful call, so reducers that refuse often (an overdraft, a full inventory, a spell on
 * cooldown) should return reject() where they can and keep fail() for deep call stacks. */
export function reject(message: string): Rejection {
  return new Rejection(message);
}
