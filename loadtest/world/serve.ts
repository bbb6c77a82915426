// Serves the load-test world over Worldline's real server (uWS transport, /health, /metrics,
// POST /v1/call). Started by the harness for the worldline target, or by hand:
//   node --import tsx loadtest/world/serve.ts --port 3000 --entities 100000 [--cells 32]

import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from '@worldline/engine/server/index.ts';
import { silentLogger, consoleLogger } from '@worldline/engine';
import { loadtestWorld } from './module.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '3000' },
    entities: { type: 'string', default: '100000' },
    'map-size': { type: 'string', default: '2000' },
    accounts: { type: 'string', default: '10000' },
    transport: { type: 'string', default: 'uws' },
    cells: { type: 'string', default: '0' }, // > 0: the entity table's areas work by cells of this size
    quiet: { type: 'boolean', default: false },
  },
});

// Identity tokens need a secret and a data dir; a load test keeps neither.
const dataDir = mkdtempSync(join(tmpdir(), 'worldline-loadtest-'));
const server = createServer(
  loadtestWorld({ entities: Number(values.entities), mapSize: Number(values['map-size']), accounts: Number(values.accounts) }),
  {
    transport: values.transport === 'ws' ? 'ws' : 'uws',
    dataDir,
    tokenSecret: randomBytes(32).toString('hex'),
    // Bots pipeline calls; the default per-connection rate limit is for players, not load generators.
    callsPerSecond: 1_000_000,
    callBurst: 1_000_000,
    ...(Number(values.cells) > 0
      ? { cellInterest: { entity: { cellSize: Number(values.cells), bounds: { minX: 0, minY: 0, maxX: Number(values['map-size']), maxY: Number(values['map-size']) } } } }
      : {}),
    logger: values.quiet ? silentLogger : consoleLogger,
  },
);
const port = await server.listen(Number(values.port), '127.0.0.1');
process.stdout.write(`worldline load-test world on ws://127.0.0.1:${port}/ws (${values.entities} entities)\n`);

const stop = async (): Promise<void> => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
