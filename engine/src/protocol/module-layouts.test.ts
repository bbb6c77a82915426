// A module's tables and reducers become valid wire layouts; private tables stay off the wire.
import { describe, it, expect } from 'vitest';
import { t, table, schema } from '../index.ts';
import { moduleLayouts } from './module-layouts.ts';
import { compileLayout } from './layout.ts';
import { encodeFrame } from './frame-encoder.ts';
import { decodeFrame } from './frame-decoder.ts';

const player = table('player', {
  id: t.u32().primaryKey().autoInc(),
  owner: t.identity().unique(),
  name: t.string(),
  x: t.f32().quantize(0.01), y: t.f32().quantize(0.01),
  cls: t.enum(['warrior', 'mage']),
}, { spatial: { x: 'x', y: 'y' }, visibility: { owner: 'owner' } });
const secret = table('secret', { id: t.u32().primaryKey(), note: t.string() }, { visibility: 'private' });
const s = schema({ player, secret });
const move = s.reducer({ dx: t.f32(), dy: t.f32(), note: t.string().optional() }, () => {});
const mod = s.module({ reducers: { move } });

describe('moduleLayouts', () => {
  const l = moduleLayouts(mod);

  it('describes public and owner tables with quantization, enums, spatial and owner columns', () => {
    expect(l.tables.map((x) => x.name)).toEqual(['player']);
    const p = l.tables[0]!;
    expect(p).toMatchObject({ id: 0, pkIndex: 0, visibility: 'owner', ownerIndex: 1, spatial: { x: 3, y: 4 } });
    expect(p.columns[3]).toMatchObject({ name: 'x', kind: 'f32', quant: 0.01 });
    expect(p.columns[5]).toMatchObject({ kind: 'enum', enumValues: ['warrior', 'mage'] });
    expect(() => compileLayout(p)).not.toThrow();
    expect(l.tableIds.get('secret')).toBe(1);
  });

  it('describes reducers with argument kinds, and survives a Welcome round trip', () => {
    expect(l.reducers).toEqual([{ id: 0, name: 'move', args: [
      { name: 'dx', kind: 'f32', quant: null, enumValues: null },
      { name: 'dy', kind: 'f32', quant: null, enumValues: null },
      { name: 'note', kind: 'string', quant: null, enumValues: null, optional: true },
    ] }]);
    const welcome = { type: 'welcome' as const, identity: 'a'.repeat(64), token: 't', connectionId: 1, moduleVersion: mod.versionHash, tickRate: 20, tick: 0, tables: l.tables, reducers: l.reducers };
    expect(decodeFrame(encodeFrame(welcome))).toEqual(welcome);
  });
});
