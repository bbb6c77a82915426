// Snapshot file layout: a fixed header, msgpack meta, the image skeleton, then the 8-aligned raw
// column bytes, and a trailer with the CRC32C of everything before it.
//
//   [0,8) "WLSNAPSH"  [8,12) format version  [12,16) meta length  [16,20) skeleton length
//   [20,24) 0  [24,32) body length (f64)  meta  skeleton  pad-to-8  body  [u32 crc32c]["WEND"]

import { decode, encode } from '@msgpack/msgpack';
import { crc32c } from '@node-rs/crc32';
import { DurabilityError } from './errors.ts';
import { align8, decodeImage, encodeImage } from './image-codec.ts';

const MAGIC = Buffer.from('WLSNAPSH', 'latin1');
const END = Buffer.from('WEND', 'latin1');
// 2: the stored world hash is keyed by slot (table-hash.ts); version 1 images hold pk-keyed hashes.
export const SNAPSHOT_FORMAT_VERSION = 2;
const FIXED = 32;
const ZEROS = new Uint8Array(8);

export interface SnapshotMeta {
  tick: number;
  time: number;
  /** State hash of the world at `tick`. */
  hash: string;
  versionHash: string;
  createdAt: number;
}

export interface SnapshotParts {
  /** Buffers to write in order, trailer excluded (the writer adds it after checksumming these). */
  chunks: Uint8Array[];
  size: number;
}

export function snapshotParts(meta: SnapshotMeta, image: unknown): SnapshotParts {
  const enc = encodeImage(image);
  const metaBytes = encode(meta);
  const head = Buffer.alloc(FIXED);
  MAGIC.copy(head, 0);
  head.writeUInt32LE(SNAPSHOT_FORMAT_VERSION, 8);
  head.writeUInt32LE(metaBytes.byteLength, 12);
  head.writeUInt32LE(enc.skeleton.byteLength, 16);
  head.writeDoubleLE(enc.bodyBytes, 24);
  const chunks: Uint8Array[] = [head, metaBytes, enc.skeleton];
  let size = FIXED + metaBytes.byteLength + enc.skeleton.byteLength;
  const pad = (): void => {
    const p = align8(size) - size;
    if (p > 0) chunks.push(ZEROS.subarray(0, p));
    size += p;
  };
  pad();
  for (const blob of enc.blobs) {
    chunks.push(blob);
    size += blob.byteLength;
    pad();
  }
  return { chunks, size };
}

export function snapshotTrailer(crc: number): Buffer {
  const t = Buffer.alloc(8);
  t.writeUInt32LE(crc >>> 0, 0);
  END.copy(t, 4);
  return t;
}

const corrupt = (what: string): DurabilityError => new DurabilityError('SNAPSHOT_CORRUPT', `snapshot ${what}`);

/** Reads the meta without checking the checksum (for listings). */
export function parseSnapshotMeta(head: Uint8Array): SnapshotMeta {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (b.length < FIXED || !b.subarray(0, 8).equals(MAGIC)) throw corrupt('has a bad magic number');
  const version = b.readUInt32LE(8);
  if (version !== SNAPSHOT_FORMAT_VERSION) throw corrupt(`format version ${version}, this engine reads ${SNAPSHOT_FORMAT_VERSION}`);
  const metaLen = b.readUInt32LE(12);
  if (FIXED + metaLen > b.length) throw corrupt('header is truncated');
  return decode(b.subarray(FIXED, FIXED + metaLen)) as SnapshotMeta;
}

/** Parses a whole snapshot file. `bytes` must start at offset 0 of its own ArrayBuffer so column
 * views are aligned; they stay views over it. Throws SNAPSHOT_CORRUPT on any mismatch. */
export function parseSnapshot(bytes: Uint8Array): { meta: SnapshotMeta; image: unknown } {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < FIXED + 8) throw corrupt('file is truncated');
  const meta = parseSnapshotMeta(b);
  const metaLen = b.readUInt32LE(12);
  const skelLen = b.readUInt32LE(16);
  const bodyLen = b.readDoubleLE(24);
  const bodyStart = align8(FIXED + metaLen + skelLen);
  const trailerAt = bodyStart + bodyLen;
  if (!Number.isSafeInteger(bodyLen) || trailerAt + 8 !== b.length) throw corrupt(`length does not match its header (${b.length} bytes)`);
  if (!b.subarray(trailerAt + 4, trailerAt + 8).equals(END)) throw corrupt('trailer is missing');
  if (crc32c(b.subarray(0, trailerAt)) !== b.readUInt32LE(trailerAt)) throw corrupt('checksum mismatch');
  const skeleton = b.subarray(FIXED + metaLen, FIXED + metaLen + skelLen);
  const image = decodeImage(skeleton, b.subarray(bodyStart, trailerAt));
  return { meta, image };
}
