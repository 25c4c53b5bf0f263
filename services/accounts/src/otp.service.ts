import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { MessageSender, RateLimiter } from '@shop/platform';
import { AccountsErrors } from './errors';
import type { OtpChallenge, PrismaClient } from './generated/prisma/client';
import type { AccountsRateLimits } from './rate-limits';

const CODE_LIFETIME_MS = 5 * 60_000;
/** Wrong codes a challenge survives; the fifth burns it. */
const MAX_ATTEMPTS = 5;

/**
 * Phone one-time codes (SEC-2): six digits, stored as an HMAC, valid five minutes, one request per
 * phone per interval and an hourly cap per client, burnt after five wrong tries.
 */
export class OtpService {
  constructor(
    private readonly db: PrismaClient,
    private readonly secret: string,
    private readonly sms: MessageSender,
    private readonly limiter: RateLimiter,
    private readonly limits: AccountsRateLimits,
  ) {}

  /** Sends a new code to `phone` (E.164); earlier open codes stop working. Returns the wait before the next. */
  async send(phone: string, clientAddress: string): Promise<{ retryAfterSeconds: number }> {
    await this.limiter.consumeAll([
      { rule: this.limits.otpPerPhone, subject: phone },
      { rule: this.limits.otpPerClient, subject: clientAddress },
    ]);
    const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
    await this.db.$transaction([
      this.db.otpChallenge.updateMany({ where: { phone, consumedAt: null }, data: { consumedAt: new Date() } }),
      this.db.otpChallenge.create({ data: { phone, codeHash: this.hashOf(phone, code), expiresAt: new Date(Date.now() + CODE_LIFETIME_MS) } }),
    ]);
    await this.sms.send({ channel: 'sms', to: phone, body: `Your shop sign-in code is ${code}. It expires in 5 minutes. Never share it.` });
    return { retryAfterSeconds: this.limits.otpPerPhone.windowSeconds };
  }

  /** Spends the phone's open code if `code` is right; throws INVALID_CODE otherwise. */
  async verify(phone: string, code: string): Promise<void> {
    const challenge = await this.db.otpChallenge.findFirst({
      where: { phone, consumedAt: null, expiresAt: { gt: new Date() } },
      orderBy: { createdAt: 'desc' },
    });
    const attempt = challenge ? await this.countAttempt(challenge.id) : null;
    if (!challenge || attempt === null) throw AccountsErrors.create('INVALID_CODE');
    if (!this.matches(challenge, code)) {
      if (attempt >= MAX_ATTEMPTS) await this.consume(challenge.id);
      throw AccountsErrors.create('INVALID_CODE');
    }
    // Only one of two concurrent right answers signs in.
    if (!(await this.consume(challenge.id))) throw AccountsErrors.create('INVALID_CODE');
  }

  /** Counts a try atomically and returns its number; null once the challenge has had its five. */
  private async countAttempt(id: string): Promise<number | null> {
    const [counted] = await this.db.otpChallenge.updateManyAndReturn({
      where: { id, consumedAt: null, attempts: { lt: MAX_ATTEMPTS } },
      data: { attempts: { increment: 1 } },
    });
    return counted?.attempts ?? null;
  }

  private async consume(id: string): Promise<boolean> {
    const { count } = await this.db.otpChallenge.updateMany({ where: { id, consumedAt: null }, data: { consumedAt: new Date() } });
    return count === 1;
  }

  private matches(challenge: OtpChallenge, code: string): boolean {
    const given = Buffer.from(this.hashOf(challenge.phone, code));
    return timingSafeEqual(given, Buffer.from(challenge.codeHash));
  }

  private hashOf(phone: string, code: string): string {
    return createHmac('sha256', this.secret).update(`otp:${phone}:${code}`).digest('hex');
  }
}
