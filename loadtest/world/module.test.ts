import { describe, expect, it } from 'vitest';
import { createWorld } from '@worldline/engine';
import { loadtestWorld } from './module.ts';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

function world(o: Partial<Parameters<typeof loadtestWorld>[0]> = {}) {
  let now = 1_700_000_000_000;
  const w = createWorld(loadtestWorld({ entities: 500, mapSize: 100, accounts: 10, chatKeep: 3, ...o }), { seed: 7, clock: () => (now += 50) });
  w.step(); // onInit
  return w;
}

async function call(w: ReturnType<typeof world>, reducer: string, args: unknown, sender = A) {
  const p = w.call(reducer, args, { sender });
  w.step();
  return p;
}

describe('load-test world', () => {
  it('populates entities and accounts, and moves every entity every tick within the map', () => {
    const w = world();
    expect(w.tables.entity.count).toBe(500);
    expect(w.tables.account.count).toBe(10);
    const before = [...w.tables.entity.iter()].map((e) => [e.x, e.y]);
    w.step();
    const after = [...w.tables.entity.iter()];
    const moved = after.filter((e, i) => e.x !== before[i]![0] || e.y !== before[i]![1]).length;
    expect(moved).toBeGreaterThan(490); // a few may sit clamped in a corner
    for (const e of after) {
      expect(e.x).toBeGreaterThanOrEqual(0);
      expect(e.x).toBeLessThanOrEqual(100);
    }
  });

  it('joins once per identity, moves the avatar inside the map, and rejects moves before join', async () => {
    const w = world();
    expect(await call(w, 'move', { dx: 1, dy: 1 })).toMatchObject({ ok: false });
    expect(await call(w, 'join', { name: 'a' })).toEqual({ ok: true });
    expect(await call(w, 'join', { name: 'a' })).toEqual({ ok: true });
    expect(w.tables.player.count).toBe(1);
    const p = w.tables.player.findBy('owner', A)!;
    await call(w, 'move', { dx: 1000, dy: -1000 });
    expect(w.tables.player.find(p.id)).toMatchObject({ x: 100, y: 0 });
  });

  it('transfers conserve money and refuse overdrafts', async () => {
    const w = world();
    expect(await call(w, 'transfer', { from: 1, to: 2, amount: 500 })).toEqual({ ok: true });
    expect(w.tables.account.find(1)!.balance).toBe(999_500);
    expect(w.tables.account.find(2)!.balance).toBe(1_000_500);
    expect(await call(w, 'transfer', { from: 1, to: 2, amount: 2_000_000 })).toMatchObject({ ok: false });
    expect(await call(w, 'transfer', { from: 1, to: 99, amount: 1 })).toMatchObject({ ok: false });
    let total = 0;
    for (const a of w.tables.account.iter()) total += a.balance;
    expect(total).toBe(10 * 1_000_000);
  });

  it('keeps only the newest chat lines and trades items between players', async () => {
    const w = world();
    for (let i = 0; i < 5; i++) await call(w, 'chat', { text: `line ${i}` });
    expect([...w.tables.chat.iter()].map((c) => c.text).sort()).toEqual(['line 2', 'line 3', 'line 4']);
    await call(w, 'join', { name: 'a' });
    await call(w, 'join', { name: 'b' }, B);
    const bId = w.tables.player.findBy('owner', B)!.id;
    expect(await call(w, 'trade', { toPlayer: bId })).toEqual({ ok: true });
    expect([...w.tables.item.iter()].filter((i) => i.owner === B)).toHaveLength(4);
    expect(await call(w, 'trade', { toPlayer: 9999 })).toMatchObject({ ok: false });
  });
});
