// Bot driver for Worldline: each bot is a real @worldline/sdk client whose WebSocket counts the
// payload bytes it moves. Areas follow the bot's avatar (found through an "owner = me"
// subscription); update latency is the SDK's 'tick' event time minus the tick's server time.
//
// Params (--param k=v): avatarTable (default 'player'), avatarOwner ('owner'), areaTables
// ('entity,player': one area per spatial table the bot should see), connectTimeoutMs (30000),
// areaReadyTimeoutMs (15000).

import { connect, me } from '@worldline/sdk';
import type { WebSocketCtor } from '@worldline/sdk';
import type { AreaSpec, BotConnectOptions, BotConnection, BotDriver, BotTraffic } from './bot-driver.ts';
import { CountingWebSocket, newTraffic } from './counting-websocket.ts';

/** The SDK client seen without a module type: the driver serves any module, so it calls by name. */
interface UntypedClient {
  readonly identity: string | null;
  readonly token: string | null;
  readonly ready: Promise<void>;
  readonly db: Readonly<Record<string, { readonly count: number; iter(): IterableIterator<Readonly<Record<string, unknown>>> }>>;
  call(reducer: string, args?: object): Promise<void>;
  subscribe(table: string, filter?: Readonly<Record<string, unknown>>): { readonly ready: Promise<void> };
  setArea(options: Readonly<Record<string, unknown>>): { readonly ready: Promise<void> };
  on(event: 'tick', listener: (info: { readonly tick: number; readonly time: number }) => void): unknown;
  on(event: 'disconnect', listener: (info: { readonly code: number; readonly reason: string }) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  close(): Promise<void>;
}

class WorldlineBot implements BotConnection {
  private closing = false;
  private avatarPk: unknown;
  private readonly errorListeners: Array<(message: string) => void> = [];

  constructor(
    private readonly client: UntypedClient,
    private readonly sockets: CountingWebSocket[],
    private readonly t: BotTraffic,
    private readonly params: BotConnectOptions['params'],
  ) {}

  get identity(): string {
    return this.client.identity ?? '';
  }
  get token(): string | undefined {
    return this.client.token ?? undefined;
  }

  call(reducer: string, args: unknown): Promise<void> {
    return this.client.call(reducer, (args ?? {}) as object);
  }

  private areaTables(): string[] {
    return String(this.params.areaTables ?? 'entity,player').split(',').map((s) => s.trim()).filter(Boolean);
  }

  /** The avatar row's primary key: subscribe to my rows of the avatar table and read the cache. */
  private async avatar(): Promise<unknown> {
    if (this.avatarPk !== undefined) return this.avatarPk;
    const table = String(this.params.avatarTable ?? 'player');
    const owner = String(this.params.avatarOwner ?? 'owner');
    await this.client.subscribe(table, { [owner]: me }).ready;
    for (const row of this.client.db[table]!.iter()) {
      if (row[owner] === this.client.identity) {
        const pk = row.id;
        this.avatarPk = { table, pk };
        return this.avatarPk;
      }
    }
    throw new Error(`no ${table} row with ${owner} = my identity: call the join reducer before setArea`);
  }

  async setArea(area: AreaSpec): Promise<void> {
    const follow = await this.avatar();
    const shape = 'radius' in area ? { radius: area.radius } : { rect: { halfWidth: area.width / 2, halfHeight: area.height / 2 } };
    const ready = Promise.all(this.areaTables().map((table) => this.client.setArea({ table, ...shape, follow }).ready));
    // The area is live once its rows flow; if the SDK never settles `ready`, say so and go on,
    // so one missing acknowledgement does not stall the whole run.
    const waitMs = Number(this.params.areaReadyTimeoutMs ?? 15_000);
    let timer: NodeJS.Timeout | undefined;
    const settled = await Promise.race([
      ready.then(() => true),
      new Promise<false>((r) => (timer = setTimeout(() => r(false), waitMs))),
    ]).finally(() => clearTimeout(timer));
    if (!settled) for (const l of this.errorListeners) l(`setArea: ready did not settle within ${waitMs} ms (continuing)`);
  }

  async subscribe(query: unknown): Promise<void> {
    const q = query as { table?: string; where?: Record<string, unknown> };
    if (typeof q?.table !== 'string') throw new Error('subscribe({ table, where? }) needs a table name');
    // 'me' in a scenario's filter means "my identity", the SDK's `me` marker.
    const where = q.where ? Object.fromEntries(Object.entries(q.where).map(([k, v]) => [k, v === 'me' ? me : v])) : undefined;
    await this.client.subscribe(q.table, where).ready;
  }

  traffic(): BotTraffic {
    return this.t;
  }

  visibleRows(): number {
    let n = 0;
    for (const t of this.areaTables()) n += this.client.db[t]?.count ?? 0;
    return n;
  }

  onApplied(listener: (serverTimeMs: number) => void): void {
    this.client.on('tick', (info) => listener(info.time));
  }

  onDropped(listener: (reason: string) => void): void {
    this.client.on('disconnect', (info) => {
      if (!this.closing) listener(`closed ${info.code}${info.reason ? ` ${info.reason}` : ''}`);
    });
  }

  onError(listener: (message: string) => void): void {
    this.errorListeners.push(listener);
    this.client.on('error', (err) => listener(err.message));
  }

  setReading(on: boolean): void {
    for (const s of this.sockets) s.pauseReading(on);
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.client.close();
  }
}

export default function createWorldlineDriver(): BotDriver {
  return {
    name: 'worldline',
    async connect(o) {
      const t = newTraffic();
      const sockets: CountingWebSocket[] = [];
      // A socket class bound to this bot, so every socket the client opens counts into its traffic.
      class BotSocket extends CountingWebSocket {
        constructor(url: string) {
          super(url, undefined, undefined, t);
          sockets.push(this);
        }
      }
      const client = connect({
        url: o.url,
        token: o.token ?? null,
        WebSocket: BotSocket as unknown as WebSocketCtor,
        // A dropped bot is counted as dropped, not silently reconnected.
        reconnect: false,
        logger: { warn: () => {} },
      }) as unknown as UntypedClient;
      const timeoutMs = Number(o.params.connectTimeoutMs ?? 30_000);
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          client.ready,
          new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no Welcome within ${timeoutMs} ms`)), timeoutMs))),
        ]);
      } catch (e) {
        void client.close();
        throw e;
      } finally {
        clearTimeout(timer);
      }
      return new WorldlineBot(client, sockets, t, o.params);
    },
  };
}
