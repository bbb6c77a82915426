// Seeded random workloads against an oracle: clients whose areas follow randomly moving avatars in a
// world of thousands of entities (plus query subscriptions, owner-only rows, inserts, deletes,
// teleports, pauses and resyncs). After every tick each client's model — built only from the deltas
// it received — must hold exactly what the server says it holds, with the server's values, and that
// set must satisfy the oracle computed from the tables.
import { describe, it, expect } from 'vitest';
import { createWorld, silentLogger } from '../index.ts';
import { SubscriptionManager } from './index.ts';
import { aoiModule, identities, mulberry32, type AoiStep } from './test-support/aoi-module.ts';
import { ModelSink } from './test-support/client-model.ts';
import type { QuerySpec } from './types.ts';

const MAP = 400;
const ENTITIES = 2000;
const CLIENTS = 40;
const TICKS = 60;

interface ClientPlan {
  id: number;
  identity: string;
  avatar: number;
  radius: number;
  margin: number;
  rect: boolean;
  avatarArea: boolean;
  queries: Map<number, QuerySpec>;
  paused: boolean;
}

function run(seed: number, cells: { areaCellSize?: number; rowCellSize?: number }): void {
  const rnd = mulberry32(seed);
  const ri = (n: number) => Math.floor(rnd() * n);
  const { module, hook } = aoiModule();
  let now = 1_000_000;
  const world = createWorld(module, { clock: () => (now += 50), logger: silentLogger });
  const sink = new ModelSink();
  const mgr = new SubscriptionManager(world, { sink, ...cells });
  sink.manager = mgr;
  sink.checkPrevious = true; // tick-start values must be exactly what each client holds
  const ids = identities(CLIENTS + 5);
  const step = (fn: AoiStep | null) => { hook.step = fn; world.step(); hook.step = null; };

  step((ctx) => {
    for (let i = 0; i < CLIENTS; i++) ctx.db.avatar.insert({ owner: ids[i]!, x: rnd() * MAP, y: rnd() * MAP });
    for (let i = 0; i < ENTITIES; i++) {
      ctx.db.entity.insert({ x: rnd() * MAP, y: rnd() * MAP, kind: ri(4), level: ri(100), zone: `z${ri(5)}` });
    }
    for (let i = 0; i < 200; i++) ctx.db.secret.insert({ owner: ids[ri(ids.length)]!, x: rnd() * MAP, y: rnd() * MAP, note: 'n' });
  });

  const plans: ClientPlan[] = [];
  let nextQuery = 1;
  const randomQuery = (): QuerySpec => {
    switch (ri(6)) {
      case 0: return { table: 'entity', filter: { col: 'kind', eq: ri(4) } };
      case 1: { const lo = ri(100); return { table: 'entity', filter: { col: 'level', range: [lo, lo + ri(10)] } }; }
      case 2: return { table: 'entity', filter: { col: 'zone', eq: `z${ri(5)}` } };
      case 3: return { table: 'secret', filter: { ownerIsMe: true } };
      case 4: return { table: 'secret' };
      default: return { table: 'avatar', filter: { col: 'hp', eq: 100 } }; // hp has no index
    }
  };
  const addPlan = (i: number) => {
    const p: ClientPlan = {
      id: 100 + i, identity: ids[i]!, avatar: i + 1, radius: 10 + rnd() * 40, margin: rnd() < 0.2 ? 0 : rnd() * 10,
      rect: rnd() < 0.25, avatarArea: rnd() < 0.5, queries: new Map(), paused: false,
    };
    mgr.addClient(p.id, p.identity);
    const shape = p.rect ? { rect: { halfWidth: p.radius, halfHeight: p.radius * 0.4 } } : { radius: p.radius };
    mgr.setArea(p.id, { table: 'entity', ...shape, margin: p.margin, follow: p.avatar, followTable: 'avatar' });
    if (p.avatarArea) mgr.setArea(p.id, { table: 'avatar', radius: p.radius, margin: p.margin, follow: p.avatar });
    for (let k = ri(3); k > 0; k--) {
      const q = randomQuery();
      if (q.table === 'avatar') continue;
      const id = nextQuery++;
      mgr.subscribe(p.id, id, q);
      p.queries.set(id, q);
    }
    plans.push(p);
  };
  for (let i = 0; i < CLIENTS; i++) addPlan(i);

  const movePoint = (x: number, y: number, d: number) => [
    Math.min(MAP, Math.max(0, x + (rnd() * 2 - 1) * d)), Math.min(MAP, Math.max(0, y + (rnd() * 2 - 1) * d)),
  ];
  const workload: AoiStep = (ctx) => {
    const av = ctx.db.avatar, en = ctx.db.entity, se = ctx.db.secret;
    for (let id = 1; id <= CLIENTS; id++) {
      const r = rnd();
      if (r < 0.03) av.update(id, { x: rnd() * MAP, y: rnd() * MAP });
      else if (r < 0.9) { const a = av.find(id)!; const [x, y] = movePoint(a.x, a.y, 4); av.update(id, { x, y }); }
    }
    for (let k = 0; k < 200; k++) {
      const slot = ri(en.count);
      const id = en.pkAt(slot);
      const r = rnd();
      if (r < 0.6) { const e = en.find(id)!; const [x, y] = movePoint(e.x, e.y, 3); en.update(id, { x, y }); }
      else if (r < 0.65) en.update(id, { x: rnd() * MAP, y: rnd() * MAP });
      else if (r < 0.75) en.update(id, { kind: ri(4) });
      else if (r < 0.85) en.update(id, { level: ri(100) });
      else if (r < 0.9) en.update(id, { zone: `z${ri(5)}`, x: rnd() * MAP });
      else if (r < 0.95) en.delete(id);
      else en.insert({ x: rnd() * MAP, y: rnd() * MAP, kind: ri(4), level: ri(100), zone: `z${ri(5)}` });
    }
    for (let k = 0; k < 20; k++) {
      const id = se.pkAt(ri(se.count));
      if (rnd() < 0.3) se.update(id, { owner: ids[ri(ids.length)]! });
      else { const s = se.find(id)!; const [x, y] = movePoint(s.x, s.y, 5); se.update(id, { x, y }); }
    }
  };

  const tables = new Map(world.db.tables.map((t) => [t.name, t]));
  const fail = (msg: string): never => expect.fail(msg);
  const check = (tick: number) => {
    const avatar = tables.get('avatar')!;
    // Rows of each table once per tick: pk, position, owner, values.
    const rows = new Map<string, { pk: unknown[]; x: Float64Array; y: Float64Array; owner: unknown[]; value: Record<string, unknown>[] }>();
    for (const name of ['entity', 'avatar', 'secret', 'audit']) {
      const st = tables.get(name)!;
      const n = st.count, oc = st.colOf('owner');
      const r = { pk: [] as unknown[], x: new Float64Array(n), y: new Float64Array(n), owner: [] as unknown[], value: [] as Record<string, unknown>[] };
      for (let s = 0; s < n; s++) {
        r.pk.push(st.read(s, st.pkCol));
        if (st.spatial) { r.x[s] = st.cols[st.spX]![s]!; r.y[s] = st.cols[st.spY]![s]!; }
        r.owner.push(oc >= 0 ? st.read(s, oc) : null);
        r.value.push(st.rowAt(s));
      }
      rows.set(name, r);
    }
    for (const p of plans) {
      if (p.paused) {
        if (sink.delivered.has(p.id)) fail(`paused client ${p.id} got a delta`);
        continue;
      }
      const snap = mgr.snapshotFor(p.id);
      const aslot = avatar.slotOf(p.avatar);
      const cx = avatar.cols[avatar.spX]![aslot]!, cy = avatar.cols[avatar.spY]![aslot]!;
      for (const [name, r] of rows) {
        const mt = sink.models.get(p.id)?.get(name);
        const held = mt?.handleByPk ?? new Map<unknown, number>();
        const server = snap.get(name) ?? [];
        if (server.length !== held.size || server.some((pk) => !held.has(pk))) fail(`tick ${tick} client ${p.id} ${name}: the model differs from snapshotFor()`);
        const hasArea = name === 'entity' || (name === 'avatar' && p.avatarArea);
        const rect = name === 'entity' && p.rect;
        const qs = [...p.queries.values()].filter((q) => q.table === name);
        let present = 0;
        for (let s = 0; s < r.pk.length; s++) {
          const pk = r.pk[s];
          const vis = name !== 'audit' && (name !== 'secret' || r.owner[s] === p.identity);
          let query = false;
          for (const q of qs) if (matches(r.value[s]!, q, p.identity)) { query = true; break; }
          let required = vis && query, allowed = required;
          if (vis && hasArea) {
            const dx = Math.abs(r.x[s]! - cx), dy = Math.abs(r.y[s]! - cy);
            if (rect) {
              required ||= dx <= p.radius - 1e-6 && dy <= p.radius * 0.4 - 1e-6;
              allowed ||= dx <= p.radius + p.margin + 1e-6 && dy <= p.radius * 0.4 + p.margin + 1e-6;
            } else {
              const d = Math.hypot(dx, dy);
              required ||= d <= p.radius - 1e-6;
              allowed ||= d <= p.radius + p.margin + 1e-6;
            }
          }
          const h = held.get(pk);
          if (required && h === undefined) fail(`tick ${tick} client ${p.id} ${name}: row ${String(pk)} must be held`);
          if (h === undefined) continue;
          present++;
          if (!allowed) fail(`tick ${tick} client ${p.id} ${name}: row ${String(pk)} must not be held`);
          const mine = mt!.byHandle.get(h)!, real = r.value[s]!;
          for (const k in real) if (mine[k] !== real[k]) fail(`tick ${tick} client ${p.id} ${name} row ${String(pk)}: ${k} is ${String(mine[k])}, server has ${String(real[k])}`);
        }
        if (present !== held.size) fail(`tick ${tick} client ${p.id} ${name}: holds ${held.size - present} deleted rows`);
      }
    }
  };
  step(null);
  check(0);

  for (let tick = 1; tick <= TICKS; tick++) {
    // Requests between ticks: pause, resync, area and subscription changes.
    for (const p of plans) {
      const r = rnd();
      if (p.paused) { if (r < 0.3) { mgr.resync(p.id); p.paused = false; } continue; }
      if (r < 0.03) { mgr.pause(p.id); p.paused = true; }
      else if (r < 0.06) {
        p.radius = 10 + rnd() * 40;
        if (rnd() < 0.3) p.rect = !p.rect; // a circle becomes a rect or back
        const shape = p.rect ? { rect: { halfWidth: p.radius, halfHeight: p.radius * 0.4 } } : { radius: p.radius };
        mgr.setArea(p.id, { table: 'entity', ...shape, margin: p.margin, follow: p.avatar, followTable: 'avatar' });
        if (p.avatarArea) mgr.setArea(p.id, { table: 'avatar', radius: p.radius, margin: p.margin, follow: p.avatar });
      } else if (r < 0.09 && p.queries.size > 0) {
        const id = [...p.queries.keys()][0]!;
        mgr.unsubscribe(p.id, id);
        p.queries.delete(id);
      } else if (r < 0.12) {
        const q = randomQuery();
        if (q.table !== 'avatar') { const id = nextQuery++; mgr.subscribe(p.id, id, q); p.queries.set(id, q); }
      }
    }
    step(workload);
    check(tick);
  }
}

function matches(row: Record<string, unknown>, q: QuerySpec, identity: string): boolean {
  const f = q.filter as Record<string, unknown> | undefined;
  if (!f) return true;
  if (f['ownerIsMe']) return row['owner'] === identity;
  const v = row[f['col'] as string];
  if ('eq' in f) return v === f['eq'];
  const [lo, hi] = f['range'] as [number, number];
  return (v as number) >= lo && (v as number) <= hi;
}

describe('area of interest and queries against an oracle', () => {
  // Cell sizes vary so that scans skip whole cells (small cells) and cover many areas (large ones).
  const cases = [{ seed: 1, cells: {} }, { seed: 2, cells: { areaCellSize: 4, rowCellSize: 3 } }, { seed: 3, cells: { areaCellSize: 8, rowCellSize: 64 } }];
  for (const { seed, cells } of cases) {
    it(`seed ${seed}, cells ${JSON.stringify(cells)}: every client holds exactly what its area, queries and visibility allow`, () => run(seed, cells));
  }
});
