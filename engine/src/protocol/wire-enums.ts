// Mappings between the codec's string names and the numeric enums of schema/frames.fbs.
import type { ColumnKind } from './layout.ts';
import type { FilterOp } from './frame-types.ts';

export const KIND_TO_WIRE: Record<ColumnKind, number> = {
  bool: 0, u8: 1, i8: 2, u16: 3, i16: 4, u32: 5, i32: 6, f32: 7, f64: 8, string: 9, identity: 10, bytes: 11, enum: 12,
};
export const WIRE_TO_KIND: readonly ColumnKind[] = [
  'bool', 'u8', 'i8', 'u16', 'i16', 'u32', 'i32', 'f32', 'f64', 'string', 'identity', 'bytes', 'enum',
];

export const OP_TO_WIRE: Record<FilterOp, number> = { eq: 0, range: 1, ownerIsMe: 2 };
export const WIRE_TO_OP: readonly FilterOp[] = ['eq', 'range', 'ownerIsMe'];
