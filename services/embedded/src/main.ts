import { ACCOUNTS_SERVICE_DIR, DEMO_PARTNER, JWKS_PATH, loadAccountsConfig, seedPartnerKeyAt, seedStaffAdminAt, STAFF_ADMIN_EMAIL, startAccounts } from '@shop/accounts';
import { CATALOG_SERVICE_DIR, loadCatalogConfig, seedDemoCatalogAt, startCatalog } from '@shop/catalog';
import { loadGatewayConfig, startGateway } from '@shop/gateway';
import { INVENTORY_SERVICE_DIR, loadInventoryConfig, seedDemoStockAt, startInventory } from '@shop/inventory';
import { loadOrdersConfig, ORDERS_SERVICE_DIR, startOrders } from '@shop/orders';
import { loadPaymentsConfig, PAYMENTS_SERVICE_DIR, startPayments } from '@shop/payments';
import { DEMO_COUPON_CODE, loadPromotionsConfig, PROMOTIONS_SERVICE_DIR, seedDemoCouponAt, startPromotions } from '@shop/promotions';
import { loadShippingConfig, seedShippingAt, SHIPPING_SERVICE_DIR, startShipping } from '@shop/shipping';
import {
  BusinessError,
  createDatabaseIfMissing,
  exitOnConfigError,
  migrateDeploy,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
  type RunningServer,
} from '@shop/platform';
import { loadEmbeddedConfig, serviceEnv, type EmbeddedConfig } from './config';
import { loadOrCreateSecrets, secretsFile, type LocalSecrets } from './local-secrets';
import { say, step } from './progress';

/** The embedded server, started only when some service has no database URL of its own. */
async function databaseServer(config: EmbeddedConfig): Promise<EmbeddedPostgres | null> {
  if (Object.values(config.databaseUrls).every(Boolean)) return null;
  return step('starting embedded PostgreSQL', () =>
    startEmbeddedPostgres({ dataDir: config.dataDir, port: config.postgresPort, handleSignals: false, log: (line) => say(`    ${line}`) }),
  );
}

/** A service's database: the configured URL, or `shop_<service>` on the embedded server. */
async function databaseFor(service: string, config: EmbeddedConfig, postgres: EmbeddedPostgres | null): Promise<string> {
  const configured = config.databaseUrls[service];
  if (configured) return configured;
  if (!postgres) throw new Error(`no database for ${service}`);
  await createDatabaseIfMissing(postgres.adminUrl, `shop_${service}`);
  return postgres.urlFor(`shop_${service}`);
}

/** Every service with a database, and the folder its migrations are in. */
const SERVICE_DIRS = {
  catalog: CATALOG_SERVICE_DIR,
  accounts: ACCOUNTS_SERVICE_DIR,
  inventory: INVENTORY_SERVICE_DIR,
  orders: ORDERS_SERVICE_DIR,
  payments: PAYMENTS_SERVICE_DIR,
  shipping: SHIPPING_SERVICE_DIR,
  promotions: PROMOTIONS_SERVICE_DIR,
};

/** Each service's database URL, in `names`' order. */
async function databasesFor<Name extends string>(names: readonly Name[], config: EmbeddedConfig, postgres: EmbeddedPostgres | null): Promise<Record<Name, string>> {
  const urls = {} as Record<Name, string>;
  for (const name of names) urls[name] = await databaseFor(name, config, postgres);
  return urls;
}

/** Creates or updates admin@shop.local; a password the policy refuses is reported as SEED_ADMIN_PASSWORD's. */
async function seedStaffAdmin(databaseUrl: string, password: string): Promise<void> {
  try {
    const outcome = await seedStaffAdminAt(databaseUrl, password);
    if (outcome !== 'unchanged') say(`    ${STAFF_ADMIN_EMAIL} ${outcome}`);
  } catch (error) {
    if (error instanceof BusinessError) throw new Error(`SEED_ADMIN_PASSWORD: ${error.message}`, { cause: error });
    throw error;
  }
}

/**
 * Starts every subgraph at once: each joins its event consumer groups, which takes seconds on Kafka,
 * so one after another the waits would add up. All or none: every one that started is in `running`.
 */
async function startSubgraphs<Name extends string>(running: (() => Promise<void>)[], starts: Record<Name, () => Promise<RunningServer>>): Promise<Record<Name, RunningServer>> {
  const names = Object.keys(starts) as Name[];
  const results = await Promise.allSettled(names.map((name) => step(`starting the ${name} subgraph`, starts[name])));
  for (const result of results) if (result.status === 'fulfilled') running.push(result.value.stop);
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
  return Object.fromEntries(names.map((name, i) => [name, (results[i] as PromiseFulfilledResult<RunningServer>).value])) as Record<Name, RunningServer>;
}

/** The sign-in lines: the admin's password is shown only when the data directory made it up. */
function signInHelp(config: EmbeddedConfig, secrets: LocalSecrets): string {
  const password = config.seedAdminPassword ? 'the password in SEED_ADMIN_PASSWORD' : `password ${secrets.adminPassword} (kept in ${secretsFile(config.dataDir)})`;
  const partnerKey = config.partnerDemoKey ? 'the key in PARTNER_DEMO_KEY' : `X-Api-Key ${secrets.partnerDemoKey}`;
  return (
    `Staff sign-in: ${STAFF_ADMIN_EMAIL}, ${password}.\nOne-time codes and email links land in ${config.messagesFile}.\n` +
    `Demo partner (${DEMO_PARTNER}, read-only, safelist schemas/persisted-queries/${DEMO_PARTNER}.json): ${partnerKey}.\n` +
    `Demo coupon: ${DEMO_COUPON_CODE}. Payments use the sandbox provider: payOrder's redirectUrl opens a page with Pay and Fail buttons.`
  );
}

/**
 * `npm start`: the whole shop on one machine with nothing installed but Node. Starts PostgreSQL
 * under DATA_DIR, migrates and seeds each service's database, then runs every subgraph and the
 * gateway in this one process (each with its own server, schema, database and config).
 */
async function main(): Promise<void> {
  const started = Date.now();
  const config = loadEmbeddedConfig();
  say(`Starting the shop (data in ${config.dataDir})`);
  const secrets = await loadOrCreateSecrets(config.dataDir);
  const running: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of running.reverse()) await stop().catch((error: unknown) => say(`  stop failed: ${String(error)}`));
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(0)));
  process.once('SIGTERM', () => void stopAll().then(() => process.exit(0)));

  try {
    const postgres = await databaseServer(config);
    if (postgres) running.push(() => postgres.stop());
    const urls = await databasesFor(['catalog', 'accounts', 'inventory', 'orders', 'payments', 'shipping', 'promotions'], config, postgres);
    const bus: Record<string, string> = config.kafka ? {} : { BUS_DATABASE_URL: await databaseFor('bus', config, postgres) };
    for (const [service, serviceDir] of Object.entries(SERVICE_DIRS)) {
      await step(`applying ${service} migrations`, () => migrateDeploy({ serviceDir, databaseUrl: urls[service as keyof typeof SERVICE_DIRS] }));
    }
    if (config.seedDemoData) {
      const demo = await step('seeding the demo catalogue', () => seedDemoCatalogAt(urls.catalog));
      say(demo.created > 0 ? `    ${demo.created} products created` : '    already seeded, nothing added');
      const stocked = await step('seeding the demo stock', () => seedDemoStockAt(urls.inventory, demo.variants, config.seedDemoStock));
      if (stocked > 0) say(`    ${stocked} variants stocked with ${config.seedDemoStock} units each`);
      await step('seeding shipping methods and rates', () => seedShippingAt(urls.shipping));
      await step(`seeding the demo coupon ${DEMO_COUPON_CODE}`, () => seedDemoCouponAt(urls.promotions));
    }
    await step('seeding the staff admin', () => seedStaffAdmin(urls.accounts, config.seedAdminPassword ?? secrets.adminPassword));
    await step('seeding the demo partner key', () => seedPartnerKeyAt(urls.accounts, config.partnerDemoKey ?? secrets.partnerDemoKey));
    const tokens = { JWT_ISSUER: config.tokenAudience.issuer, JWT_AUDIENCE: config.tokenAudience.audience };
    const shared = { GATEWAY_SUBGRAPH_SECRET: secrets.gatewaySubgraphSecret, ...bus };
    const subgraphs = await startSubgraphs(running, {
      catalog: () => startCatalog(loadCatalogConfig(serviceEnv({ ...shared, CATALOG_DATABASE_URL: urls.catalog }))),
      accounts: () =>
        startAccounts(
          loadAccountsConfig(
            serviceEnv({
              ...shared,
              ...tokens,
              ACCOUNTS_DATABASE_URL: urls.accounts,
              ACCOUNTS_TOKEN_SECRET: secrets.accountsTokenSecret,
              JWT_SIGNING_KEYS: JSON.stringify([secrets.accessTokenKey.privateJwk]),
              MESSAGES_FILE: config.messagesFile,
              EMAIL_VERIFICATION_URL: config.emailVerificationUrl,
            }),
          ),
        ),
      inventory: () => startInventory(loadInventoryConfig(serviceEnv({ ...shared, INVENTORY_DATABASE_URL: urls.inventory }))),
      orders: () =>
        startOrders(loadOrdersConfig(serviceEnv({ ...shared, ORDERS_DATABASE_URL: urls.orders, SHIPPING_QUOTE_SECRET: secrets.shippingQuoteSecret }))),
      payments: () =>
        startPayments(
          loadPaymentsConfig(
            serviceEnv({
              ...shared,
              PAYMENTS_DATABASE_URL: urls.payments,
              PAYMENTS_SANDBOX_WEBHOOK_SECRET: secrets.sandboxWebhookSecret,
              PAYMENTS_PUBLIC_URL: config.publicUrl,
              PAYMENTS_WEBHOOK_URL: `${config.publicUrl}/webhooks/payments/sandbox`,
            }),
          ),
        ),
      shipping: () => startShipping(loadShippingConfig(serviceEnv({ ...shared, SHIPPING_DATABASE_URL: urls.shipping }))),
      promotions: () => startPromotions(loadPromotionsConfig(serviceEnv({ ...shared, PROMOTIONS_DATABASE_URL: urls.promotions }))),
    });
    const gateway = await step('starting the gateway', () =>
      startGateway(
        loadGatewayConfig(
          serviceEnv({
            ...shared,
            ...tokens,
            ...Object.fromEntries(Object.entries(subgraphs).map(([name, server]) => [`${name.toUpperCase()}_URL`, server.url])),
            JWT_JWKS_URL: new URL(JWKS_PATH, subgraphs.accounts.url).href,
          }),
        ),
      ),
    );
    running.push(gateway.stop);
    say(`\nThe shop is ready at http://localhost:${gateway.port}/graphql (playground: open it in a browser), ` +
      `started in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    say(`${signInHelp(config, secrets)} Stop with Ctrl-C.`);
  } catch (error) {
    await stopAll();
    throw error;
  }
}

void exitOnConfigError(main).catch((error: unknown) => {
  say(`\nStart failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
