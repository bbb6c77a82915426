// Runs the type-level tests (engine/type-tests): wrong column names and argument types must not
// compile. tsc fails on an unused @ts-expect-error, so a regression in inference fails this test.
import { it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

it('schema types: wrong names and argument types do not compile', () => {
  const project = fileURLToPath(new URL('../../type-tests/tsconfig.json', import.meta.url));
  const tsc = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));
  const r = spawnSync(process.execPath, [tsc, '-p', project, '--noEmit'], { encoding: 'utf8' });
  expect(r.stdout + r.stderr).toBe('');
  expect(r.status).toBe(0);
}, 120_000);
