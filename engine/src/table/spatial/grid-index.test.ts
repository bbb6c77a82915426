// Runs the shared conformance suite against the uniform grid: default cells, tiny cells (many cell
// changes, frequent table rebuilds, wide queries that walk the table) and one cell for everything.

import { describe, expect, it } from 'vitest';
import { WorldlineError } from '../../errors/index.ts';
import { GridIndex } from './grid-index.ts';
import { createSpatialIndex } from './index.ts';
import { spatialConformance } from './spatial-conformance.ts';

spatialConformance('grid', (columns) => createSpatialIndex('grid', { columns }));
spatialConformance('grid (cell 0.5)', (columns) => new GridIndex({ columns, cellSize: 0.5, initialCapacity: 1 }));
spatialConformance('grid (cell 1e9)', (columns) => new GridIndex({ columns, cellSize: 1e9 }));

describe('grid options', () => {
  it('rejects a bad cell size with a SCHEMA error that says what to do', () => {
    for (const cellSize of [0, -1, Number.NaN, Infinity]) {
      expect(() => new GridIndex({ cellSize })).toThrow(WorldlineError);
      expect(() => new GridIndex({ cellSize })).toThrow(/cellSize must be a positive finite number/);
    }
  });

  it('keeps memory proportional to occupied cells as points wander far', () => {
    const x = new Float32Array(1000), y = new Float32Array(1000);
    const grid = new GridIndex({ columns: { x, y }, cellSize: 1 });
    for (let i = 0; i < 1000; i++) { y[i] = i * 3; grid.insert(i); }
    const before = grid.memoryBytes();
    // Every point walks through 200 fresh cells; emptied cells must be dropped on rebuild.
    for (let step = 1; step <= 200; step++) {
      for (let i = 0; i < 1000; i++) { x[i] = step * 3; y[i] = i * 3; grid.move(i); }
    }
    expect(grid.memoryBytes()).toBeLessThanOrEqual(before * 2);
    expect(grid.size).toBe(1000);
  });
});
