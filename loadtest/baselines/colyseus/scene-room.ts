// The moving-entities scene on Colyseus 0.18: N entities wander at 20 Hz; each client's StateView
// holds the entities inside a square around its avatar (sized so it sees `visible` entities on
// average), refreshed from a uniform grid every `viewRefreshTicks` ticks. This is how one
// writes area of interest with Colyseus's StateView; the grid is the cheapest honest way.

import { performance } from 'node:perf_hooks';
import { Room, type Client } from '@colyseus/core';
import { StateView } from '@colyseus/schema';
import { Entity, SceneState } from './scene-state.ts';
import type { TickTimings } from './tick-timings.ts';

export interface SceneOptions {
  entities: number;
  mapSize: number;
  /** Entities a client should see on average (sets the view square). */
  visible: number;
  viewRefreshTicks: number;
  /** Units per second. */
  speed: number;
  timings: TickTimings;
}

interface Avatar {
  x: number;
  y: number;
  half: number;
  seen: Set<Entity>;
}

export class SceneRoom extends Room<{ state: SceneState }> {
  override maxClients = 100_000;
  override autoDispose = false;
  private o!: SceneOptions;
  private ents: Entity[] = [];
  private vx!: Float32Array;
  private vy!: Float32Array;
  private avatars = new Map<Client, Avatar>();
  private cell = 0;
  private cols = 0;
  private grid: Entity[][] = [];
  private half = 0;
  private rng = 1;
  private lastTickMs = 0;

  private random(): number {
    // xorshift32: deterministic scene for repeatable runs.
    this.rng ^= this.rng << 13;
    this.rng ^= this.rng >>> 17;
    this.rng ^= this.rng << 5;
    return (this.rng >>> 0) / 4294967296;
  }

  override onCreate(o: SceneOptions): void {
    this.o = o;
    this.state = new SceneState();
    const density = o.entities / (o.mapSize * o.mapSize);
    this.half = Math.sqrt(o.visible / density) / 2;
    this.cell = Math.max(1, this.half * 2);
    this.cols = Math.ceil(o.mapSize / this.cell);
    this.vx = new Float32Array(o.entities);
    this.vy = new Float32Array(o.entities);
    for (let i = 0; i < o.entities; i++) {
      const e = new Entity();
      e.x = this.random() * o.mapSize;
      e.y = this.random() * o.mapSize;
      const a = this.random() * Math.PI * 2;
      this.vx[i] = Math.cos(a) * o.speed;
      this.vy[i] = Math.sin(a) * o.speed;
      this.ents.push(e);
      this.state.entities.set(String(i), e);
    }
    this.rebuildGrid();
    this.setSimulationInterval((dt) => this.tick(dt), 50);
    this.patchRate = 50;
    this.onMessage('move', (client, m: { dx: number; dy: number }) => {
      const av = this.avatars.get(client);
      if (!av) return { ok: false };
      av.x = Math.min(o.mapSize, Math.max(0, av.x + m.dx));
      av.y = Math.min(o.mapSize, Math.max(0, av.y + m.dy));
      return { ok: true };
    });
    // The avatar already exists from onJoin; 'join' is here so one scenario drives both servers.
    this.onMessage('join', () => ({ ok: true }));
    this.onMessage('area', (client, m: { radius?: number; width?: number }) => {
      const av = this.avatars.get(client);
      if (av) av.half = m.radius ?? (m.width ?? this.half * 2) / 2;
      return { ok: true };
    });
  }

  override onJoin(client: Client, options: { x?: number; y?: number }): void {
    const av: Avatar = {
      x: options.x ?? this.random() * this.o.mapSize,
      y: options.y ?? this.random() * this.o.mapSize,
      half: this.half,
      seen: new Set(),
    };
    this.avatars.set(client, av);
    client.view = new StateView();
    this.refreshView(client, av);
  }

  override onLeave(client: Client): void {
    this.avatars.delete(client);
  }

  override broadcastPatch(): boolean {
    const t0 = performance.now();
    const r = super.broadcastPatch();
    const patch = performance.now() - t0;
    this.o.timings.record('patch', patch);
    // The room's whole tick: simulation + view refresh (when it ran) + patch encode and send.
    this.o.timings.record('total', this.lastTickMs + patch);
    this.lastTickMs = 0;
    return r;
  }

  private tick(dtMs: number): void {
    const t0 = performance.now();
    const dt = dtMs / 1000;
    const max = this.o.mapSize;
    for (let i = 0; i < this.ents.length; i++) {
      const e = this.ents[i]!;
      let x = e.x + this.vx[i]! * dt;
      let y = e.y + this.vy[i]! * dt;
      if (x < 0 || x > max) { this.vx[i] = -this.vx[i]!; x = Math.min(max, Math.max(0, x)); }
      if (y < 0 || y > max) { this.vy[i] = -this.vy[i]!; y = Math.min(max, Math.max(0, y)); }
      e.x = x;
      e.y = y;
    }
    const t1 = performance.now();
    this.o.timings.record('simulate', t1 - t0);
    this.o.timings.tick++;
    if (this.o.timings.tick % this.o.viewRefreshTicks === 0) {
      this.rebuildGrid();
      for (const [client, av] of this.avatars) this.refreshView(client, av);
      this.o.timings.record('aoi', performance.now() - t1);
    }
    this.lastTickMs += performance.now() - t0;
  }

  private rebuildGrid(): void {
    const n = this.cols * this.cols;
    if (this.grid.length !== n) this.grid = Array.from({ length: n }, () => []);
    for (const c of this.grid) c.length = 0;
    const last = this.cols - 1;
    for (const e of this.ents) {
      const cx = Math.min(last, Math.floor(e.x / this.cell));
      const cy = Math.min(last, Math.floor(e.y / this.cell));
      this.grid[cy * this.cols + cx]!.push(e);
    }
  }

  private refreshView(client: Client, av: Avatar): void {
    const view = client.view!;
    const x0 = av.x - av.half, x1 = av.x + av.half, y0 = av.y - av.half, y1 = av.y + av.half;
    const last = this.cols - 1;
    const cx0 = Math.max(0, Math.floor(x0 / this.cell)), cx1 = Math.min(last, Math.floor(x1 / this.cell));
    const cy0 = Math.max(0, Math.floor(y0 / this.cell)), cy1 = Math.min(last, Math.floor(y1 / this.cell));
    const now = new Set<Entity>();
    for (let cy = cy0; cy <= cy1; cy++) {
      for (let cx = cx0; cx <= cx1; cx++) {
        for (const e of this.grid[cy * this.cols + cx]!) {
          if (e.x >= x0 && e.x <= x1 && e.y >= y0 && e.y <= y1) now.add(e);
        }
      }
    }
    for (const e of av.seen) if (!now.has(e)) view.remove(e);
    for (const e of now) if (!av.seen.has(e)) view.add(e);
    av.seen = now;
  }
}
