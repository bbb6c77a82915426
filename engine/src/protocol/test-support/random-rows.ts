// Test support: random column values per kind (seeded), and the value a client must end up with
// for a server value (quantized floats dequantized, f32 rounded).
import type { CompiledLayout, ColumnValue } from '../layout.ts';
import { C_QUANT, C_F32 } from '../layout.ts';
import { quantizedValue } from '../quantize.ts';

export type Rand = () => number;

export function mulberry32(seed: number): Rand {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

function randomString(r: Rand): string {
  const n = int(r, 0, 6);
  let s = '';
  for (let i = 0; i < n; i++) {
    const pick = r();
    if (pick < 0.6) s += String.fromCharCode(int(r, 32, 126));
    else if (pick < 0.8) s += String.fromCharCode(int(r, 0xa0, 0x7ff));
    else if (pick < 0.9) s += String.fromCharCode(int(r, 0x800, 0xd7ff));
    else s += String.fromCodePoint(int(r, 0x10000, 0x10ffff));
  }
  return s;
}

function hex64(n: number): string {
  return n.toString(16).padStart(64, '0');
}

function randomFloat(r: Rand, f32: boolean): number {
  const p = r();
  let v: number;
  if (p < 0.03) v = [NaN, Infinity, -Infinity, -0, 1e300][int(r, 0, 4)]!;
  else if (p < 0.5) v = (r() - 0.5) * 4000;
  else v = (r() - 0.5) * 2 * 10 ** int(r, -3, 9);
  return f32 ? Math.fround(v) : v;
}

/** A random value for column `c`; `prev` (if any) makes small moves likely for numeric columns. */
export function randomValue(r: Rand, L: CompiledLayout, c: number, prev?: ColumnValue): ColumnValue {
  const kind = L.layout.columns[c]!.kind;
  const near = typeof prev === 'number' && Number.isFinite(prev) && r() < 0.6;
  switch (kind) {
    case 'bool': return r() < 0.5;
    case 'u8': return int(r, 0, 255);
    case 'i8': return int(r, -128, 127);
    case 'u16': return near ? Math.min(0xffff, Math.max(0, (prev as number) + int(r, -3, 3))) : int(r, 0, 0xffff);
    case 'i16': return near ? Math.min(0x7fff, Math.max(-0x8000, (prev as number) + int(r, -3, 3))) : int(r, -0x8000, 0x7fff);
    case 'u32': return near ? Math.min(0xffffffff, Math.max(0, (prev as number) + int(r, -300, 300))) : int(r, 0, 0xffffffff);
    case 'i32': return near ? Math.min(0x7fffffff, Math.max(-0x80000000, (prev as number) + int(r, -300, 300))) : int(r, -0x80000000, 0x7fffffff);
    case 'f32': case 'f64': {
      const f32 = kind === 'f32';
      if (near) {
        const v = (prev as number) + (r() - 0.5) * (r() < 0.2 ? 0.004 : 1);
        return f32 ? Math.fround(v) : v;
      }
      return randomFloat(r, f32);
    }
    case 'string': return randomString(r);
    case 'identity': return hex64(int(r, 0, 2 ** 40));
    case 'bytes': return Uint8Array.from({ length: int(r, 0, 5) }, () => int(r, 0, 255));
    case 'enum': {
      const values = L.enumValues[c]!;
      return values[int(r, 0, values.length - 1)]!;
    }
  }
}

/** A fresh primary key value for a new row, or null when the kind's key space is exhausted. */
export function newPk(r: Rand, L: CompiledLayout, used: ReadonlySet<unknown>): ColumnValue | null {
  const kind = L.layout.columns[L.pkIndex]!.kind;
  for (let attempt = 0; attempt < 20; attempt++) {
    let v: ColumnValue;
    if (kind === 'string') v = `k${int(r, 0, 1e6)}${randomString(r)}`;
    else if (kind === 'identity') v = hex64(int(r, 0, 2 ** 48));
    else if (kind === 'enum') v = L.enumValues[L.pkIndex]![int(r, 0, L.enumValues[L.pkIndex]!.length - 1)]!;
    else v = randomValue(r, L, L.pkIndex);
    if (!used.has(v)) return v;
  }
  return null;
}

/** What a client holds for server value `v` of column `c`. */
export function clientValue(L: CompiledLayout, c: number, v: ColumnValue): ColumnValue {
  if (L.codes[c] === C_QUANT) return quantizedValue(v as number, L.steps[c]!);
  if (L.codes[c] === C_F32) return Math.fround(v as number);
  return v;
}
