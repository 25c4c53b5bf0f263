import { z } from 'zod';
import type { JWK } from 'jose';
import { ConfigError, env, loadConfig, rateLimitEnv, subgraphEnv, subgraphSettings, type SigningKey, type SubgraphSettings } from '@shop/platform';

/** JWT_SIGNING_KEYS: a JSON array of private Ed25519 JWKs, each with its `kid`. */
const signingKeys = env.json(
  z.array(z.looseObject({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), d: z.string().min(1), x: z.string().min(1), kid: z.string().min(1) })).min(1),
);

const schema = z.object({
  ...subgraphEnv('ACCOUNTS', 4002),
  JWT_SIGNING_KEYS: signingKeys,
  JWT_ISSUER: z.string().min(1).default('shop-accounts'),
  JWT_AUDIENCE: z.string().min(1).default('shop'),
  /** Keys the HMACs of one-time codes and email verification links. */
  ACCOUNTS_TOKEN_SECRET: z.string().min(1).default('dev-only-accounts-token-secret-not-for-production'),
  REFRESH_TOKEN_TTL_DAYS: env.positiveInt(30),
  EMAIL_VERIFICATION_URL: z.url().default('http://localhost:4000/verify-email'),
  MESSAGES_FILE: z.string().min(1).optional(),
  /** The messaging relay SMS and email go through (required in production). */
  MESSAGE_WEBHOOK_URL: env.optionalUrl(),
  MESSAGE_WEBHOOK_SECRET: z.string().optional(),
  OTP_PER_PHONE_SECONDS: env.positiveInt(120),
  OTP_PER_CLIENT_PER_HOUR: env.positiveInt(10),
  LOGIN_FAILURES_PER_ACCOUNT: env.positiveInt(5),
  LOGIN_ATTEMPTS_PER_CLIENT: env.positiveInt(30),
  REGISTRATIONS_PER_CLIENT_PER_HOUR: env.positiveInt(10),
  ...rateLimitEnv,
});

/** Every limit accounts enforces (each one an environment variable, all scaled by RATE_LIMIT_SCALE). */
export interface AccountsLimits {
  readonly otpPerPhoneSeconds: number;
  readonly otpPerClientPerHour: number;
  /** Failed logins per account in 15 minutes before it locks. */
  readonly loginFailuresPerAccount: number;
  /** Logins per client address in 15 minutes. */
  readonly loginAttemptsPerClient: number;
  readonly registrationsPerClientPerHour: number;
  readonly scale: number;
}

/** The accounts subgraph's settings. */
export interface AccountsConfig extends SubgraphSettings {
  /** The first key signs; all are published in the JWKS, so older tokens verify during a rotation. */
  readonly signingKeys: readonly SigningKey[];
  readonly tokenAudience: { readonly issuer: string; readonly audience: string };
  readonly tokenSecret: string;
  readonly refreshTokenTtlDays: number;
  readonly emailVerificationUrl: string;
  readonly messagesFile: string | undefined;
  readonly messageWebhook: { readonly url: string; readonly secret: string } | undefined;
  readonly limits: AccountsLimits;
}

/** Reads and validates the accounts environment; throws a ConfigError naming the variable. */
export function loadAccountsConfig(source?: Readonly<Record<string, string | undefined>>): AccountsConfig {
  const config = loadConfig({ service: 'accounts', schema, secrets: ['GATEWAY_SUBGRAPH_SECRET', 'ACCOUNTS_TOKEN_SECRET', 'JWT_SIGNING_KEYS', 'MESSAGE_WEBHOOK_SECRET'], env: source });
  const settings = subgraphSettings(config, 'ACCOUNTS', 'accounts');
  if (config.NODE_ENV === 'production' && !config.MESSAGE_WEBHOOK_URL) {
    throw new ConfigError('accounts: MESSAGE_WEBHOOK_URL is missing; production sends one-time codes and links through the messaging relay');
  }
  if (config.MESSAGE_WEBHOOK_URL && !config.MESSAGE_WEBHOOK_SECRET) {
    throw new ConfigError('accounts: MESSAGE_WEBHOOK_SECRET is missing; the messaging relay must be able to check who is sending');
  }
  return {
    ...settings,
    signingKeys: config.JWT_SIGNING_KEYS.map((jwk) => ({ kid: jwk.kid, privateJwk: jwk as JWK })),
    tokenAudience: { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE },
    tokenSecret: config.ACCOUNTS_TOKEN_SECRET,
    refreshTokenTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
    emailVerificationUrl: config.EMAIL_VERIFICATION_URL,
    messagesFile: config.MESSAGES_FILE,
    messageWebhook: config.MESSAGE_WEBHOOK_URL ? { url: config.MESSAGE_WEBHOOK_URL, secret: config.MESSAGE_WEBHOOK_SECRET ?? '' } : undefined,
    limits: {
      otpPerPhoneSeconds: config.OTP_PER_PHONE_SECONDS,
      otpPerClientPerHour: config.OTP_PER_CLIENT_PER_HOUR,
      loginFailuresPerAccount: config.LOGIN_FAILURES_PER_ACCOUNT,
      loginAttemptsPerClient: config.LOGIN_ATTEMPTS_PER_CLIENT,
      registrationsPerClientPerHour: config.REGISTRATIONS_PER_CLIENT_PER_HOUR,
      scale: config.RATE_LIMIT_SCALE,
    },
  };
}
