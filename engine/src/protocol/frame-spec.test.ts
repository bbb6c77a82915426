// The verifier's table descriptions (frame-spec.ts) must match schema/frames.fbs field for field:
// a field added to the schema but not to the spec would go unverified.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { ALL_TABLE_SPECS, FRAME_BODIES, type FieldSpec } from './frame-spec.ts';

const fbs = readFileSync(new URL('./schema/frames.fbs', import.meta.url), 'utf8').replace(/\/\/.*$/gm, '');

const SCALARS: Record<string, string> = {
  ubyte: 'u8', bool: 'bool', ushort: 'u16', short: 'i16', uint: 'u32', double: 'f64',
};
const enums = new Set([...fbs.matchAll(/enum\s+(\w+)\s*:\s*ubyte/g)].map((m) => m[1]!));
const unions = new Map([...fbs.matchAll(/union\s+(\w+)\s*\{([^}]*)\}/g)].map((m) => [m[1]!, m[2]!.split(',').map((s) => s.trim()).filter(Boolean)]));

/** Each table's fields as the verifier sees them: [name, spec shorthand]. */
function parsed(): Map<string, [string, string][]> {
  const out = new Map<string, [string, string][]>();
  for (const m of fbs.matchAll(/table\s+(\w+)\s*\{([^}]*)\}/g)) {
    const fields: [string, string][] = [];
    for (const line of m[2]!.split(';')) {
      const f = /^\s*(\w+)\s*:\s*([\w[\]]+)/.exec(line);
      if (!f) continue;
      const [, name, type] = f as unknown as [string, string, string];
      if (unions.has(type)) {
        fields.push([`${name}_type`, `unionType:${type}`], [name, `union:${type}`]);
      } else if (enums.has(type)) fields.push([name, 'u8']);
      else if (type in SCALARS) fields.push([name, SCALARS[type]!]);
      else if (type === 'string' || type === '[ubyte]' || type === '[ushort]' || type === '[uint]' || type === '[string]') fields.push([name, type]);
      else if (type.startsWith('[')) fields.push([name, `tables:${type.slice(1, -1)}`]);
      else fields.push([name, `table:${type}`]);
    }
    out.set(m[1]!, fields);
  }
  return out;
}

function shorthand(f: FieldSpec): string {
  if (typeof f === 'string') return f;
  if ('table' in f) return `table:${f.table.name}`;
  if ('tables' in f) return `tables:${f.tables.name}`;
  if ('unionType' in f) return `unionType:${f.unionType}`;
  return 'union:FrameBody';
}

describe('frame-spec.ts matches schema/frames.fbs', () => {
  const tables = parsed();

  it('describes every table of the schema and no other', () => {
    expect(ALL_TABLE_SPECS.map((s) => s.name).sort()).toEqual([...tables.keys()].sort());
  });

  it.each(ALL_TABLE_SPECS.map((s) => [s.name, s] as const))('%s has the same fields in the same slots', (name, spec) => {
    expect(spec.fields.map(([n, f]) => [n, shorthand(f)])).toEqual(tables.get(name));
  });

  it('lists the union members in FrameBody order', () => {
    expect(FRAME_BODIES.map((b) => b?.name ?? 'NONE')).toEqual(['NONE', ...unions.get('FrameBody')!]);
  });
});
