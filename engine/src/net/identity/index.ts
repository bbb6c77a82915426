// Public face of identity: identities, signed tokens, the token secret and where tokens travel.

export { newIdentity, isIdentity } from './identity.ts';
export { TokenAuthority, TOKEN_VERSION, MIN_SECRET_BYTES } from './token.ts';
export type { TokenAuthorityOptions, TokenClaims, TokenCheck, TokenErrorCode } from './token.ts';
export { loadOrCreateSecret, SECRET_FILE_NAME } from './secret-file.ts';
export { createTokenAuthority } from './create-authority.ts';
export type { IdentityConfig } from './create-authority.ts';
export type { SecretSource } from './secret-file.ts';
export { tokenFromRequest } from './token-from-request.ts';
export type { TokenCarrier } from './token-from-request.ts';
