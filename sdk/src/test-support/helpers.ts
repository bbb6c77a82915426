// Test helpers: promises for client events, and a client connected to a fake server.
import WebSocket from 'ws';
import { connect, type Client, type ConnectOptions, type ClientEvents } from '../index.ts';
import type { FakeServer } from './fake-server.ts';
import type arena from './arena.ts';

export type Arena = typeof arena;

export function once<M, K extends keyof ClientEvents>(client: Client<M>, event: K): Promise<Parameters<ClientEvents[K]>[0]> {
  return new Promise((resolve) => {
    const off = client.on(event, ((arg: Parameters<ClientEvents[K]>[0]) => {
      off();
      resolve(arg);
    }) as ClientEvents[K]);
  });
}

/** A client of the arena module, not yet connected (await client.ready). */
export function arenaClient(server: FakeServer, extra: Partial<ConnectOptions> = {}): Client<Arena> {
  return connect<Arena>({ url: server.url, WebSocket, reconnect: { minMs: 5, maxMs: 20 }, ...extra });
}

/** Runs a server tick and resolves once the client has applied it. */
export async function tickAndWait<M>(server: FakeServer, client: Client<M>): Promise<void> {
  const p = once(client, 'tick');
  server.runTick();
  await p;
}
