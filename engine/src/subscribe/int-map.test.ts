import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { IntMap } from './int-map.ts';

describe('IntMap', () => {
  it('behaves like a Map under random sets, deletes and lookups (collisions and wrap-around included)', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.constantFrom('set', 'delete', 'get'), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 1e6 })), { maxLength: 600 }),
      (ops) => {
        const m = new IntMap(4), ref = new Map<number, number>();
        for (const [op, k, v] of ops) {
          if (op === 'set') { m.set(k, v); ref.set(k, v); }
          else if (op === 'delete') expect(m.delete(k)).toBe(ref.delete(k));
          else expect(m.get(k)).toBe(ref.get(k) ?? -1);
          expect(m.size).toBe(ref.size);
        }
        for (const [k, v] of ref) expect(m.get(k)).toBe(v);
        const seen = new Map<number, number>();
        m.forEach((k, v) => seen.set(k, v));
        expect(seen).toEqual(ref);
      },
    ), { numRuns: 200 });
  });
});
