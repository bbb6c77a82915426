// The durable world as a game server uses it: recovery on open, time travel, restore, version checks.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger, type Logger } from '../index.ts';
import game, { ids } from '../test-fixtures/game.ts';
import { schema, table, t } from '../index.ts';
import { openDurableWorld, openReadOnly, worldAt, type DurableWorld, type DurableWorldOptions } from './index.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-dw-'));
  dirs.push(d);
  return d;
}

const [A, B] = ids(2) as [string, string];

function capture(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
}

function clockFrom(start: number): () => number {
  let now = start;
  return () => (now += 50);
}

async function open(opts: DurableWorldOptions): Promise<DurableWorld<typeof game>> {
  return openDurableWorld(game, { logger: silentLogger, world: { clock: clockFrom(1_700_000_000_000) }, ...opts });
}

/** Plays `n` ticks of moves/notes; returns the hash after each tick, indexed by tick. */
async function play(dw: DurableWorld<typeof game>, n: number): Promise<Map<number, string>> {
  const w = dw.world;
  const hashes = new Map<number, string>();
  if (w.tables.player.count === 0) {
    w.enqueue('join', { name: 'a' }, A, 1);
    w.enqueue('join', { name: 'b' }, B, 2);
  }
  for (let i = 0; i < n; i++) {
    w.enqueue('move', { dx: 1, dy: i % 3 }, A, 1);
    if (i % 4 === 0) w.enqueue('note', { text: `t${w.tick}` }, B, 2);
    const r = w.step();
    await w.committed();
    hashes.set(r.tick, r.hash);
  }
  return hashes;
}

describe.each(['memory', 'os', 'durable'] as const)('durable world (%s)', (durability) => {
  const dataDir = () => (durability === 'memory' ? undefined : tmp());

  it('at(t) rebuilds any earlier tick as a separate read-only world', async () => {
    const dw = await open({ durability, dataDir: dataDir(), snapshotEvery: 7 });
    const hashes = await play(dw, 40);
    for (const t of [0, 1, 6, 7, 8, 23, 40]) {
      const v = dw.at(t);
      expect(v.tick).toBe(t);
      if (t > 0) expect(v.hash()).toBe(hashes.get(t));
    }
    const v = dw.at(10);
    expect(v.tables.player.find(1)?.x).toBe(10);
    expect(() => (v.tables.player as unknown as { insert(r: object): void }).insert({ owner: A, name: 'x', x: 0, y: 0, score: 0 })).toThrow();
    expect(dw.world.tables.player.find(1)?.x).toBe(40);
    expect(() => dw.at(41)).toThrow(expect.objectContaining({ code: 'NO_SUCH_TICK' }));
    await dw.close();
  });

  it('restore(t) sets the live world back, is logged, and keeps the history after t reachable', async () => {
    const dw = await open({ durability, dataDir: dataDir(), snapshotEvery: 5 });
    const hashes = await play(dw, 20);
    const events: number[] = [];
    dw.onRestore((e) => events.push(e.toTick));
    const ev = await dw.restore(8);
    expect(ev).toEqual({ tick: 21, toTick: 8 });
    expect(events).toEqual([8]);
    expect(dw.world.tick).toBe(21);
    expect(dw.world.hash()).toBe(hashes.get(8));
    expect(dw.world.tables.player.find(1)?.x).toBe(8);
    const after = await play(dw, 5);
    expect(dw.world.tables.player.find(1)?.x).toBe(13);
    expect(dw.at(15).hash()).toBe(hashes.get(15)); // history before the restore is still there
    expect(dw.at(21).hash()).toBe(hashes.get(8));
    expect(dw.at(26).hash()).toBe(after.get(26));
    expect([...dw.log.read(21, 21)][0]).toMatchObject({ kind: 'restore', toTick: 8 });
    await dw.close();
  });
});

describe.each(['os', 'durable'] as const)('recovery (%s)', (durability) => {
  it('reopening recovers the exact state, from a snapshot plus the log suffix', async () => {
    const dataDir = tmp();
    const dw = await open({ durability, dataDir, snapshotEvery: 10, snapshotOnClose: false });
    const hashes = await play(dw, 37);
    await dw.close();
    const log = capture();
    const again = await open({ durability, dataDir, snapshotEvery: 10, logger: log });
    expect(again.recovery).toMatchObject({ snapshotTick: 30, replayedTicks: 7, tick: 37, dropped: [] });
    expect(again.world.hash()).toBe(hashes.get(37));
    expect(log.lines.join('\n')).toMatch(/recovered to tick 37/);
    const more = await play(again, 3);
    expect(more.has(40)).toBe(true);
    await again.close();
  });

  it('replays through a logged restore when no snapshot covers it', async () => {
    const dataDir = tmp();
    const dw = await open({ durability, dataDir, snapshotEvery: 1000, snapshotOnClose: false });
    const hashes = await play(dw, 12);
    await dw.restore(4);
    const after = await play(dw, 3);
    await dw.flush();
    await dw.close();
    fs.rmSync(path.join(dataDir, 'snapshots'), { recursive: true }); // force a full replay
    const again = await open({ durability, dataDir });
    expect(again.recovery).toMatchObject({ snapshotTick: undefined, replayedTicks: 16, tick: 16 });
    expect(again.world.hash()).toBe(after.get(16));
    expect(again.at(13).hash()).toBe(hashes.get(4));
    await again.close();
  });
});

describe('module versions and options', () => {
  const other = (() => {
    const thing = table('thing', { id: t.u32().primaryKey().autoInc(), v: t.u32() });
    const s = schema({ thing });
    return s.module({ reducers: { bump: s.reducer({}, (ctx) => void ctx.db.thing.insert({ v: 1 })) } });
  })();

  it('refuses a data directory written by another module version, naming both, unless allowed', async () => {
    const dataDir = tmp();
    const dw = await open({ dataDir });
    await play(dw, 3);
    await dw.close();
    const err = await openDurableWorld(other, { dataDir, logger: silentLogger }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'VERSION_MISMATCH' });
    expect((err as Error).message).toContain(game.versionHash);
    expect((err as Error).message).toContain(other.versionHash);
    expect((err as Error).message).toContain('allowVersionMismatch');
    const allowed = await openDurableWorld(other, { dataDir, logger: silentLogger, allowVersionMismatch: true });
    allowed.world.enqueue('bump', {}, A, 1);
    allowed.world.step();
    await allowed.world.committed();
    await allowed.close();
  });

  it('refuses a data directory of another data format or with a damaged world.json, and lets go of it', async () => {
    const dataDir = tmp();
    const dw = await open({ dataDir });
    await play(dw, 2);
    await dw.close();
    const metaFile = path.join(dataDir, 'world.json');
    const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(metaFile, JSON.stringify({ ...meta, format: 1 }));
    for (let i = 0; i < 2; i++) { // twice: a refused open must release the directory's lock
      const err = await open({ dataDir }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'VERSION_MISMATCH' });
      expect((err as Error).message).toContain('format 1');
    }
    fs.writeFileSync(metaFile, '{"seed": 1, "vers');
    await expect(open({ dataDir })).rejects.toMatchObject({ code: 'META_CORRUPT' });
    fs.writeFileSync(metaFile, JSON.stringify({ ...meta, seed: 'one' }));
    await expect(open({ dataDir })).rejects.toMatchObject({ code: 'META_CORRUPT' });
    fs.writeFileSync(metaFile, JSON.stringify(meta));
    const back = await open({ dataDir });
    expect(back.world.tick).toBe(2);
    await back.close();
  });

  it('explains bad options', async () => {
    await expect(openDurableWorld(game, { durability: 'durable' })).rejects.toThrow(/needs a dataDir/);
    await expect(openDurableWorld(game, { durability: 'fast' as 'os', dataDir: tmp() })).rejects.toThrow(/durability must be/);
    await expect(openDurableWorld(game, { dataDir: tmp(), snapshotEvery: 0 })).rejects.toThrow(/snapshotEvery/);
  });

  it('in the durable setting a call result is released only after its tick is fsynced', async () => {
    const dataDir = tmp();
    const dw = await open({ dataDir });
    let released = false;
    const res = dw.world.call('join', { name: 'z' }, { sender: A, conn: 1 }).then((r) => {
      released = true;
      return r;
    });
    dw.world.step();
    expect(released).toBe(false);
    expect(await res).toEqual({ ok: true });
    // by the time the caller hears back, the tick is readable from the files on disk
    const ro = openReadOnly(dataDir, game, silentLogger);
    expect(ro.log.lastTick).toBe(1);
    expect(worldAt(ro, 1).tables.player.count).toBe(1);
    await dw.close();
  });

  it('lets one process at a time open a data directory, and takes over a crashed owner\'s lock', async () => {
    const dataDir = tmp();
    const dw = await open({ dataDir });
    await expect(open({ dataDir })).rejects.toMatchObject({ code: 'LOCKED', message: expect.stringContaining(`process ${process.pid}`) });
    await dw.close();
    fs.writeFileSync(path.join(dataDir, 'LOCK'), '999999999\n'); // a pid that cannot exist
    const again = await open({ dataDir });
    await again.close();
    expect(fs.existsSync(path.join(dataDir, 'LOCK'))).toBe(false);
  });

  it('archives old log segments once snapshots cover them, when retention is archive', async () => {
    const dataDir = tmp();
    const dw = await open({ dataDir, snapshotEvery: 10, keepSnapshots: 2, retention: 'archive', segmentBytes: 600 });
    const hashes = await play(dw, 60);
    await dw.flush();
    expect(fs.readdirSync(path.join(dataDir, 'archive')).length).toBeGreaterThan(0);
    expect(fs.readdirSync(path.join(dataDir, 'snapshots'))).toHaveLength(2);
    expect(dw.at(3).hash()).toBe(hashes.get(3)); // still reachable through archive/
    await dw.close();
  });
});
