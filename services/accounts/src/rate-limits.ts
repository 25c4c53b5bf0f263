import type { RateLimitRule } from '@shop/platform';
import type { AccountsLimits } from './config';

const FIFTEEN_MINUTES = 15 * 60;
const HOUR = 60 * 60;

/** The rules behind SEC-2 and SEC-7, from the configured limits. */
export function accountsRateLimits(limits: AccountsLimits) {
  return {
    otpPerPhone: { name: 'otp-phone', limit: 1, windowSeconds: limits.otpPerPhoneSeconds },
    otpPerClient: { name: 'otp-client', limit: limits.otpPerClientPerHour, windowSeconds: HOUR },
    /** Consumed before each login and reset by a success: five failures in a row lock the account. */
    loginFailuresPerAccount: { name: 'login-account', limit: limits.loginFailuresPerAccount, windowSeconds: FIFTEEN_MINUTES },
    loginPerClient: { name: 'login-client', limit: limits.loginAttemptsPerClient, windowSeconds: FIFTEEN_MINUTES },
    registrationsPerClient: { name: 'register-client', limit: limits.registrationsPerClientPerHour, windowSeconds: HOUR },
  } satisfies Record<string, RateLimitRule>;
}

export type AccountsRateLimits = ReturnType<typeof accountsRateLimits>;
