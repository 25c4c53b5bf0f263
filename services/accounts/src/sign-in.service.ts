import { z } from 'zod';
import { parseInput, type Logger, type MessageSender, type RateLimiter } from '@shop/platform';
import type { EmailVerificationLinks } from './email-verification';
import { AccountsErrors } from './errors';
import { Prisma, type Account, type PrismaClient } from './generated/prisma/client';
import type { OtpService } from './otp.service';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './passwords';
import { normalisePhone } from './phone';
import type { AccountsRateLimits } from './rate-limits';
import type { AuthPayload, SessionService } from './sessions';

const registerSchema = z.object({
  email: z.string().trim().toLowerCase().max(254).pipe(z.email({ message: 'Give a valid email address.' })),
  password: z.string(),
  name: z.string().trim().min(1, 'Give a name.').max(200),
});

/** What sign-in needs besides the database. */
export interface SignInDependencies {
  readonly sessions: SessionService;
  readonly otp: OtpService;
  readonly limiter: RateLimiter;
  readonly limits: AccountsRateLimits;
  readonly email: MessageSender;
  readonly verificationLinks: EmailVerificationLinks;
  readonly log: Logger;
}

/** Registration and every way of signing in (SEC-1, SEC-2). */
export class SignInService {
  constructor(
    private readonly db: PrismaClient,
    private readonly deps: SignInDependencies,
  ) {}

  /** Creates a customer with a password and signs it in; sends the email verification link. */
  async register(input: unknown, clientAddress: string): Promise<AuthPayload> {
    const { email, password, name } = parseInput(registerSchema, input, 'input');
    checkPasswordPolicy(password);
    await this.deps.limiter.consume(this.deps.limits.registrationsPerClient, clientAddress);
    const account = await this.db.account
      .create({ data: { email, name, passwordHash: await hashPassword(password) } })
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) throw AccountsErrors.create('EMAIL_TAKEN', { field: 'input.email' });
        throw error;
      });
    await this.sendVerificationLink(account);
    return this.deps.sessions.start(account);
  }

  /**
   * Email and password. An unknown email costs the same hash verification as a wrong password and
   * gets the same answer, so neither the answer nor its timing tells whether the account exists.
   * Failures lock the address for 15 minutes after five in a row; each client has its own budget.
   */
  async login(email: string, password: string, clientAddress: string): Promise<AuthPayload> {
    const normalised = email.trim().toLowerCase();
    const { limiter, limits } = this.deps;
    await limiter.consumeAll([
      { rule: limits.loginPerClient, subject: clientAddress },
      { rule: limits.loginFailuresPerAccount, subject: normalised },
    ]);
    const account = normalised ? await this.db.account.findUnique({ where: { email: normalised } }) : null;
    if (!(await verifyPassword(account?.passwordHash ?? null, password)) || !account) throw AccountsErrors.create('INVALID_CREDENTIALS');
    await limiter.reset(limits.loginFailuresPerAccount, normalised);
    return this.deps.sessions.start(account);
  }

  /** Sends a sign-in code by SMS. */
  requestOtp(phone: string, clientAddress: string): Promise<{ retryAfterSeconds: number }> {
    return this.deps.otp.send(normalisePhone(phone, 'phone'), clientAddress);
  }

  /** Signs in with an SMS code; the first sign-in of a phone creates its customer. */
  async verifyOtp(phone: string, code: string): Promise<AuthPayload> {
    const normalised = normalisePhone(phone, 'phone');
    if (!/^\d{6}$/.test(code)) throw AccountsErrors.create('INVALID_CODE', { field: 'code' });
    await this.deps.otp.verify(normalised, code);
    return this.deps.sessions.start(await this.accountForPhone(normalised));
  }

  /** Sends the caller a fresh verification link (nothing to do once verified). */
  async requestEmailVerification(accountId: string): Promise<void> {
    const account = await this.db.account.findUnique({ where: { id: accountId } });
    if (account?.email && !account.emailVerifiedAt) await this.sendVerificationLink(account);
  }

  private async accountForPhone(phone: string): Promise<Account> {
    const existing = await this.db.account.findUnique({ where: { phone } });
    if (existing) return existing;
    // Two first sign-ins of one phone at once: the loser reads the winner's account.
    return this.db.account.create({ data: { phone } }).catch(async (error: unknown) => {
      if (!isUniqueViolation(error)) throw error;
      return this.db.account.findUniqueOrThrow({ where: { phone } });
    });
  }

  private async sendVerificationLink(account: Account): Promise<void> {
    if (!account.email) return;
    const link = this.deps.verificationLinks.create(account.id, account.email);
    await this.deps.email
      .send({ channel: 'email', to: account.email, subject: 'Confirm your email address', body: `Confirm your address by opening ${link} (valid 24 hours).` })
      .catch((error: unknown) => this.deps.log.error({ err: error }, 'verification email not sent; the customer can request another'));
  }
}

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
