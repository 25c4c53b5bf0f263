import { createLocalJWKSet, createRemoteJWKSet, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT } from 'jose';
import type { JSONWebKeySet, JWK, JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { CommonErrors } from '../errors';
import { roleSchema, type Identity } from './identity';

/** Customer access tokens are EdDSA (Ed25519) JWTs; no other algorithm is ever accepted. */
export const ACCESS_TOKEN_ALGORITHM = 'EdDSA';
const ACCESS_TOKEN_TTL = '15m';

/** Issuer and audience every access token must name. */
export interface TokenAudience {
  readonly issuer: string;
  readonly audience: string;
}

const claimsSchema = z.object({ sub: z.string().min(1), roles: z.array(roleSchema).default([]) });

/**
 * Where the gateway finds the public keys: a JWKS URL (fetched, cached, refetched on an unknown
 * `kid`, so key rotation needs no restart) or an inline JWKS.
 */
export function accessTokenKeys(source: { jwksUrl?: string; jwks?: JSONWebKeySet }): JWTVerifyGetKey {
  if (source.jwksUrl) return createRemoteJWKSet(new URL(source.jwksUrl), { cacheMaxAge: 10 * 60_000, cooldownDuration: 30_000 });
  if (source.jwks) return createLocalJWKSet(source.jwks);
  throw new Error('access token keys: give a JWKS URL or an inline JWKS');
}

/** Verifies a bearer token (signature, algorithm, `kid`, `iss`, `aud`, `exp`) and returns the caller. */
export async function verifyAccessToken(token: string, keys: JWTVerifyGetKey, expected: TokenAudience): Promise<Identity> {
  try {
    const { payload, protectedHeader } = await jwtVerify(token, keys, {
      algorithms: [ACCESS_TOKEN_ALGORITHM],
      issuer: expected.issuer,
      audience: expected.audience,
      requiredClaims: ['exp', 'sub'],
    });
    if (!protectedHeader.kid) throw new Error('kid missing');
    const claims = claimsSchema.parse(payload);
    return { userId: claims.sub, roles: claims.roles };
  } catch {
    throw CommonErrors.create('UNAUTHENTICATED', { message: 'The access token is invalid or expired.' });
  }
}

/** A private signing key with its id, as stored in a JWK file. */
export interface SigningKey {
  readonly kid: string;
  readonly privateJwk: JWK;
}

/** Creates a new Ed25519 signing key (embedded mode, tests). */
export async function generateSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, { crv: 'Ed25519', extractable: true });
  return { kid, privateJwk: { ...(await exportJWK(privateKey)), kid, alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' } };
}

/** The public half of signing keys, as a JWKS to publish. */
export function publicJwks(keys: readonly SigningKey[]): JSONWebKeySet {
  return { keys: keys.map(({ privateJwk: { d: _private, ...publicJwk } }) => publicJwk) };
}

/** Issues an access token for `identity` (the accounts service, the test helper and the CLI). */
export async function mintAccessToken(
  key: SigningKey,
  identity: { userId: string; roles: readonly string[] },
  audience: TokenAudience,
  expiresIn: string = ACCESS_TOKEN_TTL,
): Promise<string> {
  const privateKey = await importJWK(key.privateJwk, ACCESS_TOKEN_ALGORITHM);
  return new SignJWT({ roles: [...identity.roles] })
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, kid: key.kid, typ: 'JWT' })
    .setSubject(identity.userId)
    .setIssuer(audience.issuer)
    .setAudience(audience.audience)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(privateKey);
}
