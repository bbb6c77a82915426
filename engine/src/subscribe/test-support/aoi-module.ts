// A module for the subscription tests and the area-of-interest benchmark: public avatars and
// entities with spatial indexes, an owner-only table, a private one. Its one system runs whatever
// step the test installs, so a test drives the world tick by tick without reducer plumbing.
import { t, table, schema, type DbOf, type ReducerContext } from '../../index.ts';

export const avatar = table('avatar', {
  id: t.u32().primaryKey().autoInc(),
  owner: t.identity().unique(),
  x: t.f32(), y: t.f32(),
  hp: t.i32().default(100),
}, { spatial: { x: 'x', y: 'y' } });

export const entity = table('entity', {
  id: t.u32().primaryKey().autoInc(),
  x: t.f32(), y: t.f32(),
  kind: t.u8().index('hash'),
  level: t.i32().index('btree'),
  zone: t.string().index('hash'),
}, { spatial: { x: 'x', y: 'y' } });

export const secret = table('secret', {
  id: t.u32().primaryKey().autoInc(),
  owner: t.identity().index('hash'),
  x: t.f32(), y: t.f32(),
  note: t.string(),
}, { spatial: { x: 'x', y: 'y' }, visibility: { owner: 'owner' } });

export const audit = table('audit', {
  id: t.u32().primaryKey().autoInc(),
  text: t.string(),
}, { visibility: 'private' });

const s = schema({ avatar, entity, secret, audit });
export type AoiDb = DbOf<typeof s.tables>;
export type AoiStep = (ctx: ReducerContext<AoiDb>) => void;

/** A fresh module whose system runs `hook.step` (when set) every tick. */
export function aoiModule() {
  const hook: { step: AoiStep | null } = { step: null };
  const module = s.module({
    reducers: {},
    systems: [(ctx) => { hook.step?.(ctx); }],
    tickRate: 20,
  });
  return { module, hook };
}

export const identities = (n: number): string[] => Array.from({ length: n }, (_, i) => (i + 1).toString(16).padStart(64, '0'));

export function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let r = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}
