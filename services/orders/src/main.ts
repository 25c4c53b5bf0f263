import { randomUUID } from 'node:crypto';
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
  type RequestContext,
  type RunningServer,
  ScheduledJob,
} from '@shop/platform';
import { CartRepository } from './cart.repository';
import { CartService } from './cart.service';
import { CatalogVariantRepository } from './catalog-variant.repository';
import { CheckoutService } from './checkout/checkout.service';
import { loadOrdersConfig, type OrdersConfig } from './config';
import { consumeCatalogEvents } from './events/catalog.consumer';
import { consumeInventoryEvents } from './events/inventory.consumer';
import { consumePaymentsEvents } from './events/payments.consumer';
import { consumePromotionsEvents } from './events/promotions.consumer';
import { consumeShippingEvents } from './events/shipping.consumer';
import { ORDERS_SOURCE } from './events/order.events';
import { PrismaClient } from './generated/prisma/client';
import { ABANDONED_CART_JOB, sweepAbandonedCarts } from './jobs/abandoned-cart.job';
import { completeDeliveredOrders, ORDER_COMPLETION_JOB } from './jobs/order-completion.job';
import { auditOrders } from './order-audit';
import { OrderRepository } from './order.repository';
import { OrderService } from './order.service';
import type { OrdersContext } from './orders.context';
import { ordersRules } from './permissions';
import { discountsFromPromotions } from './pricing/pricing';
import { resolvers } from './resolvers';
import { QuotedShippingPolicy } from './shipping/quoted-shipping.policy';
import { ShippingQuoteService } from './shipping/shipping-quote.service';
import { ShippingRatesRepository } from './shipping/shipping-rates.repository';

/** The orders SDL, read from the source tree (the same file for `src` and `dist`). */
export const ordersSdl = readFileSync(path.join(__dirname, '../src/schema.graphql'), 'utf8');

/** A running orders subgraph, with the services other parts of the system drive by events (and tests). */
export interface OrdersServer extends RunningServer {
  readonly orders: OrderService;
  readonly cartSweep: ScheduledJob;
  readonly completionJob: ScheduledJob;
}

/** Wiring: config -> database -> limits -> services -> consumers, relay, jobs -> server. */
export async function startOrders(config: OrdersConfig): Promise<OrdersServer> {
  const log = serviceLogger('orders');
  const statements = new StatementCounter();
  const pool = createPool({ url: config.databaseUrl, poolSize: config.poolSize }, statements);
  const db = createPrismaClient(PrismaClient, pool);
  const limitStore = createRateLimitStore({ redisUrl: config.redisUrl, prefix: 'orders:limits' });
  const limiter = new RateLimiter(limitStore, config.limits.scale);
  const trackRule = { name: 'orders:track-order-per-client', limit: config.limits.trackOrderPerClientPerHour, windowSeconds: 3600 };
  const cartRepository = new CartRepository(db);
  const variants = new CatalogVariantRepository(db);
  const orderRepository = new OrderRepository(db);
  const carts = new CartService(db, cartRepository, variants, config.cartMaxQuantity);
  const shippingRates = new ShippingRatesRepository(db);
  const pricing = { taxRates: config.taxRates, discounts: discountsFromPromotions, shipping: new QuotedShippingPolicy(shippingRates, config.shippingQuotes) };
  const shippingQuotes = new ShippingQuoteService(carts, variants, shippingRates, config.shippingQuotes);
  const checkout = new CheckoutService(db, cartRepository, carts, variants, orderRepository, pricing);
  const orders = new OrderService(db, orderRepository, limiter, trackRule, config.cancelWindowMinutes);
  const audit = () => auditOrders(db);
  const metrics = createServerMetrics('orders');
  registerConsumerMetrics(metrics.registry);
  const bus = await createEventBus(config.events, 'orders', log);
  const relay = await startOutboxRelay({ databaseUrl: config.databaseUrl, source: ORDERS_SOURCE, bus, settings: config.events, log, registry: metrics.registry });
  const subscriptions = bus ? [await consumeCatalogEvents(bus, db, log), await consumeInventoryEvents(bus, db, orderRepository, log), await consumePromotionsEvents(bus, db, orderRepository, log), await consumeShippingEvents(bus, db, shippingRates, log), await consumePaymentsEvents(bus, db, log)] : [];
  const sweep = () => sweepAbandonedCarts(db, { reminderHours: config.cartReminderHours, purgeDays: config.cartPurgeDays }, log);
  const cartSweep = new ScheduledJob(db, ABANDONED_CART_JOB, config.cartSweepIntervalMs, sweep, `orders-${process.pid}-${randomUUID()}`, log);
  cartSweep.start();
  const complete = () => completeDeliveredOrders(db, config.returnWindowDays, log);
  const completionJob = new ScheduledJob(db, ORDER_COMPLETION_JOB, config.completionIntervalMs, complete, `orders-${process.pid}-${randomUUID()}`, log);
  completionJob.start();

  const server = await startSubgraph<OrdersContext>({
    name: 'orders',
    typeDefs: parse(ordersSdl),
    resolvers,
    rules: ordersRules,
    host: config.host,
    port: config.port,
    identitySecret: config.identitySecret,
    pool,
    statements,
    createContext: (base: RequestContext) => ({ ...base, carts, checkout, orders, audit, shippingQuotes }),
    metrics,
    readinessChecks: bus ? { bus: () => bus.ping() } : {},
    otlpEndpoint: config.otlpEndpoint,
    onStop: async () => {
      await cartSweep.stop();
      await completionJob.stop();
      for (const subscription of subscriptions) await subscription.stop();
      await relay?.stop();
      await bus?.close();
      await db.$disconnect();
      await pool.end();
      await limitStore.close();
    },
  });
  return Object.assign(server, { orders, cartSweep, completionJob });
}

if (require.main === module) {
  void exitOnConfigError(async () => {
    const server = await startOrders(loadOrdersConfig());
    stopOnSignals([server.stop]);
  });
}
