// Protocol version and decoding limits. Limits bound what a decoder will allocate for untrusted bytes;
// they are passed in (with these defaults) so a server can tighten them per deployment.

/** Bumped on any incompatible change to frames or the row codec; carried in every Frame. */
export const PROTOCOL_VERSION = 2;

export interface ProtocolLimits {
  /** Frames larger than this are rejected before any parsing. */
  readonly maxFrameBytes: number;
  /** Maximum elements in a vector of tables, strings or numbers (byte vectors are bounded by the frame). */
  readonly maxVectorLength: number;
  /** Maximum UTF-8 length of a string field. */
  readonly maxStringBytes: number;
  /** Row handles per table per connection are below this (bounds a client's handle table). */
  readonly maxHandles: number;
}

export const DEFAULT_LIMITS: ProtocolLimits = {
  maxFrameBytes: 4 * 1024 * 1024,
  maxVectorLength: 1 << 16,
  maxStringBytes: 1 << 16,
  maxHandles: 1 << 20,
};

export function resolveLimits(partial?: Partial<ProtocolLimits>): ProtocolLimits {
  if (!partial) return DEFAULT_LIMITS;
  return { ...DEFAULT_LIMITS, ...partial };
}
