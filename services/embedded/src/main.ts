import { ACCOUNTS_SERVICE_DIR, DEMO_PARTNER, JWKS_PATH, loadAccountsConfig, seedPartnerKeyAt, seedStaffAdminAt, STAFF_ADMIN_EMAIL, startAccounts } from '@shop/accounts';
import { CATALOG_SERVICE_DIR, loadCatalogConfig, seedDemoCatalogAt, startCatalog } from '@shop/catalog';
import { loadGatewayConfig, startGateway } from '@shop/gateway';
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

/** The sign-in lines: the admin's password is shown only when the data directory made it up. */
function signInHelp(config: EmbeddedConfig, secrets: LocalSecrets): string {
  const password = config.seedAdminPassword ? 'the password in SEED_ADMIN_PASSWORD' : `password ${secrets.adminPassword} (kept in ${secretsFile(config.dataDir)})`;
  const partnerKey = config.partnerDemoKey ? 'the key in PARTNER_DEMO_KEY' : `X-Api-Key ${secrets.partnerDemoKey}`;
  return (
    `Staff sign-in: ${STAFF_ADMIN_EMAIL}, ${password}.\nOne-time codes and email links land in ${config.messagesFile}.\n` +
    `Demo partner (${DEMO_PARTNER}, read-only, safelist schemas/persisted-queries/${DEMO_PARTNER}.json): ${partnerKey}.`
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
    const catalogUrl = await databaseFor('catalog', config, postgres);
    const accountsUrl = await databaseFor('accounts', config, postgres);
    const bus: Record<string, string> = config.kafka ? {} : { BUS_DATABASE_URL: await databaseFor('bus', config, postgres) };
    await step('applying catalog migrations', () => migrateDeploy({ serviceDir: CATALOG_SERVICE_DIR, databaseUrl: catalogUrl }));
    await step('applying accounts migrations', () => migrateDeploy({ serviceDir: ACCOUNTS_SERVICE_DIR, databaseUrl: accountsUrl }));
    if (config.seedDemoData) {
      const created = await step('seeding the demo catalogue', () => seedDemoCatalogAt(catalogUrl));
      say(created > 0 ? `    ${created} products created` : '    already seeded, nothing added');
    }
    await step('seeding the staff admin', () => seedStaffAdmin(accountsUrl, config.seedAdminPassword ?? secrets.adminPassword));
    await step('seeding the demo partner key', () => seedPartnerKeyAt(accountsUrl, config.partnerDemoKey ?? secrets.partnerDemoKey));
    const tokens = { JWT_ISSUER: config.tokenAudience.issuer, JWT_AUDIENCE: config.tokenAudience.audience };
    const shared = { GATEWAY_SUBGRAPH_SECRET: secrets.gatewaySubgraphSecret, ...bus };
    const catalog: RunningServer = await step('starting the catalog subgraph', () =>
      startCatalog(loadCatalogConfig(serviceEnv({ ...shared, CATALOG_DATABASE_URL: catalogUrl }))),
    );
    running.push(catalog.stop);
    const accounts: RunningServer = await step('starting the accounts subgraph', () =>
      startAccounts(
        loadAccountsConfig(
          serviceEnv({
            ...shared,
            ...tokens,
            ACCOUNTS_DATABASE_URL: accountsUrl,
            ACCOUNTS_TOKEN_SECRET: secrets.accountsTokenSecret,
            JWT_SIGNING_KEYS: JSON.stringify([secrets.accessTokenKey.privateJwk]),
            MESSAGES_FILE: config.messagesFile,
            EMAIL_VERIFICATION_URL: config.emailVerificationUrl,
          }),
        ),
      ),
    );
    running.push(accounts.stop);
    const gateway = await step('starting the gateway', () =>
      startGateway(
        loadGatewayConfig(
          serviceEnv({ ...shared, ...tokens, CATALOG_URL: catalog.url, ACCOUNTS_URL: accounts.url, JWT_JWKS_URL: new URL(JWKS_PATH, accounts.url).href }),
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
