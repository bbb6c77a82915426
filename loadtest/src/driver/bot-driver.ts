// The seam between the harness and whatever client library a bot speaks through. Scenarios talk
// to a Bot (see scenario/), the harness talks to a BotDriver; the Worldline SDK and the Colyseus
// baseline each provide one, and a studio can plug in its own (a driver module's default export).

export interface BotConnectOptions {
  /** ws:// or wss:// address of the server. */
  url: string;
  /** Index of this bot within the whole run, 0..bots-1 (stable across reconnects). */
  index: number;
  /** Token from this bot's previous connection, to come back as the same identity. */
  token?: string;
  /** Scenario and command-line parameters (`--param k=v`), for drivers that need them. */
  params: Readonly<Record<string, string | number | boolean>>;
}

export interface BotTraffic {
  /** Cumulative WebSocket payload bytes received / sent since connect. */
  bytesIn: number;
  bytesOut: number;
  framesIn: number;
  framesOut: number;
}

/** An area of interest: a radius or a rectangle, centred on the client's avatar (the server follows it). */
export type AreaSpec = { radius: number } | { width: number; height: number };

export interface BotConnection {
  readonly identity: string;
  /** Token to reconnect as the same identity, when the server issues one. */
  readonly token?: string;
  /** Calls a reducer; resolves when the server's result arrives, rejects with its error. */
  call(reducer: string, args: unknown): Promise<void>;
  /** Sets the client's area of interest. */
  setArea?(area: AreaSpec): Promise<void> | void;
  /** Adds a query subscription (the shape is the driver's: e.g. { table, where }). */
  subscribe?(query: unknown): Promise<void> | void;
  traffic(): BotTraffic;
  /** Rows currently in the client's cache/view (the area size the bot sees). */
  visibleRows?(): number;
  /** Called each time the client applies a server update; serverTimeMs is when the server
   *  committed it (ms since epoch, NaN if the protocol does not say). */
  onApplied(listener: (serverTimeMs: number) => void): void;
  /** Called once if the connection drops without close() being called. */
  onDropped(listener: (reason: string) => void): void;
  /** Errors the client library reports without failing a call (bad frames, listener faults). */
  onError?(listener: (message: string) => void): void;
  /** Pauses / resumes reading the socket (simulates a slow reader). */
  setReading?(on: boolean): void;
  close(): Promise<void>;
}

export interface BotDriver {
  readonly name: string;
  connect(opts: BotConnectOptions): Promise<BotConnection>;
}

/** A driver module's default export. */
export type DriverFactory = () => BotDriver | Promise<BotDriver>;
