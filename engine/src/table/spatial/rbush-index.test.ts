// Runs the shared conformance suite against the rbush R-tree, once per flush path: the default
// (bulk re-load when much changed), always per-item remove + insert, and always re-load.

import { describe, expect, it } from 'vitest';
import { WorldlineError } from '../../errors/index.ts';
import { createSpatialIndex } from './index.ts';
import { RBushIndex } from './rbush-index.ts';
import { spatialConformance } from './spatial-conformance.ts';

spatialConformance('rtree', (columns) => createSpatialIndex('rtree', { columns }));
spatialConformance('rtree (per-item updates)', (columns) => new RBushIndex({ columns, rebuildFraction: Infinity, maxEntries: 4 }));
spatialConformance('rtree (always re-load)', (columns) => new RBushIndex({ columns, rebuildFraction: 0 }));

describe('rtree options', () => {
  it('rejects bad options and unknown kinds with a SCHEMA error', () => {
    expect(() => new RBushIndex({ maxEntries: 2 })).toThrow(/maxEntries must be an integer >= 4/);
    expect(() => new RBushIndex({ rebuildFraction: -1 })).toThrow(/rebuildFraction must be >= 0/);
    // @ts-expect-error: not a strategy
    expect(() => createSpatialIndex('quadtree')).toThrow(WorldlineError);
  });
});
