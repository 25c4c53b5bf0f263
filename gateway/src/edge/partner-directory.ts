import { z } from 'zod';
import { CommonErrors, IdentitySigner, ANONYMOUS, IDENTITY_HEADER, type Identity } from '@shop/platform';

/** What a partner key grants, as accounts answers it. */
export interface PartnerGrant {
  readonly partner: string;
  readonly scope: 'READ_ONLY' | 'MARKET';
  readonly marketId: string | null;
}

/** Accounts' answer is checked: a MARKET grant becomes authority over that market's catalogue. */
const grantSchema = z
  .object({ partner: z.string().min(1), scope: z.enum(['READ_ONLY', 'MARKET']), marketId: z.string().min(1).nullable() })
  .refine((grant) => grant.scope !== 'MARKET' || grant.marketId !== null);

/**
 * Who a partner's requests run as: never a user. A MARKET key acts for its market (catalog lets it
 * change that market's products, and every other service sees a guest); a READ_ONLY key is a guest.
 */
export function partnerIdentity(grant: PartnerGrant): Identity {
  return grant.scope === 'MARKET' && grant.marketId !== null ? { userId: null, roles: [], partnerMarketId: grant.marketId } : ANONYMOUS;
}

/** Most keys remembered; beyond it the cache starts over (a spray of random keys cannot grow it). */
const MAX_CACHED_KEYS = 10_000;

/**
 * Finds the partner of an `X-Api-Key` by asking accounts (`POST /internal/partner-keys/verify`,
 * signed as the gateway), and remembers each answer, unknown keys included, for `cacheSeconds`:
 * a revoked key stops working within that time.
 */
export class PartnerDirectory {
  private readonly cache = new Map<string, { readonly grant: PartnerGrant | null; readonly until: number }>();

  constructor(
    private readonly verifyUrl: string,
    private readonly signer: IdentitySigner,
    private readonly cacheSeconds: number,
  ) {}

  /**
   * The key's grant; UNAUTHENTICATED for an unknown or revoked key, SERVICE_UNAVAILABLE when accounts
   * cannot answer. `beforeAsking` runs only when accounts must be asked (a client's budget of lookups).
   */
  async resolve(key: string, beforeAsking?: () => Promise<void>): Promise<PartnerGrant> {
    const now = Date.now();
    const cached = this.cache.get(key);
    const fresh = cached && cached.until > now ? cached : undefined;
    if (!fresh) await beforeAsking?.();
    const grant = fresh ? fresh.grant : await this.ask(key, now);
    if (!grant) throw CommonErrors.create('UNAUTHENTICATED', { message: 'The API key is invalid or revoked.' });
    return grant;
  }

  private async ask(key: string, now: number): Promise<PartnerGrant | null> {
    let response: Response;
    try {
      response = await fetch(this.verifyUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: this.signer.sign(ANONYMOUS) },
        body: JSON.stringify({ key }),
        signal: AbortSignal.timeout(2000),
      });
    } catch {
      throw CommonErrors.create('SERVICE_UNAVAILABLE');
    }
    if (response.status !== 200 && response.status !== 404) throw CommonErrors.create('SERVICE_UNAVAILABLE');
    const grant = response.status === 200 ? await this.grantFrom(response) : null;
    if (this.cache.size >= MAX_CACHED_KEYS) this.cache.clear();
    this.cache.set(key, { grant, until: now + this.cacheSeconds * 1000 });
    return grant;
  }

  private async grantFrom(response: Response): Promise<PartnerGrant> {
    const parsed = grantSchema.safeParse(await response.json().catch(() => null));
    if (!parsed.success) throw CommonErrors.create('SERVICE_UNAVAILABLE');
    return parsed.data;
  }
}
