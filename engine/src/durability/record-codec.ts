// Binary framing of one log record: [u32 payload length][u32 CRC32C of payload][payload].
// Payload: [u8 kind][u32 tick lo][u32 tick hi][f64 time][u32 seed][u8 hash length][hash ascii][body]:
// the body is the tick's inputs (input-codec.ts) or, for a restore, msgpack [toTick].

import { Decoder, Encoder } from '@msgpack/msgpack';
import { crc32c } from '@node-rs/crc32';
import { DurabilityError } from './errors.ts';
import { decodeInputs, encodeInputs } from './input-codec.ts';
import type { LogRecord } from './types.ts';

export const FRAME_HEADER_BYTES = 8;
/** Anything claiming to be larger is a corrupt length field, not a real tick. */
export const MAX_RECORD_BYTES = 256 * 1024 * 1024;
/** kind + tick + time + seed + hash length + at least one msgpack byte. */
export const MIN_PAYLOAD_BYTES = 1 + 8 + 8 + 4 + 1 + 1;

const KIND_TICK = 1;
const KIND_RESTORE = 2;

const TWO32 = 0x1_0000_0000;

const encoder = new Encoder();
const decoder = new Decoder();

/** Encodes a record into one freshly allocated frame buffer, ready for writev. */
export function encodeRecord(rec: LogRecord): Buffer {
  const body = rec.kind === 'tick' ? encodeInputs(rec.inputs) : encoder.encodeSharedRef([rec.toTick]);
  const hashLen = Buffer.byteLength(rec.hash, 'latin1');
  if (hashLen > 255) throw new DurabilityError('BAD_OPTION', `state hash too long (${hashLen} chars); hashes are short hex strings`);
  const payloadLen = 1 + 8 + 8 + 4 + 1 + hashLen + body.byteLength;
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payloadLen);
  let o = FRAME_HEADER_BYTES;
  frame.writeUInt8(rec.kind === 'tick' ? KIND_TICK : KIND_RESTORE, o); o += 1;
  frame.writeUInt32LE(rec.tick >>> 0, o); o += 4;
  frame.writeUInt32LE(Math.floor(rec.tick / TWO32), o); o += 4;
  frame.writeDoubleLE(rec.time, o); o += 8;
  frame.writeUInt32LE(rec.kind === 'tick' ? rec.seed >>> 0 : 0, o); o += 4;
  frame.writeUInt8(hashLen, o); o += 1;
  frame.write(rec.hash, o, 'latin1'); o += hashLen;
  frame.set(body, o);
  frame.writeUInt32LE(payloadLen, 0);
  frame.writeUInt32LE(crc32c(frame.subarray(FRAME_HEADER_BYTES)), 4);
  return frame;
}

/** Reads only the tick number of a payload (no checksum, no msgpack): used to seek. */
export function peekTick(buf: Uint8Array, payloadOffset: number): number {
  const dv = new DataView(buf.buffer, buf.byteOffset + payloadOffset + 1, 8);
  return dv.getUint32(0, true) + dv.getUint32(4, true) * TWO32;
}

/** Reads only the time of a payload (no checksum, no msgpack): used to search by time. */
export function peekTime(buf: Uint8Array, payloadOffset: number): number {
  return new DataView(buf.buffer, buf.byteOffset + payloadOffset + 9, 8).getFloat64(0, true);
}

/** Decodes a payload whose checksum has already been verified. */
export function decodePayload(payload: Uint8Array): LogRecord {
  const b = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  let o = 0;
  const kind = b.readUInt8(o); o += 1;
  const tick = b.readUInt32LE(o) + b.readUInt32LE(o + 4) * TWO32; o += 8;
  const time = b.readDoubleLE(o); o += 8;
  const seed = b.readUInt32LE(o); o += 4;
  const hashLen = b.readUInt8(o); o += 1;
  const hash = b.toString('latin1', o, o + hashLen); o += hashLen;
  if (kind === KIND_TICK) return { kind: 'tick', tick, time, seed, inputs: decodeInputs(b.subarray(o)), hash };
  if (kind === KIND_RESTORE) return { kind: 'restore', tick, time, toTick: (decoder.decode(b.subarray(o)) as number[])[0], hash };
  throw new DurabilityError('LOG_CORRUPT', `unknown log record kind ${kind} at tick ${tick}`);
}

export type FrameCheck =
  | { ok: true; payloadStart: number; end: number }
  | { ok: false; reason: 'incomplete' | 'bad-length' | 'bad-crc' };

export function describeFrameProblem(reason: 'incomplete' | 'bad-length' | 'bad-crc'): string {
  return reason === 'incomplete' ? 'torn record (incomplete write)' : reason === 'bad-crc' ? 'checksum mismatch' : 'invalid record length';
}

/** Checks the frame starting at `off` within `buf[0, limit)`. */
export function checkFrame(buf: Uint8Array, off: number, limit: number): FrameCheck {
  if (limit - off < FRAME_HEADER_BYTES) return { ok: false, reason: 'incomplete' };
  const dv = new DataView(buf.buffer, buf.byteOffset + off, FRAME_HEADER_BYTES);
  const len = dv.getUint32(0, true);
  const crc = dv.getUint32(4, true);
  if (len < MIN_PAYLOAD_BYTES || len > MAX_RECORD_BYTES) return { ok: false, reason: 'bad-length' };
  const start = off + FRAME_HEADER_BYTES;
  if (limit - start < len) return { ok: false, reason: 'incomplete' };
  if (crc32c(buf.subarray(start, start + len)) !== crc) return { ok: false, reason: 'bad-crc' };
  return { ok: true, payloadStart: start, end: start + len };
}
