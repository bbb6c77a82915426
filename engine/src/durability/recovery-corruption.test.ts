// Damaged data directories: recovery reaches the last good state and says what it dropped.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../index.ts';
import game, { ids } from '../test-fixtures/game.ts';
import { openDurableWorld, type DurableWorld } from './index.ts';
import { listSegments } from './log-scan.ts';
import { SegmentCursor } from './segment-cursor.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const [A] = ids(1) as [string];

function capture(): Logger & { text: () => string } {
  const lines: string[] = [];
  return { text: () => lines.join('\n'), info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
}

async function open(dataDir: string, logger: Logger, segmentBytes = 1 << 20): Promise<DurableWorld<typeof game>> {
  let now = 1_700_000_000_000;
  return openDurableWorld(game, { dataDir, logger, snapshotEvery: 10, snapshotOnClose: false, segmentBytes, world: { clock: () => (now += 50) } });
}

/** A data directory holding 30 ticks (snapshots at 10, 20, 30 minus the ones removed), and the hashes. */
async function history(segmentBytes?: number): Promise<{ dataDir: string; hashes: string[] }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-corrupt-'));
  dirs.push(dataDir);
  const dw = await open(dataDir, capture(), segmentBytes);
  const hashes: string[] = [dw.world.hash()];
  dw.world.enqueue('join', { name: 'a' }, A, 1);
  for (let i = 1; i <= 30; i++) {
    dw.world.enqueue('move', { dx: 1, dy: 0 }, A, 1);
    dw.world.enqueue('note', { text: `n${i}` }, A, 1);
    hashes[i] = dw.world.step().hash;
    await dw.world.committed();
  }
  await dw.flush();
  await dw.close();
  fs.rmSync(path.join(dataDir, 'snapshots', '00000000000000000030.wsnap'));
  return { dataDir, hashes };
}

/** Byte offset of the record of `tick`, and the segment file holding it. */
function locate(dataDir: string, tick: number): { file: string; offset: number } {
  for (const seg of listSegments(path.join(dataDir, 'log'))) {
    const c = new SegmentCursor(seg.file);
    for (let s = c.next(); s.kind === 'frame'; s = c.next()) {
      if (s.tick === tick) {
        c.close();
        return { file: seg.file, offset: s.offset };
      }
    }
    c.close();
  }
  throw new Error(`tick ${tick} not found`);
}

function flip(file: string, at: number): void {
  const b = fs.readFileSync(file);
  b[at] ^= 0x5a;
  fs.writeFileSync(file, b);
}

describe('recovery from damaged data', () => {
  it('a truncated tail: recovers to the last whole tick and names it', async () => {
    const { dataDir, hashes } = await history();
    const seg = listSegments(path.join(dataDir, 'log')).at(-1)!.file;
    fs.truncateSync(seg, fs.statSync(seg).size - 3);
    const log = capture();
    const dw = await open(dataDir, log);
    expect(dw.recovery).toMatchObject({ tick: 29, snapshotTick: 20, replayedTicks: 9 });
    expect(dw.recovery.dropped).toHaveLength(1);
    expect(dw.recovery.dropped[0]).toMatchObject({ lastGoodTick: 29 });
    expect(log.text()).toMatch(/torn record.*ends at tick 29/);
    expect(dw.world.hash()).toBe(hashes[29]);
    dw.world.step(); // the world goes on from there
    await dw.world.committed();
    expect(dw.world.tick).toBe(30);
    await dw.close();
  });

  it('a flipped byte in the newest segment: cuts there and keeps the rest in quarantine/', async () => {
    const { dataDir, hashes } = await history();
    const { file, offset } = locate(dataDir, 25);
    flip(file, offset + 30);
    const log = capture();
    const dw = await open(dataDir, log);
    expect(dw.recovery.tick).toBe(24);
    expect(dw.world.hash()).toBe(hashes[24]);
    expect(log.text()).toMatch(/checksum mismatch; the log now ends at tick 24; the dropped bytes are kept in .*quarantine/);
    expect(fs.readdirSync(path.join(dataDir, 'quarantine')).length).toBe(1);
    await dw.close();
  });

  it('a flipped byte in an older segment: found while replaying, later segments go to quarantine/', async () => {
    const { dataDir, hashes } = await history(700);
    expect(listSegments(path.join(dataDir, 'log')).length).toBeGreaterThan(3);
    const { file, offset } = locate(dataDir, 23);
    expect(file).not.toBe(listSegments(path.join(dataDir, 'log')).at(-1)!.file);
    flip(file, offset + 12);
    const log = capture();
    const dw = await open(dataDir, log, 700);
    expect(dw.recovery.tick).toBe(22);
    expect(dw.world.hash()).toBe(hashes[22]);
    expect(dw.recovery.dropped.at(-1)?.lastGoodTick).toBe(22);
    expect(log.text()).toMatch(/corrupt .*checksum mismatch.*now ends at tick 22/s);
    expect(fs.readdirSync(path.join(dataDir, 'quarantine')).length).toBeGreaterThan(0);
    await dw.close();
  });

  it('a corrupt newest snapshot: falls back to the older one and still reaches the last tick', async () => {
    const { dataDir, hashes } = await history();
    const snap = path.join(dataDir, 'snapshots', '00000000000000000020.wsnap');
    flip(snap, fs.statSync(snap).size >> 1);
    const log = capture();
    const dw = await open(dataDir, log);
    expect(dw.recovery).toMatchObject({ tick: 30, snapshotTick: 10, replayedTicks: 20 });
    expect(dw.world.hash()).toBe(hashes[30]);
    expect(log.text()).toMatch(/snapshot of tick 20 is unusable \(snapshot checksum mismatch\); skipped it and moved it to .*quarantine/);
    await dw.close();
  });

  it('a snapshot ahead of a cut log is set aside rather than leaving a hole in the history', async () => {
    const { dataDir, hashes } = await history();
    const { file, offset } = locate(dataDir, 16);
    fs.truncateSync(file, offset + 5);
    const log = capture();
    const dw = await open(dataDir, log);
    expect(dw.recovery).toMatchObject({ tick: 15, snapshotTick: 10 });
    expect(dw.world.hash()).toBe(hashes[15]);
    expect(log.text()).toMatch(/snapshot of tick 20 is ahead of the log, which ends at tick 15/);
    await dw.close();
  });
});
