import { describe, it, expect } from 'vitest';
import { createWorld, silentLogger } from '../index.ts';
import { SubscriptionManager } from './index.ts';
import { aoiModule, identities, type AoiStep } from './test-support/aoi-module.ts';
import { ModelSink } from './test-support/client-model.ts';
import type { ClientDelta, DeltaSink } from './types.ts';

const [A, B, C] = identities(3) as [string, string, string];

function setup(opts: { margin?: number } = {}) {
  const { module, hook } = aoiModule();
  let now = 1_000_000;
  const world = createWorld(module, { clock: () => (now += 50), logger: silentLogger });
  const sink = new ModelSink();
  const deltas: { client: number; entered: unknown[]; updated: [unknown, number][]; left: unknown[]; reset: boolean; applied: number[] }[] = [];
  const recorder: DeltaSink = {
    beginTick: () => { deltas.length = 0; sink.beginTick(); },
    clientDelta: (d: ClientDelta) => {
      for (const t of d.tables) {
        const pk = t.store.pkCol;
        deltas.push({
          client: d.clientId,
          entered: Array.from(t.enteredSlots.subarray(0, t.enteredCount), (s) => t.store.read(s, pk)),
          updated: Array.from({ length: t.updatedCount }, (_, i) => [t.store.read(t.updatedSlot(i), pk), t.updatedMask(i)] as [unknown, number]),
          left: Array.from({ length: t.leftCount }, (_, i) => t.leftPk(i)),
          reset: d.reset,
          applied: [...d.applied],
        });
      }
      if (d.tables.length === 0) deltas.push({ client: d.clientId, entered: [], updated: [], left: [], reset: d.reset, applied: [...d.applied] });
      sink.clientDelta(d);
    },
  };
  const mgr = new SubscriptionManager(world, { sink: recorder, ...opts });
  sink.manager = mgr;
  const tick = (step?: AoiStep) => {
    hook.step = step ?? null;
    world.step();
    hook.step = null;
    return deltas.filter(() => true);
  };
  return { world, mgr, sink, tick, deltas };
}

const sorted = (a: unknown[]) => [...a].sort((x, y) => (x as number) - (y as number));

describe('query subscriptions', () => {
  it('eq on a hash index: initial rows, then rows entering and leaving as the column changes', () => {
    const { mgr, sink, tick } = setup();
    tick((ctx) => { for (let i = 0; i < 10; i++) ctx.db.entity.insert({ x: i, y: 0, kind: i % 3, level: i, zone: 'z' }); });
    mgr.addClient(1, A);
    mgr.subscribe(1, 7, { table: 'entity', filter: { col: 'kind', eq: 1 } });
    let d = tick();
    expect(d).toHaveLength(1);
    expect(sorted(d[0]!.entered)).toEqual([2, 5, 8]);
    expect(d[0]!.applied).toEqual([7]);
    d = tick((ctx) => {
      ctx.db.entity.set(2, 'kind', 0); // leaves
      ctx.db.entity.set(3, 'kind', 1); // enters
      ctx.db.entity.set(5, 'level', 50); // held: only the level column is sent
      ctx.db.entity.set(6, 'level', 60); // not held: nothing
      ctx.db.entity.insert({ x: 0, y: 0, kind: 1, level: 0, zone: 'z' }); // id 11 enters
      ctx.db.entity.delete(8); // leaves
    });
    expect(d).toHaveLength(1);
    expect(sorted(d[0]!.entered)).toEqual([3, 11]);
    expect(sorted(d[0]!.left)).toEqual([2, 8]);
    expect(d[0]!.updated).toEqual([[5, 1 << 4]]);
    expect(sorted(sink.pks(1, 'entity'))).toEqual([3, 5, 11]);
    expect(sorted(mgr.snapshotFor(1).get('entity')!)).toEqual([3, 5, 11]);
  });

  it('range on a btree index and eq on a string column', () => {
    const { mgr, sink, tick } = setup();
    tick((ctx) => { for (let i = 0; i < 20; i++) ctx.db.entity.insert({ x: 0, y: 0, kind: 0, level: i, zone: i < 5 ? 'north' : 'south' }); });
    mgr.addClient(1, A);
    mgr.addClient(2, B);
    mgr.subscribe(1, 1, { table: 'entity', filter: { col: 'level', range: [3, 6] } });
    mgr.subscribe(2, 1, { table: 'entity', filter: { col: 'zone', eq: 'north' } });
    tick();
    expect(sorted(sink.pks(1, 'entity'))).toEqual([4, 5, 6, 7]);
    expect(sorted(sink.pks(2, 'entity'))).toEqual([1, 2, 3, 4, 5]);
    tick((ctx) => {
      ctx.db.entity.set(4, 'level', 100); // out of range
      ctx.db.entity.set(20, 'level', 6); // into range (boundary)
      ctx.db.entity.set(10, 'zone', 'north');
      ctx.db.entity.set(1, 'zone', 'east'); // 'east' is a new string
    });
    expect(sorted(sink.pks(1, 'entity'))).toEqual([5, 6, 7, 20]);
    expect(sorted(sink.pks(2, 'entity'))).toEqual([2, 3, 4, 5, 10]);
  });

  it('overlapping subscriptions hold a row until the last one that selects it is gone', () => {
    const { mgr, sink, tick } = setup();
    tick((ctx) => { for (let i = 0; i < 6; i++) ctx.db.entity.insert({ x: 0, y: 0, kind: i % 2, level: i, zone: 'z' }); });
    mgr.addClient(1, A);
    mgr.subscribe(1, 1, { table: 'entity' });
    mgr.subscribe(1, 2, { table: 'entity', filter: { col: 'kind', eq: 0 } });
    let d = tick();
    expect(sorted(d[0]!.entered)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(sorted(d[0]!.applied)).toEqual([1, 2]);
    expect(mgr.unsubscribe(1, 1)).toBe(true);
    d = tick();
    expect(sorted(d[0]!.left)).toEqual([2, 4, 6]);
    expect(sorted(sink.pks(1, 'entity'))).toEqual([1, 3, 5]);
    mgr.unsubscribe(1, 2);
    d = tick();
    expect(sorted(d[0]!.left)).toEqual([1, 3, 5]);
    expect(mgr.unsubscribe(1, 2)).toBe(false);
  });

  it('a subscription added and removed before the next tick sends nothing', () => {
    const { mgr, tick } = setup();
    tick((ctx) => { ctx.db.entity.insert({ x: 0, y: 0, kind: 0, level: 0, zone: 'z' }); });
    mgr.addClient(1, A);
    mgr.subscribe(1, 1, { table: 'entity' });
    mgr.unsubscribe(1, 1);
    expect(tick()).toEqual([]);
  });

  it('refuses private tables and filters it cannot index, saying what to do', () => {
    const { mgr } = setup();
    mgr.addClient(1, A);
    expect(() => mgr.subscribe(1, 1, { table: 'audit' })).toThrow(/private/);
    expect(() => mgr.subscribe(1, 1, { table: 'nope' })).toThrow(/no table "nope"; subscribable tables: avatar, entity, secret/);
    expect(() => mgr.subscribe(1, 1, { table: 'entity', filter: { col: 'x', eq: 1 } })).toThrow(/has no index: declare \.index\(\)/);
    expect(() => mgr.subscribe(1, 1, { table: 'entity', filter: { col: 'kind', range: [1, 2] } })).toThrow(/needs \.index\('btree'\)/);
    expect(() => mgr.subscribe(1, 1, { table: 'entity', filter: { col: 'kind', eq: 'big' } })).toThrow(/is u8/);
    expect(() => mgr.subscribe(1, 1, { table: 'entity', filter: { col: 'level', range: [5, 1] } })).toThrow(/lo <= hi/);
    expect(() => mgr.subscribe(1, 1, { table: 'entity', filter: { col: 'nope', eq: 1 } })).toThrow(/no column "nope"/);
    expect(() => mgr.setArea(1, { table: 'audit', radius: 5 })).toThrow(/private/);
    expect(() => mgr.setArea(1, { table: 'entity', radius: -1 })).toThrow(/radius must be a positive/);
    expect(() => mgr.subscribe(2, 1, { table: 'entity' })).toThrow(/no client 2/);
    mgr.subscribe(1, 1, { table: 'entity' });
    expect(() => mgr.subscribe(1, 1, { table: 'avatar' })).toThrow(/already in use/);
  });
});

describe('visibility', () => {
  it('owner-only rows reach only their owner, for every kind of subscription, and follow ownership', () => {
    const { mgr, sink, tick } = setup();
    tick((ctx) => {
      ctx.db.secret.insert({ owner: A, x: 1, y: 1, note: 'a1' });
      ctx.db.secret.insert({ owner: A, x: 2, y: 2, note: 'a2' });
      ctx.db.secret.insert({ owner: B, x: 3, y: 3, note: 'b1' });
    });
    mgr.addClient(1, A);
    mgr.addClient(2, B);
    mgr.addClient(3, C);
    mgr.subscribe(1, 1, { table: 'secret' });
    mgr.subscribe(2, 1, { table: 'secret', filter: { ownerIsMe: true } });
    mgr.subscribe(3, 1, { table: 'secret', filter: { col: 'owner', eq: A } }); // asks for A's rows: gets none
    mgr.setArea(3, { table: 'secret', x: 0, y: 0, radius: 100 });
    tick();
    expect(sorted(sink.pks(1, 'secret'))).toEqual([1, 2]);
    expect(sorted(sink.pks(2, 'secret'))).toEqual([3]);
    expect(sink.pks(3, 'secret')).toEqual([]);
    tick((ctx) => { ctx.db.secret.update(2, { owner: C, note: 'gift' }); });
    expect(sorted(sink.pks(1, 'secret'))).toEqual([1]);
    expect(sink.pks(3, 'secret')).toEqual([2]); // by its area, now that it owns the row
    expect(sink.table(3, 'secret').byHandle.get(sink.table(3, 'secret').handleByPk.get(2)!)!['note']).toBe('gift');
    tick((ctx) => { ctx.db.secret.update(2, { owner: A }); });
    expect(sorted(sink.pks(1, 'secret'))).toEqual([1, 2]);
    expect(sink.pks(3, 'secret')).toEqual([]);
  });
});

describe('areas of interest', () => {
  it('a following area takes entering rows whole, sends moved rows as changed columns, drops leaving rows by key', () => {
    const { mgr, sink, tick } = setup({ margin: 4 });
    tick((ctx) => {
      ctx.db.avatar.insert({ owner: A, x: 0, y: 0 });
      for (let i = 0; i < 5; i++) ctx.db.entity.insert({ x: 10 * (i + 1), y: 0, kind: 0, level: 0, zone: 'z' });
    });
    mgr.addClient(1, A);
    mgr.setArea(1, { table: 'entity', radius: 25, follow: 1, followTable: 'avatar' });
    let d = tick();
    expect(sorted(d[0]!.entered)).toEqual([1, 2]); // x = 10, 20
    d = tick((ctx) => { ctx.db.avatar.update(1, { x: 20 }); }); // centre 20: 0..45 in, the rim rows at 45 may or may not
    expect(sorted(sink.pks(1, 'entity'))).toEqual([1, 2, 3, 4]);
    d = tick((ctx) => { ctx.db.entity.update(3, { y: 1 }); });
    expect(d[0]!.updated).toEqual([[3, 1 << 2]]);
    d = tick((ctx) => { ctx.db.avatar.update(1, { x: 60 }); }); // leave beyond 25 + 3·4/4 of the anchor
    expect(sorted(d[0]!.left)).toEqual([1, 2, 3]);
    expect(sorted(sink.pks(1, 'entity'))).toEqual([4, 5]);
  });

  it('hysteresis: a row crossing the rim back and forth enters once and leaves only beyond radius + margin', () => {
    const { mgr, tick } = setup({ margin: 10 });
    tick((ctx) => { ctx.db.entity.insert({ x: 0, y: 0, kind: 0, level: 0, zone: 'z' }); });
    mgr.addClient(1, A);
    mgr.setArea(1, { table: 'entity', x: 0, y: 0, radius: 50 });
    let d = tick((ctx) => { ctx.db.entity.update(1, { x: 49 }); });
    let entered = d.flatMap((x) => x.entered).length, left = 0;
    for (let i = 0; i < 20; i++) {
      d = tick((ctx) => { ctx.db.entity.update(1, { x: i % 2 ? 49 : 54 }); });
      entered += d.flatMap((x) => x.entered).length;
      left += d.flatMap((x) => x.left).length;
    }
    expect([entered, left]).toEqual([1, 0]);
    d = tick((ctx) => { ctx.db.entity.update(1, { x: 60.5 }); });
    expect(d[0]!.left).toEqual([1]);
  });

  it('rect areas, area replacement and clearArea', () => {
    const { mgr, sink, tick } = setup({ margin: 0 });
    tick((ctx) => { for (let i = 0; i < 10; i++) ctx.db.entity.insert({ x: i * 10, y: i * 10, kind: 0, level: 0, zone: 'z' }); });
    mgr.addClient(1, A);
    mgr.setArea(1, { table: 'entity', x: 20, y: 20, rect: { halfWidth: 15, halfHeight: 25 } });
    tick();
    expect(sorted(sink.pks(1, 'entity'))).toEqual([2, 3, 4]); // (10,10) (20,20) (30,30)
    mgr.setArea(1, { table: 'entity', x: 60, y: 60, radius: 15 });
    tick();
    expect(sorted(sink.pks(1, 'entity'))).toEqual([6, 7, 8]);
    mgr.clearArea(1, 'entity');
    tick();
    expect(sink.pks(1, 'entity')).toEqual([]);
  });
});

describe('backpressure', () => {
  it('a paused client gets nothing; resync sends exactly its current state with reset', () => {
    const { mgr, sink, tick, deltas } = setup();
    tick((ctx) => { for (let i = 0; i < 10; i++) ctx.db.entity.insert({ x: i, y: 0, kind: i % 2, level: i, zone: 'z' }); });
    mgr.addClient(1, A);
    mgr.subscribe(1, 1, { table: 'entity', filter: { col: 'kind', eq: 0 } });
    mgr.setArea(1, { table: 'entity', x: 0, y: 0, radius: 2.5, margin: 0 });
    tick();
    expect(sorted(sink.pks(1, 'entity'))).toEqual([1, 2, 3, 5, 7, 9]);
    mgr.pause(1);
    expect(mgr.stats().views).toBe(0);
    for (let k = 0; k < 3; k++) {
      tick((ctx) => {
        ctx.db.entity.set(1 + k, 'kind', 1);
        ctx.db.entity.set(10 - k, 'kind', 0);
        ctx.db.entity.insert({ x: 1, y: 1, kind: 1, level: 0, zone: 'z' });
      });
      expect(deltas).toEqual([]);
    }
    mgr.subscribe(1, 2, { table: 'avatar' }); // recorded while paused
    mgr.resync(1);
    const d = tick();
    expect(d.every((x) => x.reset)).toBe(true);
    expect(sink.resets.get(1)).toBe(1);
    expect(sorted(d[0]!.applied)).toEqual([1, 2]);
    const expected = [1, 2, 3, 5, 7, 8, 9, 10, 11, 12, 13]; // kind 0, or within 2.5 of the origin
    expect(sorted(sink.pks(1, 'entity'))).toEqual(expected);
    expect(sorted(mgr.snapshotFor(1).get('entity')!)).toEqual(expected);
    tick((ctx) => { ctx.db.entity.set(5, 'kind', 1); });
    expect(sink.pks(1, 'entity')).not.toContain(5);
  });

  it('after importImage, resyncAll sends every client its state in the restored world', () => {
    const { world, mgr, sink, tick } = setup();
    tick((ctx) => { for (let i = 0; i < 6; i++) ctx.db.entity.insert({ x: i * 10, y: 0, kind: i % 2, level: i, zone: 'z' }); });
    mgr.addClient(1, A);
    mgr.subscribe(1, 1, { table: 'entity', filter: { col: 'kind', eq: 0 } });
    mgr.setArea(1, { table: 'entity', x: 50, y: 0, radius: 5, margin: 0 });
    tick();
    expect(sorted(sink.pks(1, 'entity'))).toEqual([1, 3, 5, 6]);
    const image = world.exportImage();
    tick((ctx) => { ctx.db.entity.delete(1); ctx.db.entity.set(2, 'kind', 0); });
    expect(sorted(sink.pks(1, 'entity'))).toEqual([2, 3, 5, 6]);
    world.importImage(image);
    mgr.resyncAll();
    const d = tick();
    expect(d.every((x) => x.reset)).toBe(true);
    expect(sorted(sink.pks(1, 'entity'))).toEqual([1, 3, 5, 6]);
    tick((ctx) => { ctx.db.entity.set(4, 'kind', 0); });
    expect(sorted(sink.pks(1, 'entity'))).toEqual([1, 3, 4, 5, 6]);
  });

  it('removing clients frees their views, and pausing from inside the sink is safe', () => {
    const { world, mgr, tick } = setup();
    tick((ctx) => { ctx.db.entity.insert({ x: 0, y: 0, kind: 0, level: 0, zone: 'z' }); });
    mgr.addClient(1, A);
    mgr.addClient(2, B);
    mgr.subscribe(1, 1, { table: 'entity' });
    mgr.subscribe(2, 1, { table: 'entity' });
    mgr.setSink({ clientDelta: (d) => mgr.pause(d.clientId) });
    world.step();
    expect(mgr.isPaused(1) && mgr.isPaused(2)).toBe(true);
    world.step();
    expect(mgr.stats()).toMatchObject({ clients: 2, paused: 2, views: 0, heldRows: 0 });
    mgr.removeClient(1);
    mgr.removeClient(2);
    expect(mgr.stats().clients).toBe(0);
  });
});
