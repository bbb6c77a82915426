// One suite for every replay log implementation: what the rest of the engine relies on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileReplayLog } from './file-log.ts';
import type { ReplayLog } from './log-api.ts';
import { MemoryReplayLog } from './memory-log.ts';
import type { LogRecord } from './types.ts';

const quiet = { warn: () => {} };
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-log-'));
  dirs.push(d);
  return d;
}

function rec(tick: number, n = 2): LogRecord {
  const inputs = Array.from({ length: n }, (_, i) => ({ k: 'call', reducer: 'transfer', sender: 'ab'.repeat(32), conn: i, args: { to: tick, amount: i } }));
  return { kind: 'tick', tick, time: 1000 + tick * 50, seed: tick * 7, inputs, hash: tick.toString(16).padStart(16, '0') };
}

const impls: [string, () => ReplayLog][] = [
  ['memory', () => new MemoryReplayLog()],
  ['file/os', () => FileReplayLog.open({ dataDir: tmp(), mode: 'os', versionHash: 'v1', segmentBytes: 4096, logger: quiet })],
  ['file/durable', () => FileReplayLog.open({ dataDir: tmp(), mode: 'durable', versionHash: 'v1', segmentBytes: 4096, logger: quiet })],
];

describe.each(impls)('replay log conformance: %s', (_name, make) => {
  it('starts empty', () => {
    const log = make();
    expect(log.lastTick).toBeUndefined();
    expect(log.firstTick).toBeUndefined();
    expect([...log.read(0)]).toEqual([]);
  });

  it('reads back what was appended, from any tick, including records not yet flushed', async () => {
    const log = make();
    const all = Array.from({ length: 60 }, (_, i) => rec(i + 1));
    const acks = all.map((r) => log.append(r));
    expect([...log.read(1)]).toEqual(all);
    await Promise.all(acks);
    expect(log.lastTick).toBe(60);
    expect(log.firstTick).toBe(1);
    expect([...log.read(25, 30)]).toEqual(all.slice(24, 30));
    expect([...log.read(59)]).toEqual(all.slice(58));
    expect([...log.read(61)]).toEqual([]);
    await log.close();
  });

  it('refuses a gap or a repeated tick', async () => {
    const log = make();
    await log.append(rec(1));
    await expect(log.append(rec(3))).rejects.toMatchObject({ code: 'LOG_GAP' });
    await expect(log.append(rec(1))).rejects.toMatchObject({ code: 'LOG_GAP' });
    await log.append(rec(2));
    expect(log.lastTick).toBe(2);
    await log.close();
  });

  it('keeps restore records in order with ticks', async () => {
    const log = make();
    await log.append(rec(1));
    await log.append({ kind: 'restore', tick: 2, time: 2000, toTick: 0, hash: 'x' });
    await log.append(rec(3));
    expect([...log.read(1)].map((r) => r.kind)).toEqual(['tick', 'restore', 'tick']);
    await log.close();
  });

  it('truncateAfter drops later records and accepts appends after the cut', async () => {
    const log = make();
    for (let t = 1; t <= 40; t++) await log.append(rec(t));
    log.truncateAfter(17, 'test cut');
    expect(log.lastTick).toBe(17);
    expect(log.dropped.at(-1)?.lastGoodTick).toBe(17);
    await log.append(rec(18, 5));
    expect([...log.read(16)].map((r) => r.tick)).toEqual([16, 17, 18]);
    expect(([...log.read(18)][0] as { inputs: unknown[] }).inputs).toHaveLength(5);
    await log.close();
  });

  it('counts appended bytes', async () => {
    const log = make();
    await log.append(rec(1, 10));
    expect(log.bytesAppended).toBeGreaterThan(10 * 40);
    await log.close();
  });
});
