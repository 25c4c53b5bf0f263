import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { CommonErrors, notFound, parseInput, type Identity } from '@shop/platform';
import type { PartnerKey, PartnerScope, PrismaClient } from './generated/prisma/client';
import { uuidOrNone } from './ids';

/** A partner key as staff see it: never the key itself, only its prefix. */
export interface PartnerKeyView {
  readonly id: string;
  readonly partner: string;
  readonly keyPrefix: string;
  readonly scope: PartnerScope;
  readonly marketId: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

/** What the gateway learns about a live key (POST /internal/partner-keys/verify). */
export interface PartnerGrant {
  readonly partner: string;
  readonly scope: PartnerScope;
  readonly marketId: string | null;
}

/** A partner's name doubles as its safelist file name, so it is kept to a file-safe slug. */
const createInput = z
  .object({
    partner: z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'must be a lower-case slug such as demo-partner'),
    scope: z.enum(['READ_ONLY', 'MARKET']),
    marketId: z.uuid().nullish(),
  })
  .refine((input) => (input.scope === 'MARKET') === Boolean(input.marketId), { message: 'a MARKET key needs a marketId, a READ_ONLY key none', path: ['marketId'] });

const KEY_PREFIX = 'pk_';

/** SHA-256 of a key, as stored: a key is random enough that a slow hash adds nothing. */
export function hashPartnerKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

function toView(key: PartnerKey): PartnerKeyView {
  return { ...key, createdAt: key.createdAt.toISOString(), revokedAt: key.revokedAt?.toISOString() ?? null };
}

function requireStaff(caller: Identity): string {
  if (!caller.userId || !caller.roles.includes('STAFF')) throw CommonErrors.create('FORBIDDEN');
  return caller.userId;
}

/**
 * Partner API keys: staff create them (the plaintext is shown once), list and revoke them; the
 * gateway verifies a presented key by its hash.
 */
export class PartnerKeyService {
  constructor(private readonly db: PrismaClient) {}

  /** Creates a key; `key` is the only time the plaintext exists outside the partner's hands. */
  async create(caller: Identity, input: unknown): Promise<{ key: string; partnerKey: PartnerKeyView }> {
    const createdBy = requireStaff(caller);
    const { partner, scope, marketId } = parseInput(createInput, input, 'input');
    const key = `${KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
    const saved = await this.db.partnerKey.create({
      data: { partner, scope, marketId: marketId ?? null, createdBy, keyHash: hashPartnerKey(key), keyPrefix: key.slice(0, 8) },
    });
    return { key, partnerKey: toView(saved) };
  }

  /** Stores `key` for `partner` unless that exact key is already stored (embedded mode's seed). */
  async ensure(grant: PartnerGrant, key: string, createdBy: string): Promise<void> {
    await this.db.partnerKey.upsert({
      where: { keyHash: hashPartnerKey(key) },
      update: { partner: grant.partner, scope: grant.scope, marketId: grant.marketId, revokedAt: null },
      create: { ...grant, keyHash: hashPartnerKey(key), keyPrefix: key.slice(0, 8), createdBy },
    });
  }

  async list(caller: Identity): Promise<PartnerKeyView[]> {
    requireStaff(caller);
    const keys = await this.db.partnerKey.findMany({ orderBy: { createdAt: 'desc' } });
    return keys.map(toView);
  }

  /** Revokes a key; revoking a revoked key changes nothing. The gateway forgets it within its cache time. */
  async revoke(caller: Identity, id: string): Promise<PartnerKeyView> {
    requireStaff(caller);
    const key = await this.db.partnerKey.findUnique({ where: { id: uuidOrNone(id) } });
    if (!key) throw notFound('No such partner key.');
    if (key.revokedAt) return toView(key);
    return toView(await this.db.partnerKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } }));
  }

  /** The grant of a live key, or null for an unknown or revoked one. */
  async verify(key: string): Promise<PartnerGrant | null> {
    const found = await this.db.partnerKey.findUnique({ where: { keyHash: hashPartnerKey(key) } });
    if (!found || found.revokedAt) return null;
    return { partner: found.partner, scope: found.scope, marketId: found.marketId };
  }
}
