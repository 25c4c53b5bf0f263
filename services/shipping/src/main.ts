import { randomUUID } from 'node:crypto';
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
  ScheduledJob,
  serviceLogger,
  startOutboxRelay,
  startSubgraph,
  StatementCounter,
  stopOnSignals,
  type RequestContext,
  type RunningServer,
} from '@shop/platform';
import type { Carrier } from './carriers/carrier';
import { SandboxCarrier } from './carriers/sandbox-carrier';
import { loadShippingConfig, type ShippingConfig } from './config';
import { consumeOrderEvents } from './events/order-events.consumer';
import { SHIPPING_SOURCE } from './events/shipping.events';
import { PrismaClient } from './generated/prisma/client';
import { shippingRules } from './permissions';
import { RateAdminService } from './rate-admin.service';
import { RateTableRepository } from './rate-table.repository';
import { resolvers } from './resolvers';
import { ShipmentBooking } from './shipment-booking';
import { ShipmentService } from './shipment.service';
import type { ShippingContext } from './shipping.context';

/** The shipping SDL, read from the source tree (the same file for `src` and `dist`). */
export const shippingSdl = readFileSync(path.join(__dirname, '../src/schema.graphql'), 'utf8');

/** The background booking job's row in `scheduled_job`. */
export const SHIPMENT_BOOKING_JOB = 'shipment-booking';

/** Options for tests: another carrier (one that fails, hangs or recovers). */
export interface ShippingStartOptions {
  readonly carrier?: Carrier;
}

/** A running shipping subgraph, with what tests drive directly. */
export interface ShippingServer extends RunningServer {
  readonly booking: ShipmentBooking;
  readonly bookingJob: ScheduledJob;
}

/** Wiring: config -> database -> carrier -> services -> consumers, relay, booking job -> server. */
export async function startShipping(config: ShippingConfig, options: ShippingStartOptions = {}): Promise<ShippingServer> {
  const log = serviceLogger('shipping');
  const statements = new StatementCounter();
  const pool = createPool({ url: config.databaseUrl, poolSize: config.poolSize }, statements);
  const db = createPrismaClient(PrismaClient, pool);
  const carrier = options.carrier ?? new SandboxCarrier();
  const booking = new ShipmentBooking(db, carrier, { ...config.carrier, backoffMs: config.bookingBackoffMs }, log);
  const shipments = new ShipmentService(db, carrier, booking);
  const rates = new RateAdminService(db, new RateTableRepository(db));
  const metrics = createServerMetrics('shipping');
  registerConsumerMetrics(metrics.registry);
  const bus = await createEventBus(config.events, 'shipping', log);
  const relay = await startOutboxRelay({ databaseUrl: config.databaseUrl, source: SHIPPING_SOURCE, bus, settings: config.events, log, registry: metrics.registry });
  const orderSubscription = bus ? await consumeOrderEvents(bus, shipments, log) : null;
  const bookingJob = new ScheduledJob(db, SHIPMENT_BOOKING_JOB, config.bookingIntervalMs, () => booking.bookDue(), `shipping-${process.pid}-${randomUUID()}`, log);
  bookingJob.start();

  const server = await startSubgraph<ShippingContext>({
    name: 'shipping',
    typeDefs: parse(shippingSdl),
    resolvers,
    rules: shippingRules,
    host: config.host,
    port: config.port,
    identitySecret: config.identitySecret,
    pool,
    statements,
    createContext: (base: RequestContext) => ({ ...base, rates, shipments }),
    metrics,
    readinessChecks: bus ? { bus: () => bus.ping() } : {},
    otlpEndpoint: config.otlpEndpoint,
    onStop: async () => {
      await bookingJob.stop();
      await orderSubscription?.stop();
      await relay?.stop();
      await bus?.close();
      await db.$disconnect();
      await pool.end();
    },
  });
  return Object.assign(server, { booking, bookingJob });
}

if (require.main === module) {
  void exitOnConfigError(async () => {
    const server = await startShipping(loadShippingConfig());
    stopOnSignals([server.stop]);
  });
}
