// Three.js adapter: keeps one Object3D per row of a table inside a scene (or group). Rows' x/y map
// to the ground plane (x, z) by default. Three is a parameter, never an import of the SDK; call
// update() from your render loop.
import { EntitySync, type EntitySyncHooks } from './entity-sync.ts';
import type { TableCache } from '../table-cache.ts';

/** What the adapter uses of a THREE.Object3D. */
export interface Object3DLike {
  readonly position: { set(x: number, y: number, z: number): unknown };
}

/** What it uses of a THREE.Scene / Group. */
export interface Object3DParentLike<O> {
  add(obj: O): unknown;
  remove(obj: O): unknown;
}

export interface ThreeSyncOptions<R, K, O extends Object3DLike> extends Omit<EntitySyncHooks<R, K, O>, 'place' | 'destroy'> {
  /** 'xz' (default): row x → x, row y → z, the height from `height`; 'xy': row x/y → x/y, z from `height`. */
  plane?: 'xz' | 'xy';
  /** Height above the plane (default 0). */
  height?(row: R): number;
  /** Runs after the object is removed from its parent: dispose geometries/materials here if they
   * are not shared. */
  destroy?(obj: O, row: R): void;
}

/** `const sync = syncObjects(scene, client.db.player, { create: () => new THREE.Mesh(geo, mat), interpolator });`
 * then `sync.update()` each frame before `renderer.render(scene, camera)`. */
export function syncObjects<R, K, O extends Object3DLike>(
  parent: Object3DParentLike<O>, table: TableCache<R, K>, options: ThreeSyncOptions<R, K, O>,
): EntitySync<R, K, O> {
  const xz = (options.plane ?? 'xz') === 'xz';
  const h = options.height ?? (() => 0);
  return new EntitySync<R, K, O>(table, {
    ...options,
    create: (row) => {
      const obj = options.create(row);
      parent.add(obj);
      return obj;
    },
    place: (obj, x, y, row) => {
      if (xz) obj.position.set(x, h(row), y);
      else obj.position.set(x, y, h(row));
    },
    destroy: (obj, row) => {
      parent.remove(obj);
      options.destroy?.(obj, row);
    },
  });
}
