import type http from 'node:http';
import { accessTokenKeys, ANONYMOUS, CommonErrors, verifyAccessToken, type Identity, type TokenAudience } from '@shop/platform';
import type { JSONWebKeySet, JWTVerifyGetKey } from 'jose';

/** Finds who is calling from `Authorization: Bearer <jwt>`; no header means anonymous. */
export type Authenticate = (req: http.IncomingMessage) => Promise<Identity>;

/**
 * Builds the gateway's authentication step. A present but invalid token is refused
 * (UNAUTHENTICATED), never downgraded to anonymous, so a client learns its token expired.
 */
export function createAuthenticate(keys: { jwksUrl?: string; jwks?: JSONWebKeySet }, audience: TokenAudience): Authenticate {
  const getKey: JWTVerifyGetKey | null = keys.jwksUrl || keys.jwks ? accessTokenKeys(keys) : null;
  return async (req) => {
    const header = req.headers.authorization;
    if (!header) return ANONYMOUS;
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header);
    if (!match?.[1] || !getKey) throw CommonErrors.create('UNAUTHENTICATED', { message: 'The access token is invalid or expired.' });
    return verifyAccessToken(match[1], getKey, audience);
  };
}
