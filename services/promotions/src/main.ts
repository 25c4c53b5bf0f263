import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import {
  createEventBus,
  createPool,
  createPrismaClient,
  createRateLimitStore,
  createServerMetrics,
  exitOnConfigError,
  RateLimiter,
  registerConsumerMetrics,
  serviceLogger,
  startOutboxRelay,
  startSubgraph,
  StatementCounter,
  stopOnSignals,
  type RateLimitStore,
  type RequestContext,
  type RunningServer,
  startSweeper,
} from '@shop/platform';
import { AffiliateService } from './affiliate.service';
import { loadPromotionsConfig, type PromotionsConfig } from './config';
import { CouponService } from './coupon.service';
import { consumeOrderEvents } from './events/order-events.consumer';
import { PROMOTIONS_SOURCE } from './events/promotion.events';
import { PrismaClient } from './generated/prisma/client';
import { promotionsRules } from './permissions';
import type { PromotionsContext } from './promotions.context';
import { RedemptionService } from './redemption.service';
import { resolvers } from './resolvers';

/** The promotions SDL, read from the source tree (the same file for `src` and `dist`). */
export const promotionsSdl = readFileSync(path.join(__dirname, '../src/schema.graphql'), 'utf8');

/** Options for tests. */
export interface PromotionsStartOptions {
  /** Where rate-limit hits are counted (tests share one store between replicas). */
  readonly rateLimitStore?: RateLimitStore;
}

/** A running promotions subgraph, with its saga steps (tests drive them). */
export interface PromotionsServer extends RunningServer {
  readonly redemptions: RedemptionService;
}

/** Wiring: config -> database -> limits -> services -> consumer, relay, sweeper -> server. */
export async function startPromotions(config: PromotionsConfig, options: PromotionsStartOptions = {}): Promise<PromotionsServer> {
  const log = serviceLogger('promotions');
  const statements = new StatementCounter();
  const pool = createPool({ url: config.databaseUrl, poolSize: config.poolSize }, statements);
  const db = createPrismaClient(PrismaClient, pool);
  const limitStore = options.rateLimitStore ?? createRateLimitStore({ redisUrl: config.redisUrl, prefix: 'promotions:limits' });
  const limiter = new RateLimiter(limitStore, config.limits.scale);
  const couponLimits = {
    perClient: { name: 'promotions:coupon-check-per-client', limit: config.limits.couponChecksPerClientPerHour, windowSeconds: 3600 },
    perCustomer: { name: 'promotions:coupon-check-per-customer', limit: config.limits.couponChecksPerCustomerPerHour, windowSeconds: 3600 },
  };
  const coupons = new CouponService(db, limiter, couponLimits);
  const affiliates = new AffiliateService(db, config.defaultCommissionBp);
  const redemptions = new RedemptionService(db, { ttlSeconds: config.redemptionTtlSeconds, graceSeconds: config.redemptionGraceSeconds });
  const metrics = createServerMetrics('promotions');
  registerConsumerMetrics(metrics.registry);
  const bus = await createEventBus(config.events, 'promotions', log);
  const relay = await startOutboxRelay({ databaseUrl: config.databaseUrl, source: PROMOTIONS_SOURCE, bus, settings: config.events, log, registry: metrics.registry });
  const subscription = bus ? await consumeOrderEvents(bus, redemptions, log) : null;
  const sweeper = startSweeper('redemption sweep', config.sweepIntervalMs, () => redemptions.sweepExpired(log), log);

  const server = await startSubgraph<PromotionsContext>({
    name: 'promotions',
    typeDefs: parse(promotionsSdl),
    resolvers,
    rules: promotionsRules,
    host: config.host,
    port: config.port,
    identitySecret: config.identitySecret,
    pool,
    statements,
    createContext: (base: RequestContext) => ({ ...base, coupons, affiliates }),
    metrics,
    readinessChecks: bus ? { bus: () => bus.ping() } : {},
    otlpEndpoint: config.otlpEndpoint,
    onStop: async () => {
      await sweeper.stop();
      await subscription?.stop();
      await relay?.stop();
      await bus?.close();
      await db.$disconnect();
      await pool.end();
      if (!options.rateLimitStore) await limitStore.close();
    },
  });
  return Object.assign(server, { redemptions });
}

if (require.main === module) {
  void exitOnConfigError(async () => {
    const server = await startPromotions(loadPromotionsConfig());
    stopOnSignals([server.stop]);
  });
}
