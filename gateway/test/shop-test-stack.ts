import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateSigningKey, migrateDeploy, type RunningServer } from '@shop/platform';
import { createTestAuth, createTestDatabase, type TestAuth } from '@shop/platform/testing';
import { ACCOUNTS_SERVICE_DIR, JWKS_PATH, loadAccountsConfig, startAccounts } from '@shop/accounts';
import { CATALOG_SERVICE_DIR, loadCatalogConfig, seedDemoCatalogAt, startCatalog } from '@shop/catalog';
import { loadGatewayConfig, startGateway } from '../src';

export const TEST_SECRET = 'e2e-gateway-subgraph-secret-at-least-32-bytes-long';

/** How a test file wants its stack. */
export interface ShopTestStackOptions {
  /** Extra gateway variables (they win over the stack's). */
  readonly gatewayEnv?: Record<string, string>;
  /** Extra catalog variables (they win over the stack's). */
  readonly catalogEnv?: Record<string, string>;
  /** Extra accounts variables, e.g. a limit (they win over the stack's). */
  readonly accountsEnv?: Record<string, string>;
  /** RATE_LIMIT_SCALE for accounts; default 1, as in production. Every request through the gateway comes from 127.0.0.1. */
  readonly rateLimitScale?: number;
  /** The gateway fetches keys from accounts' JWKS endpoint (JWT_JWKS_URL) instead of taking them inline. */
  readonly jwksFromAccounts?: boolean;
  /** Accounts signs with a new key and still publishes `auth`'s, as during a key rotation. */
  readonly rotateSigningKey?: boolean;
}

/**
 * The shop as a client meets it: the seeded catalog and accounts, each on a fresh database, behind
 * the gateway, on free ports. Accounts signs with `auth`'s key, so its tokens and `auth.token(...)`
 * verify alike. Servers are named after their subgraph (`catalog`, `accounts`).
 */
export interface ShopTestStack {
  readonly gatewayUrl: string;
  readonly gatewayOrigin: string;
  readonly catalog: RunningServer;
  readonly catalogDatabaseUrl: string;
  readonly accounts: RunningServer;
  readonly accountsDatabaseUrl: string;
  /** Where the sandbox SMS and email providers write (one JSON line per message; read with `readMessages`). */
  readonly messagesFile: string;
  readonly auth: TestAuth;
  stop(): Promise<void>;
}

/** Accounts' JWT_SIGNING_KEYS: `auth`'s key, or a new one first (it signs) with `auth`'s after it. */
async function signingKeys(auth: TestAuth, rotate: boolean) {
  const keys = rotate ? [await generateSigningKey(`rotated-${Date.now()}`), auth.signingKey] : [auth.signingKey];
  return keys.map((key) => key.privateJwk);
}

export async function startShopTestStack(options: ShopTestStackOptions = {}): Promise<ShopTestStack> {
  const [catalogDatabase, accountsDatabase, auth, folder] = await Promise.all([
    createTestDatabase('e2e'),
    createTestDatabase('e2e_accounts'),
    createTestAuth(),
    mkdtemp(path.join(tmpdir(), 'shop-e2e-')),
  ]);
  await Promise.all([
    migrateDeploy({ serviceDir: CATALOG_SERVICE_DIR, databaseUrl: catalogDatabase.url }).then(() => seedDemoCatalogAt(catalogDatabase.url)),
    migrateDeploy({ serviceDir: ACCOUNTS_SERVICE_DIR, databaseUrl: accountsDatabase.url }),
  ]);
  const messagesFile = path.join(folder, 'messages.jsonl');
  const common = { GATEWAY_SUBGRAPH_SECRET: TEST_SECRET, JWT_ISSUER: auth.audience.issuer, JWT_AUDIENCE: auth.audience.audience, LOG_LEVEL: 'silent' };
  const catalog = await startCatalog(loadCatalogConfig({ ...common, CATALOG_DATABASE_URL: catalogDatabase.url, CATALOG_PORT: '0', ...options.catalogEnv }));
  const accounts = await startAccounts(
    loadAccountsConfig({
      ...common,
      ACCOUNTS_DATABASE_URL: accountsDatabase.url,
      ACCOUNTS_PORT: '0',
      JWT_SIGNING_KEYS: JSON.stringify(await signingKeys(auth, options.rotateSigningKey ?? false)),
      MESSAGES_FILE: messagesFile,
      RATE_LIMIT_SCALE: String(options.rateLimitScale ?? 1),
      ...options.accountsEnv,
    }),
  );
  const keys = options.jwksFromAccounts ? { JWT_JWKS_URL: new URL(JWKS_PATH, accounts.url).href } : { JWT_JWKS: JSON.stringify(auth.jwks) };
  const gateway = await startGateway(
    loadGatewayConfig({ ...common, ...keys, PORT: '0', CATALOG_URL: catalog.url, ACCOUNTS_URL: accounts.url, ...options.gatewayEnv }),
  );
  return {
    gatewayUrl: gateway.url,
    gatewayOrigin: gateway.url.replace(/\/graphql$/, ''),
    catalog,
    catalogDatabaseUrl: catalogDatabase.url,
    accounts,
    accountsDatabaseUrl: accountsDatabase.url,
    messagesFile,
    auth,
    stop: async () => {
      await gateway.stop();
      await accounts.stop();
      await catalog.stop();
      await Promise.all([catalogDatabase.drop(), accountsDatabase.drop()]);
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** GraphQL requests a subgraph has answered so far, from its Prometheus counters (what reached it). */
export async function requestsServed(subgraphUrl: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', subgraphUrl))).text();
  return [...text.matchAll(/^graphql_requests_total\{[^}]*\} (\d+)/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
}
