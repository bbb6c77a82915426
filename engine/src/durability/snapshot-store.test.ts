import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemorySnapshotStore } from './memory-snapshot-store.ts';
import { parseSnapshot, snapshotParts, snapshotTrailer, type SnapshotMeta } from './snapshot-format.ts';
import { FileSnapshotStore, type SnapshotStore } from './snapshot-store.ts';
import { crc32c } from '@node-rs/crc32';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-snap-'));
  dirs.push(d);
  return d;
}

function image(n: number, salt = 0) {
  const x = new Float32Array(new SharedArrayBuffer(n * 4));
  for (let i = 0; i < n; i++) x[i] = i * 0.5 + salt;
  return {
    tables: {
      player: {
        count: n,
        columns: {
          id: Uint32Array.from({ length: n }, (_, i) => i + 1),
          x,
          hp: new Uint8Array([1, 2, 3]),
          gold: BigInt64Array.from([-5n, 2n ** 40n]),
          mass: new Float64Array([Math.PI]),
        },
        names: ['ann', 'bo', 'ça'],
      },
    },
    counters: new Map<string, number>([['player', n + 1]]),
    big: 2n ** 63n + 7n,
    nested: [{ at: new Date(1_000) }],
  };
}

const meta = (tick: number): SnapshotMeta => ({ tick, time: tick * 50, hash: `h${tick}`, versionHash: 'v1', createdAt: 0 });

function encodeToBytes(m: SnapshotMeta, img: unknown): Uint8Array {
  const parts = snapshotParts(m, img);
  const out = new Uint8Array(new ArrayBuffer(parts.size + 8));
  let o = 0;
  let crc = 0;
  for (const c of parts.chunks) {
    out.set(c, o);
    o += c.byteLength;
    crc = crc32c(c, crc);
  }
  out.set(snapshotTrailer(crc), o);
  return out;
}

describe('snapshot format', () => {
  it('round-trips an image: typed arrays keep their kind, shared columns stay shared', () => {
    const img = image(1000);
    const back = parseSnapshot(encodeToBytes(meta(7), img));
    expect(back.meta).toEqual(meta(7));
    expect(back.image).toEqual(img);
    const cols = (back.image as ReturnType<typeof image>).tables.player.columns;
    expect(cols.x).toBeInstanceOf(Float32Array);
    expect(cols.x.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(cols.gold).toBeInstanceOf(BigInt64Array);
    expect(cols.mass.byteOffset % 8).toBe(0);
  });

  it('rejects flipped bytes anywhere and truncation', () => {
    const bytes = encodeToBytes(meta(1), image(50));
    for (let i = 0; i < bytes.length; i += 7) {
      const bad = new Uint8Array(new ArrayBuffer(bytes.length));
      bad.set(bytes);
      bad[i] ^= 0x04;
      expect(() => parseSnapshot(bad), `flip at ${i}`).toThrow();
    }
    expect(() => parseSnapshot(bytes.slice(0, bytes.length - 1))).toThrow(/SNAPSHOT|snapshot/);
  });
});

const stores: [string, (keep: number) => { store: SnapshotStore; dataDir?: string; warnings: string[] }][] = [
  ['memory', (keep) => ({ store: new MemorySnapshotStore(keep), warnings: [] })],
  [
    'file',
    (keep) => {
      const dataDir = tmp();
      const warnings: string[] = [];
      return { store: new FileSnapshotStore({ dataDir, fsync: true, keep, logger: { warn: (m) => warnings.push(m) } }), dataDir, warnings };
    },
  ],
];

describe.each(stores)('snapshot store conformance: %s', (_name, make) => {
  it('keeps the newest K and finds the newest at or before a tick', async () => {
    const { store } = make(3);
    for (const t of [10, 20, 30, 40, 50]) await store.save(meta(t), image(10, t));
    expect(store.list()).toEqual([30, 40, 50]);
    expect(store.loadNewest()?.meta.tick).toBe(50);
    expect(store.loadNewest(45)?.meta.tick).toBe(40);
    expect(store.loadNewest(29)).toBeUndefined();
    const img = store.loadNewest(35)!.image as ReturnType<typeof image>;
    expect(img.tables.player.columns.x[1]).toBeCloseTo(30.5);
  });

  it('sets aside snapshots ahead of a tick', async () => {
    const { store } = make(5);
    for (const t of [1, 2, 3]) await store.save(meta(t), image(2));
    store.setAsideAfter(1, 'log ends at tick 1');
    expect(store.list()).toEqual([1]);
  });

  it('rejects a keep count below one', () => {
    expect(() => make(0)).toThrow(/keepSnapshots/);
  });
});

describe('file snapshot store', () => {
  it('writes atomically: no temp file remains, and a leftover one is cleaned on open', async () => {
    const dataDir = tmp();
    const store = new FileSnapshotStore({ dataDir, fsync: true, keep: 2 });
    await store.save(meta(5), image(100));
    const names = fs.readdirSync(path.join(dataDir, 'snapshots'));
    expect(names).toEqual(['00000000000000000005.wsnap']);
    fs.writeFileSync(path.join(dataDir, 'snapshots', '.00000000000000000009.wsnap.1.tmp'), 'half');
    const again = new FileSnapshotStore({ dataDir, fsync: true, keep: 2 });
    expect(fs.readdirSync(path.join(dataDir, 'snapshots'))).toEqual(['00000000000000000005.wsnap']);
    expect(again.loadNewest()?.meta.tick).toBe(5);
  });

  it('skips a corrupt newest snapshot, falls back to the previous one and moves the bad one aside', async () => {
    const dataDir = tmp();
    const warnings: string[] = [];
    const store = new FileSnapshotStore({ dataDir, fsync: false, keep: 3, logger: { warn: (m) => warnings.push(m) } });
    await store.save(meta(10), image(100, 1));
    await store.save(meta(20), image(100, 2));
    const f = store.fileOf(20);
    const b = fs.readFileSync(f);
    b[b.length >> 1] ^= 0xff;
    fs.writeFileSync(f, b);
    const got = store.loadNewest();
    expect(got?.meta.tick).toBe(10);
    expect(warnings[0]).toMatch(/snapshot of tick 20 is unusable \(snapshot checksum mismatch\)/);
    expect(fs.readdirSync(path.join(dataDir, 'quarantine'))).toEqual(['00000000000000000020.wsnap']);
    expect(store.list()).toEqual([10]);
  });

  it('while one snapshot is being written, a newer request replaces a queued older one', async () => {
    const store = new FileSnapshotStore({ dataDir: tmp(), fsync: false, keep: 10 });
    const a = store.save(meta(1), image(10));
    const b = store.save(meta(2), image(10));
    const c = store.save(meta(3), image(10));
    expect(await Promise.all([a, b, c])).toEqual([true, false, true]);
    expect(store.list()).toEqual([1, 3]);
  });
});
