// Public face of the spatial layer: the index interface, its two strategies, and a factory the
// table uses to build one from a table's `spatial` option.

import { WorldlineError } from '../../errors/index.ts';
import { GridIndex, type GridIndexOptions } from './grid-index.ts';
import { RBushIndex, type RTreeIndexOptions } from './rbush-index.ts';
import type { SpatialIndex, SpatialIndexKind } from './spatial-index.ts';

export { IdList } from './spatial-index.ts';
export type { BaseIndexOptions, PointColumns, SpatialIndex, SpatialIndexKind } from './spatial-index.ts';
export { GridIndex } from './grid-index.ts';
export type { GridIndexOptions } from './grid-index.ts';
export { RBushIndex } from './rbush-index.ts';
export type { RTreeIndexOptions } from './rbush-index.ts';

/**
 * The strategy for points that move every tick, picked by `npm run bench:spatial` (100,000 moving
 * points: the grid applies a tick of moves and answers radius queries faster than the R-tree).
 */
export const DEFAULT_MOVING_KIND: SpatialIndexKind = 'grid';

export function createSpatialIndex(kind: 'grid', opts?: GridIndexOptions): SpatialIndex;
export function createSpatialIndex(kind: 'rtree', opts?: RTreeIndexOptions): SpatialIndex;
export function createSpatialIndex(kind: SpatialIndexKind, opts?: GridIndexOptions & RTreeIndexOptions): SpatialIndex;
export function createSpatialIndex(kind: SpatialIndexKind, opts: GridIndexOptions & RTreeIndexOptions = {}): SpatialIndex {
  switch (kind) {
    case 'grid':
      return new GridIndex(opts);
    case 'rtree':
      return new RBushIndex(opts);
    default:
      throw new WorldlineError('SCHEMA', `unknown spatial index kind ${JSON.stringify(kind)}; use 'grid' or 'rtree'`);
  }
}
