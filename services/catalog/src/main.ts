import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import {
  createCacheStore,
  createEventBus,
  createServerMetrics,
  startOutboxRelay,
  registerConsumerMetrics,
  createPool,
  createPrismaClient,
  exitOnConfigError,
  serviceLogger,
  startSubgraph,
  stopOnSignals,
  VersionedCache,
  type RequestContext,
  type RunningServer,
  StatementCounter,
} from '@shop/platform';
import type { CatalogContext } from './catalog.context';
import { loadCatalogConfig, type CatalogConfig } from './config';
import { PrismaClient } from './generated/prisma/client';
import { invalidateCacheOnCatalogChanges } from './events/product-cache.consumer';
import { CATALOG_SOURCE } from './events/product.events';
import { catalogRules } from './permissions';
import { ProductCommandService } from './product-command.service';
import { ProductQueryService, type CatalogCaches } from './product-query.service';
import { ProductRepository } from './product.repository';
import { resolvers } from './resolvers';

/** The catalog's SDL, read from the source tree (the same file for `src` and `dist`). */
export const catalogSdl = readFileSync(path.join(__dirname, '../src/schema.graphql'), 'utf8');

/** Options for tests and benchmarks. */
export interface CatalogStartOptions {
  /** Sees every SQL statement (CAT-3 tests count them). */
  readonly statementCounter?: StatementCounter;
}

/** Wiring: config -> database -> caches -> services -> server. */
export async function startCatalog(config: CatalogConfig, options: CatalogStartOptions = {}): Promise<RunningServer> {
  const log = serviceLogger('catalog');
  const statements = options.statementCounter ?? new StatementCounter();
  const pool = createPool({ url: config.databaseUrl, poolSize: config.poolSize }, statements);
  const db = createPrismaClient(PrismaClient, pool);
  // Keys name the database, so catalogs on different databases never share cached values.
  const prefix = `catalog:${createHash('sha256').update(config.databaseUrl).digest('hex').slice(0, 12)}`;
  const store = createCacheStore({ redisUrl: config.redisUrl, prefix });
  const cache = <Value>() => new VersionedCache<Value>(store, 'catalog', config.cacheTtlSeconds, log);
  const caches: CatalogCaches = { products: cache(), pages: cache(), categories: cache(), markets: cache() };
  const repository = new ProductRepository(db);
  const productQueries = new ProductQueryService(repository, caches);
  const invalidate = () => caches.products.invalidate();
  const productCommands = new ProductCommandService(db, repository, invalidate, log);
  const metrics = createServerMetrics('catalog');
  registerConsumerMetrics(metrics.registry);
  const bus = await createEventBus(config.events, 'catalog', log);
  const relay = await startOutboxRelay({ databaseUrl: config.databaseUrl, source: CATALOG_SOURCE, bus, settings: config.events, log, registry: metrics.registry });
  const cacheSubscription = bus ? await invalidateCacheOnCatalogChanges(bus, invalidate, log) : null;

  return startSubgraph<CatalogContext>({
    name: 'catalog',
    typeDefs: parse(catalogSdl),
    resolvers,
    rules: catalogRules,
    host: config.host,
    port: config.port,
    identitySecret: config.identitySecret,
    pool,
    statements,
    createContext: (base: RequestContext) => ({ ...base, productQueries, productCommands }),
    metrics,
    readinessChecks: bus ? { bus: () => bus.ping() } : {},
    otlpEndpoint: config.otlpEndpoint,
    onStop: async () => {
      await cacheSubscription?.stop();
      await relay?.stop();
      await bus?.close();
      await db.$disconnect();
      await pool.end();
      await store.close();
    },
  });
}

if (require.main === module) {
  void exitOnConfigError(async () => {
    const server = await startCatalog(loadCatalogConfig());
    stopOnSignals([server.stop]);
  });
}
