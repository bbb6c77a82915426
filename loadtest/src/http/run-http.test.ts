import { describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defineHttpScenario } from '../scenario/scenario.ts';
import { runHttp } from './run-http.ts';

describe('runHttp', () => {
  it('fires the scenario requests with autocannon and samples /metrics while it runs', async () => {
    const seen = { health: 0, call: 0, metrics: 0, refused: 0, bodies: new Set<string>() };
    const server = createServer((req, res) => {
      if (req.url === '/metrics') {
        seen.metrics++;
        res.end(`# TYPE test_tick_ms summary\ntest_tick_ms{phase="total",quantile="0.5"} 2\ntest_tick_ms{phase="total",quantile="0.99"} 4\n`);
      } else if (req.url === '/health') {
        seen.health++;
        // Answered after 3 ms: autocannon counts latency in whole milliseconds, so a loopback server
        // answering everything at once could give p99 = 0.
        setTimeout(() => res.end('ok'), 3);
      } else if (req.method === 'POST' && req.url === '/v1/call/transfer') {
        let body = '';
        req.on('data', (c: Buffer) => (body += c));
        req.on('end', () => {
          seen.call++;
          seen.bodies.add(`${req.headers.authorization} ${body}`);
          const bad = body.includes('"amount":0');
          if (bad) seen.refused++;
          res.writeHead(bad ? 400 : 200).end('{}');
        });
      } else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const scenario = defineHttpScenario({
        name: 'http-test',
        description: '',
        requests: (p) => [
          { method: 'GET', path: '/health' },
          { method: 'POST', path: '/v1/call/transfer', headers: { authorization: `Bearer ${p.token}` }, body: '{"amount":1}' },
          { method: 'POST', path: '/v1/call/transfer', body: '{"amount":0}' },
        ],
      });
      const r = await runHttp({
        scenario, target: 'worldline', label: 'http', url: `ws://127.0.0.1:${port}`, connections: 4,
        durationS: 2, params: { token: 'T' }, intervalS: 0.5, cwd: process.cwd(),
      });
      expect(seen.health).toBeGreaterThan(0);
      expect(seen.call).toBeGreaterThan(0);
      expect(seen.bodies.has('Bearer T {"amount":1}')).toBe(true);
      expect(r.summary.calls).toBeGreaterThan(10);
      expect(r.summary.callsPerSec).toBeGreaterThan(5);
      // One request in three answers 400: counted as errors, not as successes — every refusal the
      // server sent, except those still in flight on the 4 connections when the run stopped.
      expect(r.summary.callErrors).toBeGreaterThan(0);
      expect(r.summary.callErrors).toBeLessThanOrEqual(seen.refused);
      expect(r.summary.callErrors).toBeGreaterThanOrEqual(seen.refused - 4);
      expect(r.summary.callErrors).toBeLessThan(r.summary.calls / 2);
      expect(r.summary.rttMs.p99).toBeGreaterThan(0);
      expect(r.summary.tickPhases.total).toMatchObject({ p50: 2, p99: 4 });
      expect(seen.metrics).toBeGreaterThanOrEqual(2);
      expect(r.series.callsPerSec.some((v) => v > 0)).toBe(true);
    } finally {
      server.close();
    }
  });
});
