// Errors raised by the durability layer. Each carries a code a caller can branch on and a message
// that says what to do about it.

export type DurabilityErrorCode =
  | 'BAD_OPTION' // a durability option has an invalid value
  | 'VERSION_MISMATCH' // the data directory was written by a different module version or data format
  | 'META_CORRUPT' // world.json is unreadable
  | 'LOG_CORRUPT' // a log record failed its checksum or framing checks
  | 'LOG_GAP' // the log skips a tick (a segment is missing)
  | 'LOG_FAILED' // a write or fsync failed; the log accepts no more appends
  | 'SNAPSHOT_CORRUPT' // a snapshot failed its checksum or framing checks
  | 'DIVERGENCE' // re-executing a logged tick produced a different state hash
  | 'NO_SUCH_TICK' // time travel to a tick the log does not hold
  | 'LOCKED' // another live process has the data directory open
  | 'CLOSED'; // the durable world or log was closed

export class DurabilityError extends Error {
  constructor(
    readonly code: DurabilityErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DurabilityError';
  }
}
