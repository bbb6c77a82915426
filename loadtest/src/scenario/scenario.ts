// What a scenario file exports. Copy one from loadtest/scenarios/ to load-test your own module:
// a bot scenario says how each bot connects, sets itself up and what it does every `stepMs`; an
// HTTP scenario lists the requests autocannon fires.

import type { AreaSpec } from '../driver/bot-driver.ts';

export type ParamValue = string | number | boolean;
export type Params = Readonly<Record<string, ParamValue>>;

/** How the harness starts a server when no --url is given. `{port}` and `{param}` placeholders are
 *  substituted in command and env (params come from the scenario's defaults and --param k=v). */
export interface ServerSpec {
  command: readonly string[];
  env?: Readonly<Record<string, string>>;
  /** Path polled until it answers 2xx before bots start. Default '/health'. */
  healthPath?: string;
  /** Default 60 s: a world of 100,000 entities takes a while to populate. */
  readyTimeoutMs?: number;
  /** WebSocket path bots connect to. Default '/'. */
  wsPath?: string;
}

/** What a scenario's code sees of one bot. */
export interface Bot {
  /** 0..bots-1 across the whole run. */
  readonly index: number;
  readonly bots: number;
  readonly params: Params;
  /** Deterministic per-bot random numbers in [0, 1). */
  random(): number;
  /** ms since this bot's worker started the run. */
  elapsedMs(): number;
  readonly identity: string;
  /** False once the run is stopping or this bot's connection dropped: loops in a scenario end on it. */
  readonly active: boolean;
  /** Calls sent and not yet answered. */
  readonly inFlight: number;
  /** Calls a reducer and records its round trip. Resolves true on success, false on an error
   *  (counted and reported); never rejects, so scenarios need no try/catch. */
  call(reducer: string, args: unknown): Promise<boolean>;
  /** Fire-and-forget variant: skipped (and counted as skipped) when this bot already has
   *  `maxInFlight` calls unanswered, so a slow server shows up as skips, not unbounded queues. */
  send(reducer: string, args: unknown): void;
  setArea(area: AreaSpec): Promise<void>;
  subscribe(query: unknown): Promise<void>;
  setReading(on: boolean): void;
  /** Closes and reconnects with the same token; records the connect time. Resolves false on failure. */
  reconnect(): Promise<boolean>;
}

export interface BotScenario<State = unknown> {
  kind?: 'bots';
  name: string;
  description: string;
  /** Targets this scenario can run against: driver + server pairs (see targets in the harness).
   *  Default ['worldline']. */
  targets?: readonly string[];
  /** Server to start per target when no --url is given. */
  servers?: Readonly<Record<string, ServerSpec>>;
  /** Defaults for params; --param k=v overrides. */
  params?: Params;
  /** Bots connected per second over the whole run (split across workers). Default 500. */
  connectRate?: number;
  /** Bot processes when --workers is not given (default: one per 1,000 bots, at most the cores). */
  workers?: number;
  /** Cadence of step() per bot, ms. */
  stepMs: number;
  /** Unanswered calls per bot before send() skips. Default 8. */
  maxInFlight?: number;
  /** Server tick rate, used to turn bytes/s into bytes/tick. Default 20. */
  tickRate?: number;
  /** Runs once per bot after it connected; what it returns is passed to every step. */
  setup?(bot: Bot): Promise<State> | State;
  step(bot: Bot, state: State): void | Promise<void>;
}

export interface HttpRequestSpec {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface HttpScenario {
  kind: 'http';
  name: string;
  description: string;
  targets?: readonly string[];
  servers?: Readonly<Record<string, ServerSpec>>;
  params?: Params;
  /** Requests autocannon cycles through on every connection. `httpUrl` is the server's base URL,
   *  for setup requests (e.g. minting a token) before the load starts. */
  requests(params: Params, ctx: { httpUrl: string }): HttpRequestSpec[] | Promise<HttpRequestSpec[]>;
  /** Requests pipelined per connection. Default 1. */
  pipelining?: number;
}

// Method parameters are bivariant, so any BotScenario<S> is a BotScenario<unknown>.
export type Scenario = BotScenario<unknown> | HttpScenario;

/** Identity function that gives a scenario file its types (State is inferred from setup). */
export function defineScenario<State>(s: BotScenario<State>): BotScenario<State> {
  return s;
}

export function defineHttpScenario(s: Omit<HttpScenario, 'kind'>): HttpScenario {
  return { ...s, kind: 'http' };
}
