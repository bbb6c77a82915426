// The behaviour every transport must share, as one vitest suite run once per adapter over real
// sockets on 127.0.0.1 (the hono router strategy: one interface, one conformance suite).

import { describe } from 'vitest';
import { createHarness } from './harness.ts';
import type { TransportFactory } from './harness.ts';
import { httpCases } from './http-cases.ts';
import { websocketCases } from './websocket-cases.ts';

export type { TransportFactory } from './harness.ts';

export function transportConformance(name: string, factory: TransportFactory): void {
  describe(`transport conformance: ${name}`, () => {
    const h = createHarness(factory);
    describe('WebSockets', () => websocketCases(h));
    describe('HTTP on the same port', () => httpCases(h));
  });
}
