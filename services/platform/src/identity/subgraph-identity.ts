import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ANONYMOUS, roleSchema, type Identity } from './identity';

/** The header in which the gateway hands the caller's identity to a subgraph. */
export const IDENTITY_HEADER = 'x-shop-identity';

/** How long a signed identity stays valid: it only has to survive one gateway-to-subgraph hop. */
const LIFETIME_SECONDS = 60;

const payloadSchema = z
  .object({
    sub: z.string().nullable(),
    roles: z.array(roleSchema),
    exp: z.number().int(),
    partnerMarketId: z.string().min(1).max(100).optional(),
  })
  // A market partner is nobody: a claim beside a user or a role would lend it their authority.
  .refine((payload) => payload.partnerMarketId === undefined || (payload.sub === null && payload.roles.length === 0));

type Payload = z.infer<typeof payloadSchema>;

function toIdentity({ sub, roles, partnerMarketId }: Payload): Identity {
  if (partnerMarketId !== undefined) return { userId: null, roles: [], partnerMarketId };
  return sub === null && roles.length === 0 ? ANONYMOUS : { userId: sub, roles };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function mac(secret: string, body: string): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

/**
 * Signs the caller's identity for subgraphs: `<base64url JSON>.<base64url HMAC-SHA256>`.
 * A subgraph trusts nothing else, so calling its port directly, without the gateway's secret,
 * gets nowhere. Plain HMAC rather than a JWT library: it runs on every hop and has one algorithm.
 */
export function signIdentity(identity: Identity, secret: string, now = Date.now()): string {
  const body = Buffer.from(
    JSON.stringify({
      sub: identity.userId,
      roles: identity.roles,
      exp: Math.floor(now / 1000) + LIFETIME_SECONDS,
      partnerMarketId: identity.partnerMarketId,
    }),
  ).toString('base64url');
  return `${body}.${mac(secret, body).toString('base64url')}`;
}

/**
 * Checks a signed identity; null when it is missing, forged or expired, or when it pairs a partner's
 * market claim with a user or roles.
 */
export function verifyIdentity(token: string | undefined, secret: string, now = Date.now()): Identity | null {
  const payload = verifiedPayload(token, secret, now);
  return payload ? toIdentity(payload) : null;
}

function verifiedPayload(token: string | undefined, secret: string, now: number): Payload | null {
  if (!token) return null;
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return null;
  const expected = mac(secret, body);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const parsed = payloadSchema.safeParse(parseJson(Buffer.from(body, 'base64url').toString('utf8')));
  if (!parsed.success || parsed.data.exp * 1000 < now) return null;
  return parsed.data;
}

/**
 * The gateway signs the same identity on every request; reusing a signature for half its lifetime
 * keeps HMAC work off the hot path without ever sending an expired one.
 */
export class IdentitySigner {
  private readonly cache = new Map<string, { token: string; renewAt: number }>();

  constructor(private readonly secret: string) {}

  sign(identity: Identity, now = Date.now()): string {
    const key = `${identity.userId ?? ''}|${identity.roles.join(',')}|${identity.partnerMarketId ?? ''}`;
    const cached = this.cache.get(key);
    if (cached && cached.renewAt > now) return cached.token;
    if (this.cache.size > 10_000) this.cache.clear();
    const token = signIdentity(identity, this.secret, now);
    this.cache.set(key, { token, renewAt: now + (LIFETIME_SECONDS * 1000) / 2 });
    return token;
  }
}

/**
 * A subgraph's side of {@link IdentitySigner}: the gateway reuses each signature for half a
 * minute, so a token verified once is remembered with its expiry and the HMAC and parse are not
 * repeated on every hop. Only exact tokens that passed verification are remembered.
 */
export class IdentityVerifier {
  private readonly verified = new Map<string, { identity: Identity; expiresAt: number }>();

  constructor(private readonly secret: string) {}

  verify(token: string | undefined, now = Date.now()): Identity | null {
    if (!token) return null;
    const known = this.verified.get(token);
    if (known) {
      if (known.expiresAt >= now) return known.identity;
      this.verified.delete(token);
    }
    const payload = verifiedPayload(token, this.secret, now);
    if (!payload) return null;
    const identity = toIdentity(payload);
    if (this.verified.size > 10_000) this.verified.clear();
    this.verified.set(token, { identity, expiresAt: payload.exp * 1000 });
    return identity;
  }
}
