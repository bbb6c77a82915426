// Column value encodings of the row codec, one switch per direction. Whole values (inserts) are
// absolute; update values are deltas where that is smaller (16/32-bit integers, quantized floats)
// and carry nothing for bools (a set mask bit means "flipped"). See docs/protocol.md "Row codec".
import type { ByteWriter } from './byte-writer.ts';
import type { ByteReader } from './byte-reader.ts';
import type { RowReader } from './row-reader.ts';
import { ProtocolError } from './errors.ts';
import { writeIdentity, identityFromBytes } from './identity-bytes.ts';
import { quantizeWith, dequantizeWith, MAX_QUANT } from './quantize.ts';
import {
  C_BOOL, C_U8, C_I8, C_U16, C_I16, C_U32, C_I32, C_F32, C_F64, C_QUANT, C_STRING, C_IDENTITY, C_BYTES, C_ENUM,
  type CompiledLayout, type ColumnValue,
} from './layout.ts';

function enumIndex(L: CompiledLayout, c: number, v: ColumnValue): number {
  if (typeof v === 'number') {
    if (v >= 0 && v < L.enumValues[c]!.length && Math.floor(v) === v) return v;
  } else {
    const i = L.enumIndex[c]!.get(v as string);
    if (i !== undefined) return i;
  }
  throw new ProtocolError('BAD_VALUE', `table '${L.name}' column '${L.names[c]}': ${String(v)} is not one of its enum values`);
}

/** Writes column `c` of a whole row (insert). */
export function writeWhole(w: ByteWriter, L: CompiledLayout, c: number, v: ColumnValue): void {
  switch (L.codes[c]) {
    case C_BOOL: w.u8(v ? 1 : 0); return;
    case C_U8: case C_I8: w.u8((v as number) & 0xff); return;
    case C_U16: case C_U32: w.varint(v as number); return;
    case C_I16: case C_I32: w.zigzag(v as number); return;
    case C_F32: w.f32(v as number); return;
    case C_F64: w.f64(v as number); return;
    case C_QUANT: w.zigzag(quantizeWith(v as number, L.steps[c]!, L.invSteps[c]!)); return;
    case C_STRING: w.utf8(v as string); return;
    case C_IDENTITY: writeIdentity(w, v as string); return;
    case C_BYTES: { const b = v as Uint8Array; w.varint(b.length); w.bytes(b); return; }
    case C_ENUM: w.u8(enumIndex(L, c, v)); return;
  }
}

/** Writes the update value of column `c` (listed in the change mask) of a row whose new value is
 * `next`. `prev` (the value clients hold) is read only where the encoding needs it: integer and
 * quantized deltas, and bools (a set bit means "flipped"). Returns false, writing nothing, when
 * clients would see no change (equal, or equal after quantization); other kinds trust the mask. */
export function writeChange(w: ByteWriter, L: CompiledLayout, c: number, next: ColumnValue, prev: RowReader): boolean {
  switch (L.codes[c]) {
    case C_BOOL: return next !== prev.read(c);
    case C_U16: case C_U32: case C_I16: case C_I32: {
      const d = (next as number) - (prev.read(c) as number);
      if (d === 0) return false;
      w.zigzag(d);
      return true;
    }
    case C_QUANT: {
      const s = L.steps[c]!, inv = L.invSteps[c]!;
      const d = quantizeWith(next as number, s, inv) - quantizeWith(prev.read(c) as number, s, inv);
      if (d === 0) return false;
      w.zigzag(d);
      return true;
    }
    default:
      writeWhole(w, L, c, next);
      return true;
  }
}

function badValue(L: CompiledLayout, c: number, what: string): never {
  throw new ProtocolError('BAD_VALUE', `table '${L.name}' column '${L.names[c]}': ${what}`);
}

function checkInt(L: CompiledLayout, c: number, v: number): number {
  if (v < L.intMin[c]! || v > L.intMax[c]!) badValue(L, c, `${v} is out of range`);
  return v;
}

function checkQuant(L: CompiledLayout, c: number, q: number): number {
  if (q > MAX_QUANT || q < -MAX_QUANT) badValue(L, c, `quantized value ${q} is out of range`);
  return dequantizeWith(q, L.steps[c]!, L.invSteps[c]!);
}

/** Reads column `c` of a whole row. Byte values are copied (rows outlive the frame). */
export function readWhole(r: ByteReader, L: CompiledLayout, c: number): ColumnValue {
  switch (L.codes[c]) {
    case C_BOOL: {
      const b = r.u8();
      if (b > 1) badValue(L, c, `bool byte ${b} is not 0 or 1`);
      return b === 1;
    }
    case C_U8: return r.u8();
    case C_I8: return (r.u8() << 24) >> 24;
    case C_U16: case C_U32: return checkInt(L, c, r.varint());
    case C_I16: case C_I32: return checkInt(L, c, r.zigzag());
    case C_F32: return r.f32();
    case C_F64: return r.f64();
    case C_QUANT: return checkQuant(L, c, r.zigzag());
    case C_STRING: return r.utf8(r.varint());
    case C_IDENTITY: { const b = r.bytes(32); return identityFromBytes(b, 0); }
    case C_BYTES: return r.bytes(r.varint()).slice();
    case C_ENUM: {
      const i = r.u8();
      const values = L.enumValues[c]!;
      if (i >= values.length) badValue(L, c, `enum index ${i} is not below ${values.length}`);
      return values[i]!;
    }
  }
  return badValue(L, c, 'unknown codec');
}

/** Reads the update value of column `c` given the value the client held. */
export function readChange(r: ByteReader, L: CompiledLayout, c: number, prev: ColumnValue): ColumnValue {
  switch (L.codes[c]) {
    case C_BOOL: return !prev;
    case C_U16: case C_U32: case C_I16: case C_I32: return checkInt(L, c, (prev as number) + r.zigzag());
    case C_QUANT: {
      const s = L.steps[c]!, inv = L.invSteps[c]!;
      return checkQuant(L, c, quantizeWith(prev as number, s, inv) + r.zigzag());
    }
    default: return readWhole(r, L, c);
  }
}
