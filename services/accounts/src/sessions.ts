import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mintAccessToken, type SigningKey, type TokenAudience } from '@shop/platform';
import { AccountsErrors } from './errors';
import { toCustomerView, type CustomerView } from './account.model';
import type { Account, PrismaClient } from './generated/prisma/client';

/** Seconds an access token lives (15 minutes). */
export const ACCESS_TOKEN_SECONDS = 15 * 60;

/** What a sign-in returns (AuthPayload). */
export interface AuthPayload {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresIn: number;
  readonly customer: CustomerView;
}

export interface SessionSettings {
  readonly signingKey: SigningKey;
  readonly audience: TokenAudience;
  readonly refreshTokenTtlDays: number;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Sessions: a short-lived access JWT plus an opaque refresh token stored only as its SHA-256. Every
 * refresh replaces the token by a new one of the same family; presenting a used token again means
 * it was stolen (or replayed), so the whole family is revoked (RFC 9700, reuse detection).
 */
export class SessionService {
  constructor(
    private readonly db: PrismaClient,
    private readonly settings: SessionSettings,
  ) {}

  /** Opens a new session (a new refresh token family) for `account`. */
  start(account: Account): Promise<AuthPayload> {
    return this.issue(account, randomUUID());
  }

  /** Exchanges a refresh token for a new pair; a reused token revokes its family. */
  async refresh(refreshToken: string): Promise<AuthPayload> {
    const tokenHash = hashOf(refreshToken);
    // Atomic claim: of two requests with the same token only one finds it unused.
    const claimed = await this.db.refreshToken.updateManyAndReturn({
      where: { tokenHash, usedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
      data: { usedAt: new Date() },
    });
    const token = claimed[0];
    if (!token) {
      await this.revokeFamilyIfReused(tokenHash);
      throw AccountsErrors.create('INVALID_REFRESH_TOKEN');
    }
    const account = await this.db.account.findUnique({ where: { id: token.accountId } });
    if (!account || account.deletedAt) throw AccountsErrors.create('INVALID_REFRESH_TOKEN');
    return this.issue(account, token.familyId);
  }

  /** Ends the session `refreshToken` belongs to; unknown tokens are ignored (nothing to end). */
  async end(refreshToken: string): Promise<void> {
    const token = await this.db.refreshToken.findUnique({ where: { tokenHash: hashOf(refreshToken) } });
    if (token) await this.revokeFamily(token.familyId);
  }

  /** Ends every session of an account (role taken away, account deleted). */
  async endAll(accountId: string): Promise<void> {
    await this.db.refreshToken.updateMany({ where: { accountId, revokedAt: null }, data: { revokedAt: new Date() } });
  }

  private async revokeFamilyIfReused(tokenHash: string): Promise<void> {
    const token = await this.db.refreshToken.findUnique({ where: { tokenHash } });
    if (token?.usedAt) await this.revokeFamily(token.familyId);
  }

  private async revokeFamily(familyId: string): Promise<void> {
    await this.db.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: new Date() } });
  }

  private async issue(account: Account, familyId: string): Promise<AuthPayload> {
    const refreshToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.settings.refreshTokenTtlDays * 86_400_000);
    await this.db.refreshToken.create({ data: { familyId, accountId: account.id, tokenHash: hashOf(refreshToken), expiresAt } });
    const accessToken = await mintAccessToken(this.settings.signingKey, { userId: account.id, roles: account.roles }, this.settings.audience, `${ACCESS_TOKEN_SECONDS}s`);
    return { accessToken, refreshToken, expiresIn: ACCESS_TOKEN_SECONDS, customer: { ...toCustomerView(account), heldByCaller: true } };
  }
}
