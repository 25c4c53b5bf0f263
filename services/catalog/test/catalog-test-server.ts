import {
  ANONYMOUS,
  IDENTITY_HEADER,
  signIdentity,
  StatementCounter,
  type Identity,
  type RunningServer,
} from '@shop/platform';
import { createTestDatabase, postGraphQL, type GraphQLAnswer } from '@shop/platform/testing';
import { migrateDeploy } from '@shop/platform';
import { CATALOG_SERVICE_DIR, loadCatalogConfig, seedDemoCatalogAt, startCatalog } from '../src';

const SECRET = 'test-gateway-subgraph-secret-of-at-least-32-bytes';

/** A fresh, migrated catalog database; seeded with the demo catalogue unless told otherwise. */
export async function createCatalogDatabase(options: { seed?: boolean } = {}) {
  const database = await createTestDatabase('catalog');
  await migrateDeploy({ serviceDir: CATALOG_SERVICE_DIR, databaseUrl: database.url });
  if (options.seed !== false) await seedDemoCatalogAt(database.url);
  return database;
}

/** A running catalog subgraph on a free port, and a client that signs identities like the gateway. */
export interface TestCatalog {
  readonly server: RunningServer;
  readonly statements: StatementCounter;
  call<Data = Record<string, unknown>>(
    query: string,
    options?: { variables?: Record<string, unknown>; identity?: Identity },
  ): Promise<GraphQLAnswer<Data>>;
  stop(): Promise<void>;
}

/** Starts the catalog on `databaseUrl` (several may share one database, like replicas). */
export async function startTestCatalog(
  databaseUrl: string,
  options: { cacheTtlSeconds?: number; redisUrl?: string; busDatabaseUrl?: string } = {},
): Promise<TestCatalog> {
  const statements = new StatementCounter(true);
  const config = loadCatalogConfig({
    CATALOG_DATABASE_URL: databaseUrl,
    CATALOG_PORT: '0',
    CATALOG_CACHE_TTL_SECONDS: String(options.cacheTtlSeconds ?? 60),
    REDIS_URL: options.redisUrl ?? '',
    BUS_DATABASE_URL: options.busDatabaseUrl ?? '',
    OUTBOX_POLL_INTERVAL_MS: '200',
    GATEWAY_SUBGRAPH_SECRET: SECRET,
    LOG_LEVEL: 'silent',
  });
  const server = await startCatalog(config, { statementCounter: statements });
  return {
    server,
    statements,
    call: (query, callOptions = {}) =>
      postGraphQL(server.url, query, {
        variables: callOptions.variables,
        headers: { [IDENTITY_HEADER]: signIdentity(callOptions.identity ?? ANONYMOUS, SECRET) },
      }),
    stop: () => server.stop(),
  };
}

/** Callers for permission tests. */
export const staff: Identity = { userId: 'staff-1', roles: ['STAFF'] };
export const customer: Identity = { userId: 'customer-1', roles: ['CUSTOMER'] };
