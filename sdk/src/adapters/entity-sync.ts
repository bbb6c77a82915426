// The engine-neutral core of the Phaser and Three.js adapters: one display object per row of a
// table, created on insert, destroyed on delete, and placed each frame (interpolated when an
// Interpolator is given, else at the row's latest position).
import type { Off } from '../emitter.ts';
import type { TableCache } from '../table-cache.ts';
import type { Interpolator } from '../interpolation.ts';

export interface EntitySyncHooks<R, K, O> {
  /** Makes the display object of a row that entered the client's view. */
  create(row: R): O;
  /** Moves an object to a world position. */
  place(obj: O, x: number, y: number, row: R): void;
  /** Removes an object whose row left. */
  destroy(obj: O, row: R): void;
  /** A row changed (any column): refresh what is not position (health bar, tint…). */
  changed?(obj: O, row: R, changed: readonly (keyof R & string)[]): void;
  /** Smooth positions; without it objects jump to each tick's position. */
  interpolator?: Interpolator<R, K>;
  /** Position columns when not interpolating (default 'x' and 'y'). */
  x?: keyof R & string;
  y?: keyof R & string;
}

export class EntitySync<R, K, O> {
  /** The display object of each row held, by primary key. */
  readonly objects = new Map<K, O>();
  /** The last row seen for each object (what destroy() is given on dispose). */
  private readonly rows = new Map<K, R>();
  private readonly offs: Off[];

  constructor(readonly table: TableCache<R, K>, private readonly hooks: EntitySyncHooks<R, K, O>) {
    const add = (row: R): void => {
      const obj = hooks.create(row);
      const pk = table.pkOf(row);
      this.objects.set(pk, obj);
      this.rows.set(pk, row);
      this.placeFromRow(obj, row);
    };
    this.offs = [
      table.onInsert(add),
      table.onUpdate((_old, row, changed) => {
        const pk = table.pkOf(row);
        const obj = this.objects.get(pk);
        if (obj === undefined) return;
        this.rows.set(pk, row);
        if (!hooks.interpolator) this.placeFromRow(obj, row);
        hooks.changed?.(obj, row, changed);
      }),
      table.onDelete((row) => {
        const pk = table.pkOf(row);
        const obj = this.objects.get(pk);
        if (obj === undefined) return;
        this.objects.delete(pk);
        this.rows.delete(pk);
        hooks.destroy(obj, row);
      }),
    ];
    for (const row of table.iter()) add(row);
  }

  /** Call once per rendered frame: places every object at its interpolated position. */
  update(): void {
    const ip = this.hooks.interpolator;
    if (!ip) return;
    ip.forEach((pk, x, y) => {
      const obj = this.objects.get(pk);
      if (obj !== undefined) this.hooks.place(obj, x, y, this.rows.get(pk)!);
    });
  }

  /** Stops syncing and destroys every object. */
  dispose(): void {
    for (const off of this.offs) off();
    for (const [pk, obj] of this.objects) this.hooks.destroy(obj, this.rows.get(pk)!);
    this.objects.clear();
    this.rows.clear();
  }

  private placeFromRow(obj: O, row: R): void {
    const r = row as Record<string, unknown>;
    this.hooks.place(obj, Number(r[this.hooks.x ?? 'x']), Number(r[this.hooks.y ?? 'y']), row);
  }
}
