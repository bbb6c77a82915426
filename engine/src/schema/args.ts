// Reducer argument validation, compiled once per reducer: arguments arrive from the network as
// decoded msgpack/JSON and must match the declared types before any game code sees them.
import type { ColumnsShape, ColumnKind } from './column.ts';

export const INT_RANGE: Partial<Record<ColumnKind, [number, number]>> = {
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

/** Compiled once per reducer into straight-line code (one named property load and inline type test
 * per argument): every call from the network goes through it, and a generic loop over the fields
 * cost more than the reducer call itself. Failures are explained by checkValue. */
export function compileArgValidator(spec: ColumnsShape): ArgValidator {
  const fields = Object.entries(spec).map(([name, b]) => ({
    name, kind: b.config.kind, optional: b.config.optional, enumValues: b.config.enumValues,
    ok: compileCheck(b.config.kind, b.config.enumValues),
  }));
  const allowed = new Set(fields.map((f) => f.name));
  const explain = (i: number, v: unknown): string => {
    const f = fields[i]!;
    return `argument '${f.name}' must be ${checkValue(f.kind, v, f.enumValues)}`;
  };
  const extra = (rec: Record<string, unknown>): string | null => {
    for (const k in rec) if (!allowed.has(k)) return `unknown argument '${k}'`;
    return null;
  };
  const checks = fields.map((f) => f.ok);
  const test = (i: number): string => {
    const k = fields[i]!.kind, range = INT_RANGE[k];
    if (range) return `typeof v === 'number' && v >= ${range[0]} && v <= ${range[1]} && Math.floor(v) === v`;
    if (k === 'f32' || k === 'f64') return `typeof v === 'number' && v - v === 0`;
    if (k === 'bool') return `typeof v === 'boolean'`;
    return `checks[${i}](v)`;
  };
  // -0 becomes 0: the replay log (msgpack) has only one zero, and a reducer must see exactly what a
  // replay will give it (the sign of zero reaches float columns, and the state hash reads raw bits).
  const zero = (i: number): string => {
    const k = fields[i]!.kind;
    return INT_RANGE[k] || k === 'f32' || k === 'f64' ? `if (v === 0) args[${JSON.stringify(fields[i]!.name)}] = 0;` : '';
  };
  const body = [
    // ArrayBuffer.isView, not instanceof: the optimizer inlines it, while an instanceof against a
    // closure variable took a generic builtin on every call.
    `if (typeof args !== 'object' || args === null || Array.isArray(args) || ArrayBuffer.isView(args)) return 'arguments must be an object of named fields';`,
    'let present = 0, v;',
    ...fields.map((f, i) => `v = args[${JSON.stringify(f.name)}];
if (v === undefined) { ${f.optional ? '' : `return ${JSON.stringify(`missing argument '${f.name}'`)};`} }
else { present++; if (!(${test(i)})) return explain(${i}, v); ${zero(i)} }`),
    // Extra fields are refused (they usually mean a client built for another module version).
    'let keys = 0;',
    'for (const _k in args) keys++;',
    'return keys === present ? null : extra(args);',
  ].join('\n');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from the schema only, never from input
  return new Function('explain', 'extra', 'checks', `return function validateArgs(args) {\n${body}\n};`)(explain, extra, checks) as ArgValidator;
}
