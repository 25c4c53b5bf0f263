import type { JSONWebKeySet } from 'jose';
import { generateSigningKey, mintAccessToken, publicJwks, type SigningKey, type TokenAudience } from '../identity/access-token';
import type { Role } from '../identity/identity';

/** Access tokens for tests, signed like the accounts service will sign them (EdDSA, kid, iss, aud). */
export interface TestAuth {
  /** The public keys to give the gateway (`JWT_JWKS`). */
  readonly jwks: JSONWebKeySet;
  readonly audience: TokenAudience;
  /** The private key behind `jwks`: give it to accounts (`JWT_SIGNING_KEYS`) so its tokens and these verify alike. */
  readonly signingKey: SigningKey;
  /** A bearer token for `userId` with `roles`. */
  token(userId: string, roles: readonly Role[], expiresIn?: string): Promise<string>;
}

/** A fresh signing key per test file. */
export async function createTestAuth(audience: TokenAudience = { issuer: 'shop-accounts', audience: 'shop' }): Promise<TestAuth> {
  const key: SigningKey = await generateSigningKey(`test-${Date.now()}`);
  return {
    jwks: publicJwks([key]),
    audience,
    signingKey: key,
    token: (userId, roles, expiresIn) => mintAccessToken(key, { userId, roles }, audience, expiresIn),
  };
}
