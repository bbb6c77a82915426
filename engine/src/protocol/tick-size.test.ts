// The bytes-per-tick target: a client that sees 100 moving entities (each moving up to 0.5 units
// per axis per tick, positions quantized to 0.01) must get a TickUpdate of at most 330 bytes.
import { describe, it, expect } from 'vitest';
import { ServerSim } from './test-support/server-sim.ts';
import { ClientState } from './client-state.ts';
import { decodeTickUpdate } from './apply-updates.ts';
import { quantizedValue } from './quantize.ts';
import type { TableLayout } from './layout.ts';
import type { PkValue } from './client-state.ts';

const entity: TableLayout = {
  id: 1, name: 'entity', pkIndex: 0, spatial: { x: 1, y: 2 },
  columns: [
    { name: 'id', kind: 'u32' },
    { name: 'x', kind: 'f32', quant: 0.01 },
    { name: 'y', kind: 'f32', quant: 0.01 },
    { name: 'hp', kind: 'u8' },
    { name: 'name', kind: 'string' },
    { name: 'owner', kind: 'identity' },
  ],
};

/** Deterministic PRNG (mulberry32) so the figure is reproducible. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function scene(visible: number, extraChurn: boolean) {
  const sim = new ServerSim([entity]);
  const client = sim.newClient();
  const rand = rng(42);
  const pos = new Map<PkValue, [number, number]>();
  const owner = 'ab'.repeat(32);
  const put = (id: PkValue) => {
    const [x, y] = pos.get(id)!;
    sim.upsert(1, [id as number, Math.fround(x), Math.fround(y), 100, `entity-${id}`, owner]);
  };
  const total = extraChurn ? visible * 2 : visible;
  for (let id = 1; id <= total; id++) {
    pos.set(id, [rand() * 2000, rand() * 2000]);
    put(id);
    client.wants.get(1)!.add(id);
  }
  const state = new ClientState([entity]);
  decodeTickUpdate(sim.publish([client])[0]!, state);
  if (extraChurn) {
    // Half the rows leave the view, so the moving rows' handles are scattered, not 0..99.
    const ids = [...client.wants.get(1)!];
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
    for (const id of ids.slice(visible)) client.wants.get(1)!.delete(id);
    decodeTickUpdate(sim.publish([client])[0]!, state);
  }
  const sizes: number[] = [];
  for (let tick = 0; tick < 20; tick++) {
    for (const id of client.wants.get(1)!) {
      const p = pos.get(id)!;
      p[0] += rand() - 0.5;
      p[1] += rand() - 0.5;
      put(id);
    }
    const frame = sim.publish([client])[0]!;
    sizes.push(frame.length);
    decodeTickUpdate(frame, state);
  }
  // The client tracks the server exactly (quantized).
  for (const id of client.wants.get(1)!) {
    const row = state.table('entity')!.find(id)!;
    expect(row.x).toBe(quantizedValue(Math.fround(pos.get(id)![0]), 0.01));
    expect(row.y).toBe(quantizedValue(Math.fround(pos.get(id)![1]), 0.01));
  }
  return { sizes, visible: client.wants.get(1)!.size };
}

describe('TickUpdate size for 100 moving entities', () => {
  it('is at most 330 bytes per tick with dense handles', () => {
    const { sizes, visible } = scene(100, false);
    expect(visible).toBe(100);
    const max = Math.max(...sizes);
    console.log(`bytes per tick, 100 moving entities, dense handles: max ${max}, mean ${(sizes.reduce((a, b) => a + b) / sizes.length).toFixed(1)}`);
    expect(max).toBeLessThanOrEqual(330);
  });

  it('is at most 330 bytes per tick with scattered handles after churn', () => {
    const { sizes, visible } = scene(100, true);
    expect(visible).toBe(100);
    const max = Math.max(...sizes);
    console.log(`bytes per tick, 100 moving entities, scattered handles: max ${max}`);
    expect(max).toBeLessThanOrEqual(330);
  });
});
