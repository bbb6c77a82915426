// Loads uWebSockets.js's native binary for this platform and Node ABI. We require the binary
// directly: the package's own entry silently swaps in a slow JavaScript imitation when the binary
// does not fit, and we would rather fall back to `ws` and say so.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type UwsModule = typeof import('@trufflesuite/uws-js-unofficial');

const require = createRequire(import.meta.url);

export function loadNativeUws(): UwsModule {
  const entry = require.resolve('@trufflesuite/uws-js-unofficial');
  const binary = join(dirname(entry), '..', 'binaries', `uws_${process.platform}_${process.arch}_${process.versions.modules}.node`);
  return require(binary) as UwsModule;
}
