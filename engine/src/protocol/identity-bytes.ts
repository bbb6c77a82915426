// Identities (64 lowercase hex characters) travel as their 32 raw bytes: half the size of the text.
import { ProtocolError } from './errors.ts';
import type { ByteWriter } from './byte-writer.ts';

const HEX = '0123456789abcdef';
const HEX_PAIRS: string[] = [];
for (let i = 0; i < 256; i++) HEX_PAIRS.push(HEX[i >> 4]! + HEX[i & 15]!);

function nibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  if (c >= 97 && c <= 102) return c - 87; // a-f
  return -1;
}

export function writeIdentity(w: ByteWriter, id: string): void {
  if (typeof id !== 'string' || id.length !== 64) {
    throw new ProtocolError('BAD_VALUE', `an identity must be 64 lowercase hex characters, got ${JSON.stringify(String(id).slice(0, 80))}`);
  }
  w.ensure(32);
  const b = w.buf;
  let p = w.pos;
  for (let i = 0; i < 64; i += 2) {
    const hi = nibble(id.charCodeAt(i));
    const lo = nibble(id.charCodeAt(i + 1));
    if (hi < 0 || lo < 0) throw new ProtocolError('BAD_VALUE', `an identity must be 64 lowercase hex characters, got '${id}'`);
    b[p++] = (hi << 4) | lo;
  }
  w.pos = p;
}

export function identityFromBytes(b: Uint8Array, start: number): string {
  let s = '';
  for (let i = start; i < start + 32; i++) s += HEX_PAIRS[b[i]!]!;
  return s;
}
