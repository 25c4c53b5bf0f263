import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import {
  createEventBus,
  createPool,
  createPrismaClient,
  createServerMetrics,
  exitOnConfigError,
  registerConsumerMetrics,
  serviceLogger,
  startOutboxRelay,
  startSubgraph,
  stopOnSignals,
  StatementCounter,
  type RequestContext,
  type RunningServer,
  startSweeper,
} from '@shop/platform';
import { loadInventoryConfig, type InventoryConfig } from './config';
import { consumeCatalogEvents } from './events/catalog-events.consumer';
import { consumeOrderEvents } from './events/order-events.consumer';
import { INVENTORY_SOURCE } from './events/stock.events';
import { PrismaClient } from './generated/prisma/client';
import type { InventoryContext } from './inventory.context';
import { inventoryRules } from './permissions';
import { ReservationService } from './reservation.service';
import { resolvers } from './resolvers';
import { auditStock } from './stock-audit';
import { StockCommandService } from './stock-command.service';
import { StockQueryService } from './stock-query.service';
import { StockRepository } from './stock.repository';

/** The inventory's SDL, read from the source tree (the same file for `src` and `dist`). */
export const inventorySdl = readFileSync(path.join(__dirname, '../src/schema.graphql'), 'utf8');

/** Options for tests and benchmarks. */
export interface InventoryStartOptions {
  /** Sees every SQL statement (batching tests count them). */
  readonly statementCounter?: StatementCounter;
}

/** Wiring: config -> database -> services -> consumers, sweeper -> server. */
export async function startInventory(config: InventoryConfig, options: InventoryStartOptions = {}): Promise<RunningServer> {
  const log = serviceLogger('inventory');
  const statements = options.statementCounter ?? new StatementCounter();
  const pool = createPool({ url: config.databaseUrl, poolSize: config.poolSize }, statements);
  const db = createPrismaClient(PrismaClient, pool);
  const stock = new StockRepository(config.lowStockThreshold);
  const reservations = new ReservationService(db, stock, { ttlSeconds: config.reservationTtlSeconds, defaultWarehouse: config.defaultWarehouse });
  const stockQueries = new StockQueryService(db, stock);
  const stockCommands = new StockCommandService(db, stock, config.defaultWarehouse);
  const metrics = createServerMetrics('inventory');
  registerConsumerMetrics(metrics.registry);
  const bus = await createEventBus(config.events, 'inventory', log);
  const relay = await startOutboxRelay({ databaseUrl: config.databaseUrl, source: INVENTORY_SOURCE, bus, settings: config.events, log, registry: metrics.registry });
  const orderSubscription = bus ? await consumeOrderEvents(bus, reservations, log) : null;
  const catalogSubscription = bus ? await consumeCatalogEvents(bus, db) : null;
  const sweeper = startSweeper('reservation sweep', config.sweepIntervalMs, () => reservations.sweepExpired(log), log);

  return startSubgraph<InventoryContext>({
    name: 'inventory',
    typeDefs: parse(inventorySdl),
    resolvers,
    rules: inventoryRules,
    host: config.host,
    port: config.port,
    identitySecret: config.identitySecret,
    pool,
    statements,
    createContext: (base: RequestContext) => ({ ...base, stockQueries, stockCommands, audit: () => auditStock(db) }),
    metrics,
    readinessChecks: bus ? { bus: () => bus.ping() } : {},
    otlpEndpoint: config.otlpEndpoint,
    onStop: async () => {
      await sweeper.stop();
      await orderSubscription?.stop();
      await catalogSubscription?.stop();
      await relay?.stop();
      await bus?.close();
      await db.$disconnect();
      await pool.end();
    },
  });
}

if (require.main === module) {
  void exitOnConfigError(async () => {
    const server = await startInventory(loadInventoryConfig());
    stopOnSignals([server.stop]);
  });
}
