import { appendToOutbox, badUserInput, CommonErrors, notFound, type Identity } from '@shop/platform';
import { customerDeleted, ACCOUNTS_SOURCE } from './account.events';
import { toCustomerView, type CustomerView } from './account.model';
import type { EmailVerificationLinks } from './email-verification';
import { AccountsErrors } from './errors';
import type { Account, PrismaClient, Role } from './generated/prisma/client';
import { uuidOrNone } from './ids';
import { verifyPassword } from './passwords';
import type { SessionService } from './sessions';

/** Reading accounts, roles, email verification and GDPR requests (SEC-1, SEC-4, SEC-9). */
export class AccountService {
  constructor(
    private readonly db: PrismaClient,
    private readonly sessions: SessionService,
    private readonly verificationLinks: EmailVerificationLinks,
  ) {}

  /** The caller's own account; null for guests and deleted accounts. */
  async me(caller: Identity): Promise<CustomerView | null> {
    return caller.userId ? this.visible(caller, caller.userId) : null;
  }

  /**
   * An account as `caller` may see it: their own or, for staff, anyone's. Anything else is null,
   * exactly like an id that does not exist (SEC-3).
   */
  async visible(caller: Identity, accountId: string): Promise<CustomerView | null> {
    if (caller.userId !== accountId && !caller.roles.includes('STAFF')) return null;
    const account = await this.db.account.findUnique({ where: { id: uuidOrNone(accountId) } });
    return account && !account.deletedAt ? toCustomerView(account) : null;
  }

  /** Confirms the address a verification link was sent to. */
  async verifyEmail(token: string): Promise<CustomerView> {
    const claims = this.verificationLinks.verify(token);
    if (!claims) throw AccountsErrors.create('INVALID_VERIFICATION_LINK', { field: 'token' });
    const { count } = await this.db.account.updateMany({
      where: { id: claims.accountId, email: claims.email, deletedAt: null },
      data: { emailVerifiedAt: new Date() },
    });
    if (count === 0) throw AccountsErrors.create('INVALID_VERIFICATION_LINK', { field: 'token' });
    return { ...toCustomerView(await this.db.account.findUniqueOrThrow({ where: { id: claims.accountId } })), heldByCaller: true };
  }

  /** Staff give or take a role; the account signs in again to use the new set (its sessions end). */
  async changeRole(staff: Identity, accountId: string, role: Role, change: 'grant' | 'revoke'): Promise<CustomerView> {
    if (!staff.roles.includes('STAFF')) throw CommonErrors.create('FORBIDDEN');
    if (change === 'revoke' && role === 'CUSTOMER') throw badUserInput('role', 'Every account keeps the CUSTOMER role.');
    const account = await this.liveAccount(accountId);
    const roles = change === 'grant' ? [...new Set([...account.roles, role])] : account.roles.filter((held) => held !== role);
    const updated = await this.db.$transaction(async (tx) => {
      const saved = await tx.account.update({ where: { id: accountId }, data: { roles } });
      await tx.auditEntry.create({ data: { accountId, actorId: staff.userId, action: change === 'grant' ? 'ROLE_GRANTED' : 'ROLE_REVOKED', detail: { role } } });
      return saved;
    });
    if (change === 'revoke') await this.sessions.endAll(accountId);
    return toCustomerView(updated);
  }

  /** Everything accounts holds about the caller, as JSON; the export itself is recorded. */
  async exportData(caller: Identity): Promise<{ generatedAt: string; json: string }> {
    const account = await this.liveAccount(caller.userId);
    await this.db.auditEntry.create({ data: { accountId: account.id, actorId: account.id, action: 'DATA_EXPORTED' } });
    const [addresses, sessions, audit] = await Promise.all([
      this.db.address.findMany({ where: { accountId: account.id }, orderBy: { createdAt: 'asc' } }),
      this.db.refreshToken.findMany({ where: { accountId: account.id }, select: { createdAt: true, usedAt: true, revokedAt: true, expiresAt: true }, orderBy: { createdAt: 'asc' } }),
      this.db.auditEntry.findMany({ where: { accountId: account.id }, select: { action: true, detail: true, at: true }, orderBy: { at: 'asc' } }),
    ]);
    const { passwordHash: _secret, ...profile } = account;
    const generatedAt = new Date().toISOString();
    return { generatedAt, json: JSON.stringify({ generatedAt, account: profile, addresses, sessions, audit }) };
  }

  /**
   * Anonymises the caller's personal data and ends every session. The account row (its id) stays,
   * so orders' financial records keep their customer; other services learn it from CustomerDeleted.
   */
  async deleteAccount(caller: Identity, password: string | null): Promise<void> {
    const account = await this.liveAccount(caller.userId);
    if (account.passwordHash && !(await verifyPassword(account.passwordHash, password ?? ''))) {
      throw AccountsErrors.create('INVALID_CREDENTIALS', { field: 'password' });
    }
    const deletedAt = new Date();
    await this.db.$transaction(async (tx) => {
      await tx.account.update({
        where: { id: account.id },
        data: { email: null, phone: null, name: '', passwordHash: null, emailVerifiedAt: null, deletedAt },
      });
      await tx.address.deleteMany({ where: { accountId: account.id } });
      await tx.refreshToken.updateMany({ where: { accountId: account.id, revokedAt: null }, data: { revokedAt: deletedAt } });
      await tx.auditEntry.create({ data: { accountId: account.id, actorId: account.id, action: 'ACCOUNT_DELETED' } });
      await appendToOutbox(tx, ACCOUNTS_SOURCE, [customerDeleted(account.id, deletedAt)]);
    });
  }

  private async liveAccount(accountId: string | null): Promise<Account> {
    const account = accountId ? await this.db.account.findUnique({ where: { id: uuidOrNone(accountId) } }) : null;
    if (!account || account.deletedAt) throw notFound('No such account.');
    return account;
  }
}
