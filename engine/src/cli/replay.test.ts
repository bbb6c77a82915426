// `worldline replay`: table summaries at a tick or time, --verify, and clear usage errors.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../index.ts';
import game, { ids } from '../test-fixtures/game.ts';
import { openDurableWorld } from '../durability/index.ts';
import { encodeRecord, decodePayload, FRAME_HEADER_BYTES } from '../durability/record-codec.ts';
import { listSegments } from '../durability/log-scan.ts';
import { SegmentCursor } from '../durability/segment-cursor.ts';
import { runReplayCli } from './replay.ts';

const MODULE = path.join(path.dirname(fileURLToPath(import.meta.url)), '../test-fixtures/game.ts');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-cli-'));
const START = Date.UTC(2025, 0, 31, 12, 0, 0);
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

beforeAll(async () => {
  let now = START - 50;
  const dw = await openDurableWorld(game, { dataDir, durability: 'os', snapshotEvery: 10, logger: silentLogger, world: { clock: () => (now += 50) } });
  const [a, b] = ids(2) as [string, string];
  dw.world.enqueue('join', { name: 'ann' }, a, 1);
  dw.world.enqueue('join', { name: 'bo' }, b, 2);
  for (let i = 1; i <= 25; i++) {
    dw.world.enqueue('move', { dx: 1, dy: 0 }, a, 1);
    dw.world.step();
    await dw.world.committed();
  }
  await dw.close();
});

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runReplayCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('worldline replay', () => {
  it('prints table summaries at a tick', async () => {
    const r = await run(dataDir, '--module', MODULE, '--at', '7');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/log: ticks 1\.\.25; snapshots: 10, 20/);
    expect(r.out).toMatch(/state after tick 7 \(2025-01-31T12:00:00\.300Z\)/);
    expect(r.out).toMatch(/player: 2 rows/);
    expect(r.out).toContain('"name":"ann","x":7');
  });

  it('takes an ISO time and finds the last tick at or before it', async () => {
    const r = await run(dataDir, '-m', MODULE, '--at', '2025-01-31T12:00:01.010Z', '--table', 'player', '--rows', '1');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/state after tick 21 /);
    expect(r.out).toMatch(/… 1 more/);
    expect(r.out).not.toMatch(/item:/);
  });

  it('--verify re-executes the log and reports success', async () => {
    const r = await run(dataDir, '--module', MODULE, '--verify');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/verify: OK: 25 tick\(s\) re-executed from tick 0 to tick 25/);
  });

  it('--verify names the first divergent tick', async () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-cli-div-'));
    try {
      fs.cpSync(dataDir, copy, { recursive: true });
      // Rewrite tick 13's record with a wrong (but well-formed, checksummed) state hash.
      const seg = listSegments(path.join(copy, 'log'))[0]!.file;
      const c = new SegmentCursor(seg);
      let at = -1;
      let rec;
      for (let s = c.next(); s.kind === 'frame'; s = c.next()) if (s.tick === 13) { at = s.offset; rec = decodePayload(s.payload); }
      c.close();
      const bytes = fs.readFileSync(seg);
      const forged = encodeRecord({ ...rec!, hash: 'ffffffffffffffff' });
      expect(forged.length).toBe(bytes.readUInt32LE(at) + FRAME_HEADER_BYTES);
      forged.copy(bytes, at);
      fs.writeFileSync(seg, bytes);
      const r = await run(copy, '--module', MODULE, '--verify');
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/DIVERGENCE at tick 13: the log recorded hash ffffffffffffffff/);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it('explains usage mistakes', async () => {
    expect((await run('--help')).out).toMatch(/Usage: worldline replay/);
    expect(await run(dataDir)).toMatchObject({ code: 2, err: expect.stringMatching(/--module <path> is required/) });
    expect(await run(dataDir, '--module', MODULE, '--bogus')).toMatchObject({ code: 2, err: expect.stringMatching(/unknown option --bogus/) });
    expect(await run(dataDir, '--module', MODULE, '--at', 'yesterday-ish')).toMatchObject({ code: 1, err: expect.stringMatching(/not a tick number or an ISO time/) });
    expect(await run(dataDir, '--module', MODULE, '--at', '99')).toMatchObject({ code: 1, err: expect.stringMatching(/tick 99 cannot be rebuilt/) });
    expect(await run(path.join(dataDir, 'nope'), '--module', MODULE)).toMatchObject({ code: 2, err: expect.stringMatching(/holds no world data/) });
  });
});
