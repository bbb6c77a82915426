// One call for the server: resolve the secret (configured or stored in the data dir) and build the
// token authority that issues and verifies tokens with it.

import { loadOrCreateSecret } from './secret-file.ts';
import type { SecretSource } from './secret-file.ts';
import { TokenAuthority } from './token.ts';

export interface IdentityConfig extends SecretSource {
  now?: () => number;
  maxAgeMs?: number;
}

export function createTokenAuthority(config: IdentityConfig): TokenAuthority {
  return new TokenAuthority({ secret: loadOrCreateSecret(config), now: config.now, maxAgeMs: config.maxAgeMs });
}
