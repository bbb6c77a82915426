// The load-test world: a map of wandering NPC entities (100,000 by default) plus what the
// scenarios exercise — players that move, items they trade, a chat channel, bank accounts for
// the transfer workload. Built by a function so the harness can size it per run.

import { t, table, schema, fail } from '@worldline/engine';

export interface LoadtestWorldOptions {
  entities: number;
  mapSize: number;
  accounts: number;
  /** Chat rows kept (older ones are deleted): bounds memory under a chat storm. */
  chatKeep?: number;
}

/** Units per second an entity walks; each walks a small circle so the map's density stays even. */
const SPEED = 2;
const TURN_PER_TICK = 0.01;

export function loadtestWorld(o: LoadtestWorldOptions) {
  const entity = table('entity', {
    id: t.u32().primaryKey().autoInc(),
    x: t.f32().quantize(0.01),
    y: t.f32().quantize(0.01),
  }, { spatial: { x: 'x', y: 'y' }, visibility: 'public' });

  const player = table('player', {
    id: t.u32().primaryKey().autoInc(),
    owner: t.identity().unique(),
    name: t.string(),
    x: t.f32().quantize(0.01),
    y: t.f32().quantize(0.01),
  }, { spatial: { x: 'x', y: 'y' }, visibility: 'public' });

  const item = table('item', {
    id: t.u32().primaryKey().autoInc(),
    owner: t.identity().index(),
    kind: t.u16(),
  }, { visibility: { owner: 'owner' } });

  const chat = table('chat', {
    id: t.u32().primaryKey(),
    sender: t.identity(),
    text: t.string(),
  }, { visibility: 'public' });

  const account = table('account', {
    id: t.u32().primaryKey(),
    balance: t.i32(),
  }, { visibility: 'private' });

  const counters = table('counters', {
    id: t.u8().primaryKey(),
    chatSeq: t.u32(),
  }, { visibility: 'private' });

  const s = schema({ entity, player, item, chat, account, counters });
  const chatKeep = o.chatKeep ?? 1000;
  // Each entity's base heading, as a pure function of its slot (not state: replay recomputes it).
  // Entities are never deleted, so slot i is the i-th entity inserted by onInit.
  const baseCos = new Float64Array(o.entities);
  const baseSin = new Float64Array(o.entities);
  for (let i = 0; i < o.entities; i++) {
    baseCos[i] = Math.cos(i * 2.399963);
    baseSin[i] = Math.sin(i * 2.399963);
  }
  const clamp = (v: number): number => Math.min(o.mapSize, Math.max(0, v));

  const join = s.reducer({ name: t.string() }, (ctx, { name }) => {
    if (ctx.db.player.findBy('owner', ctx.sender)) return;
    ctx.db.player.insert({ owner: ctx.sender, name, x: ctx.random() * o.mapSize, y: ctx.random() * o.mapSize });
    for (let k = 0; k < 3; k++) ctx.db.item.insert({ owner: ctx.sender, kind: ctx.randomInt(100) });
  });

  const move = s.reducer({ dx: t.f32(), dy: t.f32() }, (ctx, { dx, dy }) => {
    const me = ctx.db.player.findBy('owner', ctx.sender) ?? fail('not joined: call join first');
    ctx.db.player.update(me.id, { x: clamp(me.x + dx), y: clamp(me.y + dy) });
  });

  const say = s.reducer({ text: t.string() }, (ctx, { text }) => {
    if (text.length > 200) fail('chat text is limited to 200 characters');
    const c = ctx.db.counters.find(0) ?? ctx.db.counters.insert({ id: 0, chatSeq: 0 });
    const id = c.chatSeq + 1;
    ctx.db.counters.update(0, { chatSeq: id });
    if (id > chatKeep) ctx.db.chat.delete(id - chatKeep);
    ctx.db.chat.insert({ id, sender: ctx.sender, text });
  });

  /** Gives one of the sender's items to the player with id `toPlayer`. */
  const trade = s.reducer({ toPlayer: t.u32() }, (ctx, { toPlayer }) => {
    const to = ctx.db.player.find(toPlayer) ?? fail(`no player ${toPlayer}`);
    const mine = ctx.db.item.where('owner', ctx.sender);
    if (mine.length === 0) fail('no item to trade');
    ctx.db.item.update(mine[0]!.id, { owner: to.owner });
  });

  const transfer = s.reducer({ from: t.u32(), to: t.u32(), amount: t.u32() }, (ctx, { from, to, amount }) => {
    const a = ctx.db.account.find(from) ?? fail(`no account ${from}`);
    const b = ctx.db.account.find(to) ?? fail(`no account ${to}`);
    if (a.balance < amount) fail('insufficient funds');
    ctx.db.account.update(from, { balance: a.balance - amount });
    ctx.db.account.update(to, { balance: b.balance + amount });
  });

  return s.module({
    reducers: { join, move, chat: say, trade, transfer },
    onInit(ctx) {
      for (let i = 0; i < o.entities; i++) ctx.db.entity.insert({ x: ctx.random() * o.mapSize, y: ctx.random() * o.mapSize });
      for (let i = 0; i < o.accounts; i++) ctx.db.account.insert({ id: i, balance: 1_000_000 });
    },
    onDisconnect(ctx) {
      const me = ctx.db.player.findBy('owner', ctx.sender);
      if (me) ctx.db.player.delete(me.id);
    },
    systems: [
      s.system((ctx) => {
        // Column-wise walk: every entity moves every tick (the "100 moving entities" each client sees).
        const e = ctx.db.entity;
        const n = e.count;
        // Direct column writes: the engine diffs them at commit (see mutableColumn).
        const xs = e.mutableColumn('x');
        const ys = e.mutableColumn('y');
        const step = SPEED / 20;
        // Heading = base + tick·turn, by the angle-sum identity: two trig calls per tick, not per entity.
        const ct = Math.cos(ctx.tick * TURN_PER_TICK) * step;
        const st = Math.sin(ctx.tick * TURN_PER_TICK) * step;
        for (let slot = 0; slot < n && slot < baseCos.length; slot++) {
          const c = baseCos[slot]!;
          const s = baseSin[slot]!;
          xs[slot] = clamp(xs[slot]! + c * ct - s * st);
          ys[slot] = clamp(ys[slot]! + s * ct + c * st);
        }
      }),
    ],
    tickRate: 20,
  });
}

export type LoadtestWorld = ReturnType<typeof loadtestWorld>;
