// A world image: every column's live bytes, the value pools and the counters — what a snapshot
// stores. Export copies typed arrays (memcpy speed) at a tick boundary; import rebuilds the indexes
// and checks the recomputed hash against the stored one, so a damaged image is refused.
import type { World } from './world.ts';
import { bytesPerValue } from '../table/typed-columns.ts';
import { WorldlineError } from '../errors/index.ts';

export interface TableImage {
  name: string;
  count: number;
  nextAutoInc: number;
  /** One entry per column: the first count values as raw little-endian bytes. */
  columns: Uint8Array[];
}

export interface WorldImage {
  versionHash: string;
  tick: number;
  time: number;
  seed: number;
  hash: string;
  tables: TableImage[];
  strings: { values: (string | null)[]; refs: number[] };
  blobs: { values: (Uint8Array | null)[]; refs: number[] };
}

export function exportImage(world: World): WorldImage {
  const db = world.db;
  return {
    versionHash: world.versionHash,
    tick: world.tick,
    time: world.time,
    seed: world.seed,
    hash: db.hash(),
    tables: db.tables.map((t) => ({
      name: t.name,
      count: t.count,
      nextAutoInc: t.nextAutoInc,
      columns: t.cols.map((col, c) => new Uint8Array(col.buffer, 0, t.count * bytesPerValue(t.columns[c]!.kind)).slice()),
    })),
    strings: db.strings.export(),
    blobs: db.blobs.export(),
  };
}

export function importImage(world: World, img: WorldImage): void {
  const db = world.db;
  db.strings.import(img.strings);
  db.blobs.import(img.blobs);
  let lo = 0, hi = 0;
  for (const t of db.tables) {
    const ti = img.tables.find((x) => x.name === t.name);
    const count = ti ? ti.count : 0;
    if (ti && ti.columns.length !== t.ncols) throw new WorldlineError('SCHEMA', `image of table '${t.name}' has ${ti.columns.length} columns, the module has ${t.ncols}`);
    let cap = Math.max(64, t.capacity);
    while (cap < count) cap *= 2;
    if (cap !== t.capacity) t.grow(cap);
    for (let c = 0; c < t.ncols; c++) {
      const bytes = ti ? ti.columns[c]! : new Uint8Array(0);
      const need = count * bytesPerValue(t.columns[c]!.kind);
      if (bytes.length !== need) throw new WorldlineError('SCHEMA', `image of ${t.name}.${t.columns[c]!.name} has ${bytes.length} bytes, expected ${need}`);
      new Uint8Array(t.cols[c]!.buffer, 0, need).set(bytes);
    }
    t.count = count;
    t.nextAutoInc = ti ? ti.nextAutoInc : 1;
    t.tick.clear();
    t.deleted = [];
    t.reindex();
    const [a, b] = t.hash.all();
    lo = (lo + a) | 0;
    hi = (hi + b) | 0;
  }
  db.hashLo = lo;
  db.hashHi = hi;
  world.tick = img.tick;
  world.time = img.time;
  world.seed = img.seed;
  if (db.hash() !== img.hash) {
    throw new WorldlineError('INTERNAL', `world image of tick ${img.tick} is damaged: recomputed hash ${db.hash()} differs from stored ${img.hash}`);
  }
}
