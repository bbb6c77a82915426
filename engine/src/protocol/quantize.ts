// Quantization of float columns: a value travels as the integer q = round(v / step) and arrives as
// q * step. Server and client use these same functions, so "the quantized server state" is exact.
import { integerReciprocal } from './layout.ts';

/** |q| is clamped here so deltas and their zigzag encoding stay exact safe integers. */
export const MAX_QUANT = 2 ** 48;

/** q for `v`; non-finite values quantize to 0. `inv` is integerReciprocal(step) (0 if none). */
export function quantizeWith(v: number, step: number, inv: number): number {
  if (!(v - v === 0)) return 0; // NaN or ±Infinity
  let q = inv !== 0 ? Math.round(v * inv) : Math.round(v / step);
  if (q > MAX_QUANT) q = MAX_QUANT;
  else if (q < -MAX_QUANT) q = -MAX_QUANT;
  return q + 0; // no -0
}

export function dequantizeWith(q: number, step: number, inv: number): number {
  return inv !== 0 ? q / inv : q * step;
}

export function quantize(v: number, step: number): number {
  return quantizeWith(v, step, integerReciprocal(step));
}

export function dequantize(q: number, step: number): number {
  return dequantizeWith(q, step, integerReciprocal(step));
}

/** The value a client sees for server value `v` in a column quantized to `step`. */
export function quantizedValue(v: number, step: number): number {
  const inv = integerReciprocal(step);
  return dequantizeWith(quantizeWith(v, step, inv), step, inv);
}
