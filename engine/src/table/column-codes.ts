// Small integer codes the table's hot paths switch on: value kinds, per-column index work, and the
// change mask's insert flag. Kept apart so the table's helpers can share them without a cycle.
import type { ColumnKind } from '../schema/column.ts';

/** Change-mask bit of a row inserted this tick (bits 0..29 are columns). */
export const INSERTED = 0x80000000;

export const K_INT = 0, K_F32 = 1, K_F64 = 2, K_BOOL = 3, K_ENUM = 4, K_STR = 5, K_BYTES = 6;
// What index work a column's writes need.
export const F_PK = 1, F_UNIQUE = 2, F_MULTI = 4, F_POOL = 8, F_SPATIAL = 16;
export function kindCode(k: ColumnKind): number {
  switch (k) {
    case 'f32': return K_F32;
    case 'f64': return K_F64;
    case 'bool': return K_BOOL;
    case 'enum': return K_ENUM;
    case 'string': case 'identity': return K_STR;
    case 'bytes': return K_BYTES;
    default: return K_INT;
  }
}

