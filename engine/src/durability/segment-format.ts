// Log segment files: `<first tick, 20 digits>.wlog`, a checksummed header naming the module version,
// then back-to-back record frames (record-codec.ts).

import { decode, encode } from '@msgpack/msgpack';
import { crc32c } from '@node-rs/crc32';

const MAGIC = Buffer.from('WLINELOG', 'latin1');
// 2: the world hash each tick record carries is keyed by slot (table-hash.ts); version 1 logs hold
// pk-keyed hashes that would fail verification.
export const SEGMENT_FORMAT_VERSION = 2;
const SUFFIX = '.wlog';

export interface SegmentHeader {
  formatVersion: number;
  versionHash: string;
  firstTick: number;
  createdAt: number;
}

export function segmentFileName(firstTick: number): string {
  return String(firstTick).padStart(20, '0') + SUFFIX;
}

/** First tick named by a segment file name, or undefined for files that are not segments. */
export function parseSegmentFileName(name: string): number | undefined {
  if (!name.endsWith(SUFFIX) || name.length !== 20 + SUFFIX.length) return undefined;
  const digits = name.slice(0, 20);
  return /^\d{20}$/.test(digits) ? Number(digits) : undefined;
}

export function encodeSegmentHeader(h: Omit<SegmentHeader, 'formatVersion'>): Buffer {
  const meta = encode({ versionHash: h.versionHash, firstTick: h.firstTick, createdAt: h.createdAt });
  const buf = Buffer.alloc(8 + 4 + 4 + meta.byteLength + 4);
  MAGIC.copy(buf, 0);
  buf.writeUInt32LE(SEGMENT_FORMAT_VERSION, 8);
  buf.writeUInt32LE(meta.byteLength, 12);
  buf.set(meta, 16);
  buf.writeUInt32LE(crc32c(buf.subarray(0, 16 + meta.byteLength)), 16 + meta.byteLength);
  return buf;
}

export type HeaderCheck = { ok: true; header: SegmentHeader; size: number } | { ok: false; reason: string };

export function decodeSegmentHeader(buf: Uint8Array): HeaderCheck {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 20) return { ok: false, reason: 'file shorter than a segment header' };
  if (!b.subarray(0, 8).equals(MAGIC)) return { ok: false, reason: 'not a worldline log segment (bad magic)' };
  const formatVersion = b.readUInt32LE(8);
  if (formatVersion !== SEGMENT_FORMAT_VERSION)
    return { ok: false, reason: `segment format version ${formatVersion}, this engine reads ${SEGMENT_FORMAT_VERSION}` };
  const metaLen = b.readUInt32LE(12);
  const size = 16 + metaLen + 4;
  if (metaLen > 65536 || b.length < size) return { ok: false, reason: 'truncated segment header' };
  if (crc32c(b.subarray(0, 16 + metaLen)) !== b.readUInt32LE(16 + metaLen))
    return { ok: false, reason: 'segment header checksum mismatch' };
  const meta = decode(b.subarray(16, 16 + metaLen)) as Omit<SegmentHeader, 'formatVersion'>;
  return { ok: true, header: { formatVersion, ...meta }, size };
}
