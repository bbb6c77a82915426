// The game the network integration tests run: a map of wandering NPCs (a public spatial table moved
// every tick by a system with ctx.random), player avatars with an owner identity, an owner-only table
// of per-player secrets and a private audit table that must never reach any client.
import { t, table, schema, fail, WORLD_IDENTITY } from '@worldline/engine';

export interface NetGameOptions {
  /** NPCs spawned in the first tick. */
  npcs: number;
  /** The map is [0, map] × [0, map]. */
  map: number;
  /** Ticks per second of the server loop. */
  tickRate?: number;
  /** Largest NPC step per axis per tick. */
  npcStep?: number;
}

/** Quantization step of NPC positions (avatars travel as raw f32). */
export const NPC_QUANT = 0.01;

export function netGame(o: NetGameOptions) {
  const map = o.map;
  const step = o.npcStep ?? 1;
  const clamp = (v: number) => (v < 0 ? 0 : v > map ? map : v);

  const npc = table('npc', {
    id: t.u32().primaryKey().autoInc(),
    x: t.f32().quantize(NPC_QUANT),
    y: t.f32().quantize(NPC_QUANT),
    hp: t.u16(),
    mood: t.enum(['calm', 'angry'] as const).default('calm'),
  }, { spatial: { x: 'x', y: 'y' }, visibility: 'public' });

  const avatar = table('avatar', {
    id: t.u32().primaryKey().autoInc(),
    owner: t.identity().unique(),
    name: t.string(),
    x: t.f32(),
    y: t.f32(),
    moves: t.u32(),
  }, { spatial: { x: 'x', y: 'y' }, visibility: 'public' });

  const secret = table('secret', {
    id: t.u32().primaryKey().autoInc(),
    owner: t.identity().index(),
    code: t.string(),
  }, { visibility: { owner: 'owner' } });

  const audit = table('audit', {
    id: t.u32().primaryKey().autoInc(),
    who: t.identity(),
    what: t.string(),
  }, { visibility: 'private' });

  const s = schema({ npc, avatar, secret, audit });

  const join = s.reducer({ name: t.string() }, (ctx, { name }) => {
    if (ctx.db.avatar.findBy('owner', ctx.sender)) fail('already joined');
    ctx.db.avatar.insert({ owner: ctx.sender, name, x: ctx.random() * map, y: ctx.random() * map, moves: 0 });
    ctx.db.secret.insert({ owner: ctx.sender, code: `code-${ctx.randomInt(1_000_000)}` });
    ctx.db.audit.insert({ who: ctx.sender, what: `join ${name}` });
  });

  const move = s.reducer({ dx: t.f32(), dy: t.f32() }, (ctx, { dx, dy }) => {
    const me = ctx.db.avatar.findBy('owner', ctx.sender) ?? fail('not joined: call join first');
    ctx.db.avatar.update(me.id, { x: clamp(me.x + dx), y: clamp(me.y + dy), moves: me.moves + 1 });
  });

  /** Writes a new secret for the caller (owner-only rows appearing while connected). */
  const whisper = s.reducer({ code: t.string() }, (ctx, { code }) => {
    ctx.db.secret.insert({ owner: ctx.sender, code });
  });

  const wander = s.system((ctx) => {
    const n = ctx.db.npc;
    const xs = n.column('x'), ys = n.column('y'), hp = n.column('hp');
    for (let slot = 0; slot < n.count; slot++) {
      n.setAt(slot, 'x', clamp(xs[slot]! + (ctx.random() - 0.5) * 2 * step));
      n.setAt(slot, 'y', clamp(ys[slot]! + (ctx.random() - 0.5) * 2 * step));
      if (ctx.random() < 0.02) n.setAt(slot, 'hp', (hp[slot]! + 1) % 1000);
    }
  });

  return s.module({
    reducers: { join, move, whisper },
    onInit: (ctx) => {
      for (let i = 0; i < o.npcs; i++) ctx.db.npc.insert({ x: ctx.random() * map, y: ctx.random() * map, hp: ctx.randomInt(1000) });
      // Secrets nobody may see: owned by the world itself.
      for (let i = 0; i < 5; i++) ctx.db.secret.insert({ owner: WORLD_IDENTITY, code: `world-${i}` });
    },
    onConnect: (ctx) => { ctx.db.audit.insert({ who: ctx.sender, what: 'connect' }); },
    onDisconnect: (ctx) => { ctx.db.audit.insert({ who: ctx.sender, what: 'disconnect' }); },
    systems: [wander],
    tickRate: o.tickRate ?? 30,
  });
}

export type NetGame = ReturnType<typeof netGame>;
