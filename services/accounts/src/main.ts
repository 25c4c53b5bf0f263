import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import {
  createEventBus,
  createMessageSender,
  createPool,
  createPrismaClient,
  createRateLimitStore,
  createServerMetrics,
  exitOnConfigError,
  startOutboxRelay,
  publicJwks,
  RateLimiter,
  sendJson,
  serviceLogger,
  startSubgraph,
  StatementCounter,
  stopOnSignals,
  type RequestContext,
  type RunningServer,
} from '@shop/platform';
import { ACCOUNTS_SOURCE } from './account.events';
import { AccountService } from './account.service';
import type { AccountsContext } from './accounts.context';
import { AddressService } from './address.service';
import { loadAccountsConfig, type AccountsConfig } from './config';
import { EmailVerificationLinks } from './email-verification';
import { PrismaClient } from './generated/prisma/client';
import { OtpService } from './otp.service';
import { PartnerKeyService } from './partner-key.service';
import { PARTNER_KEY_VERIFY_PATH, partnerKeyVerifyRoute } from './partner-keys.route';
import { accountsRules } from './permissions';
import { accountsRateLimits } from './rate-limits';
import { resolvers } from './resolvers';
import { SessionService } from './sessions';
import { SignInService } from './sign-in.service';

/** The accounts SDL, read from the source tree (the same file for `src` and `dist`). */
export const accountsSdl = readFileSync(path.join(__dirname, '../src/schema.graphql'), 'utf8');

/** Where accounts publishes its public keys; the gateway's JWT_JWKS_URL points here. */
export const JWKS_PATH = '/.well-known/jwks.json';

/** Wiring: config -> database -> limits, messages, sessions -> services -> server. */
export async function startAccounts(config: AccountsConfig): Promise<RunningServer> {
  const log = serviceLogger('accounts');
  const statements = new StatementCounter();
  const pool = createPool({ url: config.databaseUrl, poolSize: config.poolSize }, statements);
  const db = createPrismaClient(PrismaClient, pool);
  const limitStore = createRateLimitStore({ redisUrl: config.redisUrl, prefix: 'accounts:limits' });
  const limiter = new RateLimiter(limitStore, config.limits.scale);
  const limits = accountsRateLimits(config.limits);
  const messages = createMessageSender({ production: config.production, messagesFile: config.messagesFile, webhook: config.messageWebhook });
  const [signingKey] = config.signingKeys;
  if (!signingKey) throw new Error('accounts: no signing key');
  const sessions = new SessionService(db, { signingKey, audience: config.tokenAudience, refreshTokenTtlDays: config.refreshTokenTtlDays });
  const verificationLinks = new EmailVerificationLinks(config.tokenSecret, config.emailVerificationUrl);
  const otp = new OtpService(db, config.tokenSecret, messages, limiter, limits);
  const signIn = new SignInService(db, { sessions, otp, limiter, limits, email: messages, verificationLinks, log });
  const accounts = new AccountService(db, sessions, verificationLinks);
  const addresses = new AddressService(db);
  const partnerKeys = new PartnerKeyService(db);
  const metrics = createServerMetrics('accounts');
  const bus = await createEventBus(config.events, 'accounts', log);
  const relay = await startOutboxRelay({ databaseUrl: config.databaseUrl, source: ACCOUNTS_SOURCE, bus, settings: config.events, log, registry: metrics.registry });
  const jwks = publicJwks(config.signingKeys);

  return startSubgraph<AccountsContext>({
    name: 'accounts',
    typeDefs: parse(accountsSdl),
    resolvers,
    rules: accountsRules,
    host: config.host,
    port: config.port,
    identitySecret: config.identitySecret,
    pool,
    statements,
    createContext: (base: RequestContext) => ({ ...base, signIn, sessions, accounts, addresses, partnerKeys }),
    metrics,
    readinessChecks: bus ? { bus: () => bus.ping() } : {},
    otlpEndpoint: config.otlpEndpoint,
    routes: {
      [`GET ${JWKS_PATH}`]: (_req, res) => sendJson(res, 200, jwks, { 'cache-control': 'public, max-age=300' }),
      [`POST ${PARTNER_KEY_VERIFY_PATH}`]: partnerKeyVerifyRoute(partnerKeys, config.identitySecret),
    },
    onStop: async () => {
      await relay?.stop();
      await bus?.close();
      await db.$disconnect();
      await pool.end();
      await limitStore.close();
    },
  });
}

if (require.main === module) {
  void exitOnConfigError(async () => {
    const server = await startAccounts(loadAccountsConfig());
    stopOnSignals([server.stop]);
  });
}
