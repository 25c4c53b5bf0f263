import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

const LINK_LIFETIME_SECONDS = 24 * 60 * 60;
const claimsSchema = z.object({ sub: z.string(), email: z.string(), exp: z.number() });

/**
 * Email verification links: `<body>.<HMAC>` with the account, the address and an expiry. The address
 * is inside, so a link stops working once the account's email has changed.
 */
export class EmailVerificationLinks {
  constructor(
    private readonly secret: string,
    private readonly baseUrl: string,
  ) {}

  create(accountId: string, email: string, now = Date.now()): string {
    const body = Buffer.from(JSON.stringify({ sub: accountId, email, exp: Math.floor(now / 1000) + LINK_LIFETIME_SECONDS })).toString('base64url');
    const url = new URL(this.baseUrl);
    url.searchParams.set('token', `${body}.${this.sign(body)}`);
    return url.toString();
  }

  /** The account and address a token confirms, or null when it is forged, malformed or expired. */
  verify(token: string, now = Date.now()): { accountId: string; email: string } | null {
    const [body, signature, extra] = token.split('.');
    if (!body || !signature || extra !== undefined) return null;
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const claims = claimsSchema.safeParse(parseJson(Buffer.from(body, 'base64url').toString('utf8')));
    if (!claims.success || claims.data.exp * 1000 < now) return null;
    return { accountId: claims.data.sub, email: claims.data.email };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(`email-verification:${body}`).digest('base64url');
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
