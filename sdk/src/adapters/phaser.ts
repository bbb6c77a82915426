// Phaser adapter: keeps one game object per row of a table, positioned every frame from the
// scene's update event. Phaser is a parameter (the scene you pass), never an import of the SDK.
import { EntitySync, type EntitySyncHooks } from './entity-sync.ts';
import type { TableCache } from '../table-cache.ts';

/** What the adapter uses of a Phaser game object (Sprite, Image, Container… all fit). */
export interface PhaserObjectLike {
  setPosition(x: number, y: number): unknown;
  destroy(): void;
}

/** What it uses of a Phaser.Scene: its event emitter. */
export interface PhaserSceneLike {
  readonly events: {
    on(event: string, fn: () => void): unknown;
    off(event: string, fn: () => void): unknown;
  };
}

export interface PhaserSyncOptions<R, K, O extends PhaserObjectLike> extends Omit<EntitySyncHooks<R, K, O>, 'place' | 'destroy'> {
  /** Default: obj.setPosition(x, y). */
  place?(obj: O, x: number, y: number, row: R): void;
  /** Default: obj.destroy(). */
  destroy?(obj: O, row: R): void;
}

/** `syncSprites(this, client.db.player, { create: (p) => this.add.sprite(p.x, p.y, 'hero'), interpolator })`.
 * Objects follow their rows until the scene shuts down or you call dispose(). */
export function syncSprites<R, K, O extends PhaserObjectLike>(
  scene: PhaserSceneLike, table: TableCache<R, K>, options: PhaserSyncOptions<R, K, O>,
): EntitySync<R, K, O> {
  const sync = new EntitySync<R, K, O>(table, {
    ...options,
    place: options.place ?? ((obj, x, y) => { obj.setPosition(x, y); }),
    destroy: options.destroy ?? ((obj) => obj.destroy()),
  });
  const onUpdate = (): void => sync.update();
  const onShutdown = (): void => {
    scene.events.off('update', onUpdate);
    scene.events.off('shutdown', onShutdown);
    sync.dispose();
  };
  scene.events.on('update', onUpdate);
  scene.events.on('shutdown', onShutdown);
  return sync;
}
