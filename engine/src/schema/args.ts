// Reducer argument validation, compiled once per reducer: arguments arrive from the network as
// decoded msgpack/JSON and must match the declared types before any game code sees them.
import type { ColumnsShape, ColumnKind } from './column.ts';

const INT_RANGE: Partial<Record<ColumnKind, [number, number]>> = {
  u8: [0, 0xff], u16: [0, 0xffff], u32: [0, 0xffffffff],
  i8: [-0x80, 0x7f], i16: [-0x8000, 0x7fff], i32: [-0x80000000, 0x7fffffff],
};

export const MAX_STRING_ARG = 64 * 1024;

/** Returns null when `v` fits `kind`, else a short description of what was expected. */
export function checkValue(kind: ColumnKind, v: unknown, enumValues: readonly string[] | null): string | null {
  switch (kind) {
    case 'u8': case 'u16': case 'u32': case 'i8': case 'i16': case 'i32': {
      const [lo, hi] = INT_RANGE[kind]!;
      return typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi ? null : `an integer in ${lo}..${hi} (${kind})`;
    }
    case 'f32': case 'f64':
      return typeof v === 'number' && Number.isFinite(v) ? null : `a finite number (${kind})`;
    case 'bool':
      return typeof v === 'boolean' ? null : 'a boolean';
    case 'string':
      return typeof v === 'string' && v.length <= MAX_STRING_ARG ? null : `a string of at most ${MAX_STRING_ARG} characters`;
    case 'identity':
      return typeof v === 'string' && /^[0-9a-f]{64}$/.test(v) ? null : 'an identity (64 lowercase hex characters)';
    case 'bytes':
      return v instanceof Uint8Array ? null : 'bytes (Uint8Array / msgpack bin)';
    case 'enum':
      return typeof v === 'string' && enumValues!.includes(v) ? null : `one of ${enumValues!.map((e) => `'${e}'`).join(', ')}`;
  }
}

/** A fast boolean form of checkValue for the write path; checkValue explains failures. */
export function compileCheck(kind: ColumnKind, enumValues: readonly string[] | null): (v: unknown) => boolean {
  const range = INT_RANGE[kind];
  if (range) {
    const [lo, hi] = range;
    return (v) => typeof v === 'number' && v >= lo && v <= hi && Math.floor(v) === v;
  }
  switch (kind) {
    case 'f32': case 'f64': return (v) => typeof v === 'number' && v - v === 0;
    case 'bool': return (v) => typeof v === 'boolean';
    case 'enum': return (v) => typeof v === 'string' && enumValues!.includes(v);
    default: return (v) => checkValue(kind, v, enumValues) === null;
  }
}

export type ArgValidator = (args: unknown) => string | null;

export function compileArgValidator(spec: ColumnsShape): ArgValidator {
  const fields = Object.entries(spec).map(([name, b]) => ({
    name, kind: b.config.kind, optional: b.config.optional, enumValues: b.config.enumValues,
    ok: compileCheck(b.config.kind, b.config.enumValues),
  }));
  const allowed = new Set(fields.map((f) => f.name));
  const n = fields.length;
  return (args) => {
    if (typeof args !== 'object' || args === null || Array.isArray(args) || args instanceof Uint8Array) {
      return 'arguments must be an object of named fields';
    }
    const rec = args as Record<string, unknown>;
    let present = 0;
    for (let i = 0; i < n; i++) {
      const f = fields[i]!;
      const v = rec[f.name];
      if (v === undefined) {
        if (f.optional) continue;
        return `missing argument '${f.name}'`;
      }
      present++;
      if (!f.ok(v)) return `argument '${f.name}' must be ${checkValue(f.kind, v, f.enumValues)}`;
    }
    // Extra fields are refused (they usually mean a client built for another module version).
    let keys = 0;
    for (const _k in rec) keys++;
    if (keys !== present) for (const k in rec) if (!allowed.has(k)) return `unknown argument '${k}'`;
    return null;
  };
}
