// The Phaser and Three.js adapters keep one display object per row, driven by stand-ins for the
// engines' objects (the adapters only touch setPosition/destroy, position.set and add/remove).
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { FakeServer } from '../test-support/fake-server.ts';
import { arenaClient, tickAndWait, type Arena } from '../test-support/helpers.ts';
import arena from '../test-support/arena.ts';
import { createInterpolator, type Client } from '../index.ts';
import { syncSprites, syncObjects } from './index.ts';

let server: FakeServer;
let client: Client<Arena>;
const ID = (n: number): string => n.toString(16).padStart(64, '0');
const at = (id: number, x: number, y = 0, hp = 100) => ({ id, owner: ID(id), name: `a${id}`, x, y, hp, alive: true });

beforeEach(async () => {
  server = await FakeServer.start(arena);
  server.upsert('avatar', at(1, 1, 2));
  client = arenaClient(server);
  await client.ready;
  await client.subscribe('avatar').ready;
});

afterEach(async () => {
  await client.close();
  await server.close();
});

class FakeSprite {
  x = NaN; y = NaN; destroyed = false; tint = 0;
  setPosition(x: number, y: number): this { this.x = x; this.y = y; return this; }
  destroy(): void { this.destroyed = true; }
}

class FakeScene {
  readonly handlers = new Map<string, Set<() => void>>();
  readonly events = {
    on: (e: string, fn: () => void) => { if (!this.handlers.has(e)) this.handlers.set(e, new Set()); this.handlers.get(e)!.add(fn); },
    off: (e: string, fn: () => void) => { this.handlers.get(e)?.delete(fn); },
  };
  emit(e: string): void { for (const fn of [...(this.handlers.get(e) ?? [])]) fn(); }
}

describe('Phaser adapter', () => {
  it('creates, moves (interpolated on scene update), updates and destroys sprites, and cleans up on shutdown', async () => {
    let clock = 0;
    const ip = createInterpolator(client, client.db.avatar, { now: () => clock, delayMs: 0 });
    const scene = new FakeScene();
    const sprites: FakeSprite[] = [];
    const sync = syncSprites(scene, client.db.avatar, {
      create: () => { const s = new FakeSprite(); sprites.push(s); return s; },
      changed: (s, row, changed) => { if (changed.includes('hp')) s.tint = row.hp; },
      interpolator: ip,
    });
    expect(sprites.length).toBe(1); // the row already held
    server.upsert('avatar', at(2, 5, 5));
    server.upsert('avatar', at(1, 3, 4, 70));
    clock = server.time + 50;
    await tickAndWait(server, client);
    scene.emit('update');
    expect(sprites.map((s) => [s.x, s.y])).toEqual([[3, 4], [5, 5]]);
    expect(sprites[0]!.tint).toBe(70);
    server.remove('avatar', 2);
    await tickAndWait(server, client);
    expect(sprites[1]!.destroyed).toBe(true);
    expect(sync.objects.size).toBe(1);
    scene.emit('shutdown');
    expect(sprites[0]!.destroyed).toBe(true);
    expect(scene.handlers.get('update')!.size).toBe(0);
  });
});

describe('Three.js adapter', () => {
  it('adds objects to the parent, maps x/y to the ground plane, removes them on delete', async () => {
    const parent = { children: new Set<object>(), add(o: object) { this.children.add(o); }, remove(o: object) { this.children.delete(o); } };
    const made: { position: { v: number[]; set(x: number, y: number, z: number): void } }[] = [];
    const sync = syncObjects(parent, client.db.avatar, {
      create: () => {
        const o = { position: { v: [] as number[], set(x: number, y: number, z: number) { this.v = [x, y, z]; } } };
        made.push(o);
        return o;
      },
      height: (row) => row.hp / 100,
    });
    expect(made[0]!.position.v).toEqual([1, 1, 2]);
    server.upsert('avatar', at(1, 7, 8, 50));
    await tickAndWait(server, client);
    expect(made[0]!.position.v).toEqual([7, 0.5, 8]); // no interpolator: placed on each update
    server.remove('avatar', 1);
    server.upsert('avatar', at(3, 0, 0));
    await tickAndWait(server, client);
    expect(parent.children.size).toBe(1);
    sync.dispose();
    expect(parent.children.size).toBe(0);
  });
});
