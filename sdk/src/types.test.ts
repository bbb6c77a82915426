// Runs the SDK's type-level tests (sdk/type-tests): wrong reducer names, argument types, table
// names and filters must not compile on the client. tsc fails on an unused @ts-expect-error.
import { it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

it('client types: wrong reducers, arguments, tables and filters do not compile', () => {
  const project = fileURLToPath(new URL('../type-tests/tsconfig.json', import.meta.url));
  const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
  const r = spawnSync(process.execPath, [tsc, '-p', project, '--noEmit'], { encoding: 'utf8' });
  expect(r.stdout + r.stderr).toBe('');
  expect(r.status).toBe(0);
}, 120_000);
