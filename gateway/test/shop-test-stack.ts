import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findFreePort, generateSigningKey, migrateDeploy, type RunningServer } from '@shop/platform';
import { createTestAuth, createTestDatabase, type TestAuth } from '@shop/platform/testing';
import { ACCOUNTS_SERVICE_DIR, JWKS_PATH, loadAccountsConfig, startAccounts } from '@shop/accounts';
import { CATALOG_SERVICE_DIR, loadCatalogConfig, seedDemoCatalogAt, startCatalog } from '@shop/catalog';
import { INVENTORY_SERVICE_DIR, loadInventoryConfig, seedDemoStockAt, startInventory } from '@shop/inventory';
import { loadOrdersConfig, ORDERS_SERVICE_DIR, startOrders } from '@shop/orders';
import { loadPaymentsConfig, PAYMENTS_SERVICE_DIR, startPayments } from '@shop/payments';
import { loadPromotionsConfig, PROMOTIONS_SERVICE_DIR, seedDemoCouponAt, startPromotions } from '@shop/promotions';
import { loadShippingConfig, seedShippingAt, SHIPPING_SERVICE_DIR, startShipping } from '@shop/shipping';
import { loadGatewayConfig, startGateway } from '../src';
import { startServiceProcess } from './service-process';

export const TEST_SECRET = 'e2e-gateway-subgraph-secret-at-least-32-bytes-long';
/** Signs the sandbox provider's webhooks in the stack (tests sign their own with it). */
export const TEST_SANDBOX_WEBHOOK_SECRET = 'e2e-sandbox-webhook-secret-at-least-32-bytes';

/** How a test file wants its stack. */
export interface ShopTestStackOptions {
  /** Extra gateway variables (they win over the stack's). */
  readonly gatewayEnv?: Record<string, string>;
  /** Extra catalog variables (they win over the stack's). */
  readonly catalogEnv?: Record<string, string>;
  /** Extra accounts variables, e.g. a limit (they win over the stack's). */
  readonly accountsEnv?: Record<string, string>;
  /** Extra inventory variables, e.g. RESERVATION_TTL_SECONDS (they win over the stack's). */
  readonly inventoryEnv?: Record<string, string>;
  /** Extra orders variables (they win over the stack's). */
  readonly ordersEnv?: Record<string, string>;
  /** Extra payments, shipping and promotions variables (they win over the stack's). */
  readonly paymentsEnv?: Record<string, string>;
  readonly shippingEnv?: Record<string, string>;
  readonly promotionsEnv?: Record<string, string>;
  /**
   * Replicas of inventory and orders. 1 (default): one of each in the test's process. More: each
   * replica is its own operating-system process on the same database, and each replica pair gets its
   * own gateway (`gatewayUrls`), so requests spread over every replica as behind a load balancer.
   */
  readonly replicas?: number;
  /** Units of demo stock per demo variant (default 25). */
  readonly demoStock?: number;
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
  /** One gateway per replica pair; `gatewayUrl` is the first. */
  readonly gatewayUrls: readonly string[];
  readonly gatewayOrigin: string;
  readonly catalog: RunningServer;
  readonly catalogDatabaseUrl: string;
  readonly accounts: RunningServer;
  readonly accountsDatabaseUrl: string;
  /** The first inventory and orders replicas (named after their subgraph, as catalog and accounts are). */
  readonly inventory: { readonly url: string };
  readonly orders: { readonly url: string };
  readonly payments: RunningServer;
  readonly shipping: RunningServer;
  readonly promotions: RunningServer;
  /** Where each inventory and orders replica listens. */
  readonly inventoryUrls: readonly string[];
  readonly ordersUrls: readonly string[];
  readonly inventoryDatabaseUrl: string;
  readonly ordersDatabaseUrl: string;
  readonly paymentsDatabaseUrl: string;
  readonly shippingDatabaseUrl: string;
  readonly promotionsDatabaseUrl: string;
  /** The embedded event bus every service of the stack shares. */
  readonly busDatabaseUrl: string;
  /** The seeded demo variants (each with `demoStock` units). */
  readonly demoVariants: readonly { readonly id: string; readonly sku: string }[];
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

/** A running replica of a subgraph, in this process or its own. */
interface Replica {
  readonly url: string;
  stop(): Promise<void>;
}

/** `count` replicas of inventory or orders: in this process for one, separate processes for more. */
async function replicas(name: 'inventory' | 'orders', count: number, env: Record<string, string>): Promise<Replica[]> {
  if (count === 1) {
    const port = { [`${name.toUpperCase()}_PORT`]: '0' };
    return [name === 'inventory' ? await startInventory(loadInventoryConfig({ ...env, ...port })) : await startOrders(loadOrdersConfig({ ...env, ...port }))];
  }
  const results = await Promise.allSettled(Array.from({ length: count }, () => startServiceProcess(name, env)));
  const started = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) {
    await Promise.all(started.map((replica) => replica.stop()));
    throw failure.reason;
  }
  return started;
}

export async function startShopTestStack(options: ShopTestStackOptions = {}): Promise<ShopTestStack> {
  const count = options.replicas ?? 1;
  const [catalogDatabase, accountsDatabase, inventoryDatabase, ordersDatabase, paymentsDatabase, shippingDatabase, promotionsDatabase, busDatabase, auth, folder] =
    await Promise.all([
      createTestDatabase('e2e'),
      createTestDatabase('e2e_accounts'),
      createTestDatabase('e2e_inventory'),
      createTestDatabase('e2e_orders'),
      createTestDatabase('e2e_payments'),
      createTestDatabase('e2e_shipping'),
      createTestDatabase('e2e_promotions'),
      createTestDatabase('e2e_bus'),
      createTestAuth(),
      mkdtemp(path.join(tmpdir(), 'shop-e2e-')),
    ]);
  const databases = [catalogDatabase, accountsDatabase, inventoryDatabase, ordersDatabase, paymentsDatabase, shippingDatabase, promotionsDatabase, busDatabase];
  // Everything started is stopped again if a later step fails, so a failed start leaves nothing running.
  const teardown: (() => Promise<void>)[] = [
    async () => {
      await Promise.all(databases.map((database) => database.drop()));
      await rm(folder, { recursive: true, force: true });
    },
  ];
  const stopAll = async () => {
    for (const step of teardown.splice(0).reverse()) await step();
  };
  const started = <Server extends { stop(): Promise<void> }>(server: Server): Server => {
    teardown.push(() => server.stop());
    return server;
  };
  try {
    const [demo] = await Promise.all([
      migrateDeploy({ serviceDir: CATALOG_SERVICE_DIR, databaseUrl: catalogDatabase.url }).then(() => seedDemoCatalogAt(catalogDatabase.url)),
      migrateDeploy({ serviceDir: ACCOUNTS_SERVICE_DIR, databaseUrl: accountsDatabase.url }),
      migrateDeploy({ serviceDir: INVENTORY_SERVICE_DIR, databaseUrl: inventoryDatabase.url }),
      migrateDeploy({ serviceDir: ORDERS_SERVICE_DIR, databaseUrl: ordersDatabase.url }),
      migrateDeploy({ serviceDir: PAYMENTS_SERVICE_DIR, databaseUrl: paymentsDatabase.url }),
      migrateDeploy({ serviceDir: SHIPPING_SERVICE_DIR, databaseUrl: shippingDatabase.url }).then(() => seedShippingAt(shippingDatabase.url)),
      migrateDeploy({ serviceDir: PROMOTIONS_SERVICE_DIR, databaseUrl: promotionsDatabase.url }).then(() => seedDemoCouponAt(promotionsDatabase.url)),
    ]);
    await seedDemoStockAt(inventoryDatabase.url, demo.variants, options.demoStock ?? 25);
    const messagesFile = path.join(folder, 'messages.jsonl');
    const common = {
      GATEWAY_SUBGRAPH_SECRET: TEST_SECRET,
      JWT_ISSUER: auth.audience.issuer,
      JWT_AUDIENCE: auth.audience.audience,
      LOG_LEVEL: 'silent',
      BUS_DATABASE_URL: busDatabase.url,
      OUTBOX_POLL_INTERVAL_MS: '200',
      BUS_POOL_SIZE: '2',
      // Seven services (and replicas) on one test server: small pools keep the stack well under
      // PostgreSQL's default 100 connections.
      ...Object.fromEntries(['CATALOG', 'ACCOUNTS', 'INVENTORY', 'ORDERS', 'PAYMENTS', 'SHIPPING', 'PROMOTIONS'].map((name) => [`${name}_DB_POOL_SIZE`, '3'])),
    };
    const catalog = started(await startCatalog(loadCatalogConfig({ ...common, CATALOG_DATABASE_URL: catalogDatabase.url, CATALOG_PORT: '0', ...options.catalogEnv })));
    const accounts = started(await startAccounts(
      loadAccountsConfig({
        ...common,
        ACCOUNTS_DATABASE_URL: accountsDatabase.url,
        ACCOUNTS_PORT: '0',
        JWT_SIGNING_KEYS: JSON.stringify(await signingKeys(auth, options.rotateSigningKey ?? false)),
        MESSAGES_FILE: messagesFile,
        RATE_LIMIT_SCALE: String(options.rateLimitScale ?? 1),
        ...options.accountsEnv,
      }),
    ));
    const scale = { RATE_LIMIT_SCALE: String(options.rateLimitScale ?? 1) };
    const inventory = (await replicas('inventory', count, { ...common, INVENTORY_DATABASE_URL: inventoryDatabase.url, ...options.inventoryEnv })).map(started);
    const orders = (await replicas('orders', count, { ...common, ...scale, ORDERS_DATABASE_URL: ordersDatabase.url, ...options.ordersEnv })).map(started);
    // The sandbox page and its webhook go through the gateway, so payments needs the gateway's port first.
    const gatewayPort = await findFreePort();
    const gatewayOrigin = `http://127.0.0.1:${gatewayPort}`;
    const payments = started(await startPayments(
      loadPaymentsConfig({
        ...common,
        PAYMENTS_DATABASE_URL: paymentsDatabase.url,
        PAYMENTS_PORT: '0',
        PAYMENTS_SANDBOX_WEBHOOK_SECRET: TEST_SANDBOX_WEBHOOK_SECRET,
        PAYMENTS_WEBHOOK_URL: `${gatewayOrigin}/webhooks/payments/sandbox`,
        PAYMENTS_PUBLIC_URL: gatewayOrigin,
        ...options.paymentsEnv,
      }),
    ));
    const shipping = started(await startShipping(loadShippingConfig({ ...common, SHIPPING_DATABASE_URL: shippingDatabase.url, SHIPPING_PORT: '0', ...options.shippingEnv })));
    const promotions = started(await startPromotions(
      loadPromotionsConfig({ ...common, ...scale, PROMOTIONS_DATABASE_URL: promotionsDatabase.url, PROMOTIONS_PORT: '0', ...options.promotionsEnv }),
    ));
    const keys = options.jwksFromAccounts ? { JWT_JWKS_URL: new URL(JWKS_PATH, accounts.url).href } : { JWT_JWKS: JSON.stringify(auth.jwks) };
    const gateways = (await Promise.all(
      Array.from({ length: count }, (_, i) =>
        startGateway(
          loadGatewayConfig({
            ...common,
            ...keys,
            PORT: i === 0 ? String(gatewayPort) : '0',
            CATALOG_URL: catalog.url,
            ACCOUNTS_URL: accounts.url,
            INVENTORY_URL: inventory[i]?.url ?? '',
            ORDERS_URL: orders[i]?.url ?? '',
            PAYMENTS_URL: payments.url,
            SHIPPING_URL: shipping.url,
            PROMOTIONS_URL: promotions.url,
            ...options.gatewayEnv,
          }),
        ),
      ),
    )).map(started);
    const gatewayUrls = gateways.map((gateway) => gateway.url);
    return {
      gatewayUrl: gatewayUrls[0] ?? '',
      gatewayUrls,
      gatewayOrigin: (gatewayUrls[0] ?? '').replace(/\/graphql$/, ''),
      catalog,
      catalogDatabaseUrl: catalogDatabase.url,
      accounts,
      accountsDatabaseUrl: accountsDatabase.url,
      inventory: { url: inventory[0]?.url ?? '' },
      orders: { url: orders[0]?.url ?? '' },
      payments,
      shipping,
      promotions,
      inventoryUrls: inventory.map((replica) => replica.url),
      ordersUrls: orders.map((replica) => replica.url),
      inventoryDatabaseUrl: inventoryDatabase.url,
      ordersDatabaseUrl: ordersDatabase.url,
      paymentsDatabaseUrl: paymentsDatabase.url,
      shippingDatabaseUrl: shippingDatabase.url,
      promotionsDatabaseUrl: promotionsDatabase.url,
      busDatabaseUrl: busDatabase.url,
      demoVariants: demo.variants,
      messagesFile,
      auth,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** GraphQL requests a subgraph has answered so far, from its Prometheus counters (what reached it). */
export async function requestsServed(subgraphUrl: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', subgraphUrl))).text();
  return [...text.matchAll(/^graphql_requests_total\{[^}]*\} (\d+)/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
}
