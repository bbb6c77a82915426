// Disk-specific behaviour of the replay log: segments, reopening, torn and corrupt tails, archiving.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileReplayLog, type FileLogOptions } from './file-log.ts';
import { listSegments } from './log-scan.ts';
import { SegmentCursor } from './segment-cursor.ts';
import type { LogRecord } from './types.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function setup(extra: Partial<FileLogOptions> = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-flog-'));
  dirs.push(dataDir);
  const warnings: string[] = [];
  const open = (more: Partial<FileLogOptions> = {}) =>
    FileReplayLog.open({ dataDir, mode: 'durable', versionHash: 'v1', segmentBytes: 2048, logger: { warn: (m) => warnings.push(m) }, ...extra, ...more });
  return { dataDir, warnings, open, logDir: path.join(dataDir, 'log') };
}

function rec(tick: number): LogRecord {
  return { kind: 'tick', tick, time: tick * 50, seed: tick, hash: `h${tick}`, inputs: [{ k: 'call', reducer: 'transfer', sender: 'cd'.repeat(32), conn: 1, args: { amount: tick } }] };
}

async function fill(log: FileReplayLog, from: number, to: number): Promise<void> {
  for (let t = from; t <= to; t++) void log.append(rec(t));
  await log.flush();
}

describe('file replay log', () => {
  it('rolls over to a new segment named by its first tick once the size limit is passed', async () => {
    const { open, logDir } = setup();
    const log = open();
    await fill(log, 1, 100);
    await log.close();
    const segs = listSegments(logDir);
    expect(segs.length).toBeGreaterThan(3);
    expect(segs[0].firstTick).toBe(1);
    expect(path.basename(segs[1].file)).toMatch(/^\d{20}\.wlog$/);
    const again = open();
    expect(again.lastTick).toBe(100);
    expect([...again.read(1)].map((r) => r.tick)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    await fill(again, 101, 110);
    expect([...again.read(95)].map((r) => r.tick)).toEqual(Array.from({ length: 16 }, (_, i) => i + 95));
    await again.close();
  });

  it('cuts a torn tail on open and warns with the last good tick', async () => {
    const { open, logDir, warnings } = setup({ segmentBytes: 1 << 20 });
    const log = open();
    await fill(log, 1, 20);
    await log.close();
    const file = listSegments(logDir)[0].file;
    const size = fs.statSync(file).size;
    fs.truncateSync(file, size - 5); // the last record lost its final bytes, as in a crash mid-write
    const again = open();
    expect(again.lastTick).toBe(19);
    expect(warnings.join('\n')).toMatch(/torn record.*ends at tick 19/);
    expect(again.dropped[0]).toMatchObject({ lastGoodTick: 19 });
    await again.append(rec(20));
    await again.close();
    expect(open().lastTick).toBe(20);
  });

  it('cuts at a flipped byte, keeps the dropped bytes in quarantine/ and says so', async () => {
    const { open, logDir, dataDir, warnings } = setup({ segmentBytes: 1 << 20 });
    const log = open();
    await fill(log, 1, 30);
    await log.close();
    const file = listSegments(logDir)[0].file;
    const starts = frameOffsets(file);
    const bytes = fs.readFileSync(file);
    bytes[starts[11] + 20] ^= 0xff; // inside record 12
    fs.writeFileSync(file, bytes);
    const again = open();
    expect(again.lastTick).toBe(11);
    expect(warnings.at(-1)).toMatch(/checksum mismatch.*ends at tick 11.*quarantine/);
    const kept = fs.readdirSync(path.join(dataDir, 'quarantine'));
    expect(kept).toHaveLength(1);
    expect(fs.statSync(path.join(dataDir, 'quarantine', kept[0])).size).toBe(bytes.length - starts[11]);
    await again.close();
  });

  it('moves an unreadable newest segment aside instead of deleting it', async () => {
    const { open, logDir, dataDir, warnings } = setup();
    const log = open();
    await fill(log, 1, 60);
    await log.close();
    const segs = listSegments(logDir);
    const lastSeg = segs.at(-1)!;
    const b = fs.readFileSync(lastSeg.file);
    b[3] ^= 1; // magic number
    fs.writeFileSync(lastSeg.file, b);
    const again = open();
    expect(again.lastTick).toBe(lastSeg.firstTick - 1);
    expect(warnings.join('\n')).toMatch(/unreadable \(not a worldline log segment/);
    expect(fs.readdirSync(path.join(dataDir, 'quarantine'))).toContain(path.basename(lastSeg.file));
    await again.close();
  });

  it('reports a corrupt record in an older segment when reading, and can cut there', async () => {
    const { open, logDir } = setup();
    const log = open();
    await fill(log, 1, 80);
    await log.close();
    const first = listSegments(logDir)[0].file;
    const b = fs.readFileSync(first);
    b[b.length - 3] ^= 0x55;
    fs.writeFileSync(first, b);
    const again = open();
    expect(again.lastTick).toBe(80); // only the newest segment is scanned on open
    expect(() => [...again.read(1)]).toThrow(/corrupt .*checksum.*last good tick/);
    let lastGood = 0;
    try {
      for (const r of again.read(1)) lastGood = r.tick;
    } catch {
      /* expected */
    }
    again.truncateAfter(lastGood, 'corrupt record found during recovery');
    expect(again.lastTick).toBe(lastGood);
    expect([...again.read(1)]).toHaveLength(lastGood);
    await fill(again, lastGood + 1, lastGood + 3);
    expect(again.lastTick).toBe(lastGood + 3);
    await again.close();
  });

  it('remembers the module version hash and starts a new segment when it changes', async () => {
    const { open, logDir } = setup({ segmentBytes: 1 << 20 });
    const log = open();
    await fill(log, 1, 5);
    await log.close();
    const v2 = open({ versionHash: 'v2' });
    expect(v2.storedVersionHash).toBe('v1');
    await fill(v2, 6, 7);
    await v2.close();
    expect(listSegments(logDir).map((s) => s.firstTick)).toEqual([1, 6]);
    expect(open({ versionHash: 'v2' }).storedVersionHash).toBe('v2');
  });

  it('archives old segments on request and still reads through them', async () => {
    const { open, dataDir } = setup();
    const log = open();
    await fill(log, 1, 100);
    const moved = log.archiveThrough(60);
    expect(moved).toBeGreaterThan(0);
    const archived = listSegments(path.join(dataDir, 'archive'));
    expect(archived.length).toBe(moved);
    expect(listSegments(path.join(dataDir, 'log'))[0].firstTick).toBeLessThanOrEqual(61);
    expect([...log.read(1)].map((r) => r.tick)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    await log.close();
    const again = open();
    expect(again.firstTick).toBe(1);
    expect(again.lastTick).toBe(100);
    await again.close();
  });

  it('reads from the middle of a long segment the same way before and after its seek index exists', async () => {
    const { open } = setup({ segmentBytes: 1 << 24 });
    const log = open();
    await fill(log, 1, 700);
    const direct = [...log.read(390, 400)];
    await log.close();
    const again = open(); // fresh index: the first read steps through, the second seeks
    expect([...again.read(390, 400)]).toEqual(direct);
    expect([...again.read(390, 400)]).toEqual(direct);
    expect([...again.read(256, 257)].map((r) => r.tick)).toEqual([256, 257]);
    expect([...again.read(640)].map((r) => r.tick)).toEqual(Array.from({ length: 61 }, (_, i) => 640 + i));
    await again.close();
  });

  it('settles every acknowledgement when many appends are queued at once', async () => {
    const { open } = setup({ segmentBytes: 1 << 20 });
    const log = open();
    const acks = [];
    for (let t = 1; t <= 200; t++) acks.push(log.append(rec(t)));
    await Promise.all(acks);
    expect(log.lastTick).toBe(200);
    expect([...log.read(1)]).toHaveLength(200);
    await log.close();
  });
});

function frameOffsets(file: string): number[] {
  const c = new SegmentCursor(file);
  const out: number[] = [];
  for (let s = c.next(); s.kind === 'frame'; s = c.next()) out.push(s.offset);
  c.close();
  return out;
}
