// TableLayout: the wire description of a table (what Welcome carries and what the row codec reads),
// and its compiled form, resolved once so the codec's per-row loops switch on small integer codes.
import { ProtocolError } from './errors.ts';

/** Same set as the engine's column kinds. */
export type ColumnKind =
  | 'u8' | 'u16' | 'u32' | 'i8' | 'i16' | 'i32' | 'f32' | 'f64'
  | 'bool' | 'enum' | 'string' | 'identity' | 'bytes';

/** A row value as the codec reads and writes it (enums as their string value). */
export type ColumnValue = number | boolean | string | Uint8Array;

export interface ColumnLayout {
  readonly name: string;
  readonly kind: ColumnKind;
  /** f32/f64 only: sent as integer multiples of this step. */
  readonly quant?: number | null;
  /** enum only: the values, in the order their u8 index refers to (at most 256). */
  readonly enumValues?: readonly string[] | null;
  /** Reducer arguments only: may be omitted. */
  readonly optional?: boolean;
}

export interface TableLayout {
  /** Small integer the frames use for this table (0..65535), unique within a module. */
  readonly id: number;
  readonly name: string;
  /** At most 32 columns (the update mask is 32 bits). */
  readonly columns: readonly ColumnLayout[];
  readonly pkIndex: number;
  /** 'owner': a client only ever receives rows whose `ownerIndex` identity column is its own.
   * Private tables are never described to clients. Default 'public'. */
  readonly visibility?: 'public' | 'owner';
  readonly ownerIndex?: number;
  /** Columns of the spatial point index, when the table has one (area subscriptions need it). */
  readonly spatial?: { readonly x: number; readonly y: number } | null;
}

export interface ReducerLayout {
  readonly id: number;
  readonly name: string;
  readonly args: readonly ColumnLayout[];
}

export const MAX_COLUMNS = 32;

/** Codec codes: one per distinct wire encoding. */
export const C_BOOL = 0, C_U8 = 1, C_I8 = 2, C_U16 = 3, C_I16 = 4, C_U32 = 5, C_I32 = 6,
  C_F32 = 7, C_F64 = 8, C_QUANT = 9, C_STRING = 10, C_IDENTITY = 11, C_BYTES = 12, C_ENUM = 13;

const KIND_CODE: Record<ColumnKind, number> = {
  bool: C_BOOL, u8: C_U8, i8: C_I8, u16: C_U16, i16: C_I16, u32: C_U32, i32: C_I32,
  f32: C_F32, f64: C_F64, string: C_STRING, identity: C_IDENTITY, bytes: C_BYTES, enum: C_ENUM,
};

export const INT_MIN: Record<number, number> = { [C_U16]: 0, [C_I16]: -0x8000, [C_U32]: 0, [C_I32]: -0x80000000 };
export const INT_MAX: Record<number, number> = { [C_U16]: 0xffff, [C_I16]: 0x7fff, [C_U32]: 0xffffffff, [C_I32]: 0x7fffffff };

/** A layout prepared for the codec. Build once per table (compileLayout) and reuse. */
export interface CompiledLayout {
  readonly layout: TableLayout;
  readonly id: number;
  readonly name: string;
  readonly ncols: number;
  readonly names: readonly string[];
  readonly codes: Uint8Array;
  /** Quantization step per column (0 when not quantized) and its reciprocal when that is an integer. */
  readonly steps: Float64Array;
  readonly invSteps: Float64Array;
  readonly intMin: Float64Array;
  readonly intMax: Float64Array;
  readonly enumValues: readonly (readonly string[] | null)[];
  readonly enumIndex: readonly (ReadonlyMap<string, number> | null)[];
  readonly pkIndex: number;
  /** Bits of every column: masks must be a subset. */
  readonly fullMask: number;
}

function bad(layout: { name?: unknown }, msg: string): never {
  throw new ProtocolError('BAD_LAYOUT', `table '${String(layout.name)}': ${msg}`);
}

/** Checks one column description (tables and reducer arguments alike). */
export function validateColumn(owner: { name?: unknown }, c: ColumnLayout): void {
  if (typeof c.name !== 'string' || c.name.length === 0) bad(owner, 'a column has no name');
  if (!(c.kind in KIND_CODE)) bad(owner, `column '${c.name}' has unknown kind '${String(c.kind)}'`);
  const q = c.quant ?? 0;
  if (q !== 0) {
    if (c.kind !== 'f32' && c.kind !== 'f64') bad(owner, `column '${c.name}': only f32/f64 columns can be quantized`);
    if (!(q > 0 && Number.isFinite(q))) bad(owner, `column '${c.name}': quantization step must be a positive number, got ${q}`);
  }
  if (c.kind === 'enum') {
    const v = c.enumValues;
    if (!v || v.length === 0 || v.length > 256) bad(owner, `enum column '${c.name}' needs 1..256 values`);
  }
}

export function validateLayout(layout: TableLayout): void {
  if (!Number.isInteger(layout.id) || layout.id < 0 || layout.id > 0xffff) bad(layout, `id ${layout.id} is not in 0..65535`);
  if (typeof layout.name !== 'string' || layout.name.length === 0) bad(layout, 'has no name');
  const n = layout.columns.length;
  if (n === 0 || n > MAX_COLUMNS) bad(layout, `has ${n} columns; the wire allows 1..${MAX_COLUMNS}`);
  const seen = new Set<string>();
  for (const c of layout.columns) {
    validateColumn(layout, c);
    if (seen.has(c.name)) bad(layout, `column '${c.name}' appears twice`);
    seen.add(c.name);
  }
  if (!Number.isInteger(layout.pkIndex) || layout.pkIndex < 0 || layout.pkIndex >= n) bad(layout, `pkIndex ${layout.pkIndex} is not a column`);
  const pkKind = layout.columns[layout.pkIndex]!.kind;
  if (pkKind === 'bytes' || pkKind === 'f32' || pkKind === 'f64' || pkKind === 'bool') bad(layout, `a ${pkKind} primary key cannot be sent`);
  if (layout.visibility === 'owner') {
    const o = layout.ownerIndex;
    if (o === undefined || !Number.isInteger(o) || o < 0 || o >= n || layout.columns[o]!.kind !== 'identity') {
      bad(layout, 'owner visibility needs ownerIndex pointing at an identity column');
    }
  }
  const sp = layout.spatial;
  if (sp && !(Number.isInteger(sp.x) && Number.isInteger(sp.y) && sp.x >= 0 && sp.y >= 0 && sp.x < n && sp.y < n)) {
    bad(layout, 'spatial columns are out of range');
  }
}

/** The reciprocal of `step` when it is (within rounding) an integer, else 0. Quantizing by
 * multiplying with an integer reciprocal gives the familiar decimals (q / 100, not q * 0.01). */
export function integerReciprocal(step: number): number {
  const inv = Math.round(1 / step);
  return inv >= 1 && Math.abs(inv * step - 1) < 1e-12 ? inv : 0;
}

export function compileLayout(layout: TableLayout): CompiledLayout {
  validateLayout(layout);
  const n = layout.columns.length;
  const codes = new Uint8Array(n);
  const steps = new Float64Array(n);
  const invSteps = new Float64Array(n);
  const intMin = new Float64Array(n);
  const intMax = new Float64Array(n);
  const enumValues: (readonly string[] | null)[] = [];
  const enumIndex: (Map<string, number> | null)[] = [];
  layout.columns.forEach((c, i) => {
    const q = c.quant ?? 0;
    codes[i] = q > 0 ? C_QUANT : KIND_CODE[c.kind];
    steps[i] = q;
    invSteps[i] = q > 0 ? integerReciprocal(q) : 0;
    intMin[i] = INT_MIN[codes[i]!] ?? 0;
    intMax[i] = INT_MAX[codes[i]!] ?? 0;
    enumValues.push(c.kind === 'enum' ? c.enumValues! : null);
    enumIndex.push(c.kind === 'enum' ? new Map(c.enumValues!.map((v, k) => [v, k])) : null);
  });
  return {
    layout, id: layout.id, name: layout.name, ncols: n, names: layout.columns.map((c) => c.name),
    codes, steps, invSteps, intMin, intMax, enumValues, enumIndex, pkIndex: layout.pkIndex,
    fullMask: n === 32 ? 0xffffffff : (2 ** n) - 1,
  };
}
