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
import { loadPaymentsConfig, type PaymentsConfig } from './config';
import { consumeOrderEvents } from './events/order-events.consumer';
import { PAYMENTS_SOURCE } from './events/payment.events';
import { PrismaClient } from './generated/prisma/client';
import { reconcilePendingPayments, RECONCILE_JOB } from './jobs/reconcile.job';
import { PaymentService } from './payment.service';
import type { PaymentsContext } from './payments.context';
import { paymentsRules } from './permissions';
import { defaultProviders, ProviderRegistry } from './providers';
import type { PaymentProvider } from './providers/payment-provider';
import { RefundService } from './refund.service';
import { resolvers } from './resolvers';
import { sandboxPageRoutes } from './sandbox-page.route';
import { WalletService } from './wallet.service';
import { webhookPath, webhookRoute } from './webhook.route';

/** The payments SDL, read from the source tree (the same file for `src` and `dist`). */
export const paymentsSdl = readFileSync(path.join(__dirname, '../src/schema.graphql'), 'utf8');

/** Options for tests: other providers (fakes of a gateway), a clock for the breakers. */
export interface PaymentsStartOptions {
  readonly providers?: readonly PaymentProvider[];
  readonly now?: () => number;
}

/** A running payments subgraph, with what tests and the embedded runner drive directly. */
export interface PaymentsServer extends RunningServer {
  readonly payments: PaymentService;
  readonly refunds: RefundService;
  readonly providers: ProviderRegistry;
  readonly reconcile: ScheduledJob;
}

/**
 * Wiring: config -> database -> providers -> services -> consumer, relay, reconciliation -> server
 * with the GraphQL endpoint, the webhooks (`POST /webhooks/payments/<provider>`) and the hosted
 * sandbox page (`GET|POST /pay/sandbox/<paymentId>`).
 */
export async function startPayments(config: PaymentsConfig, options: PaymentsStartOptions = {}): Promise<PaymentsServer> {
  const log = serviceLogger('payments');
  const statements = new StatementCounter();
  const pool = createPool({ url: config.databaseUrl, poolSize: config.poolSize }, statements);
  const db = createPrismaClient(PrismaClient, pool);
  const sandbox = { webhookSecret: config.sandboxWebhookSecret, toleranceSeconds: config.webhookToleranceSeconds, publicUrl: config.publicUrl };
  const providerList = options.providers ?? defaultProviders(sandbox, config.stripe);
  const providers = new ProviderRegistry(providerList, { ...config.provider, now: options.now });
  const refunds = new RefundService(db, providers, log);
  const payments = new PaymentService(db, providers, refunds, config.publicUrl, log);
  const wallets = new WalletService(db);
  const metrics = createServerMetrics('payments');
  registerConsumerMetrics(metrics.registry);
  const bus = await createEventBus(config.events, 'payments', log);
  const relay = await startOutboxRelay({ databaseUrl: config.databaseUrl, source: PAYMENTS_SOURCE, bus, settings: config.events, log, registry: metrics.registry });
  const subscription = bus ? await consumeOrderEvents(bus, db, refunds, log) : null;
  const reconcileOptions = { stuckAfterSeconds: Math.min(60, config.paymentTimeoutSeconds), timeoutSeconds: config.paymentTimeoutSeconds };
  const reconcile = new ScheduledJob(db, RECONCILE_JOB, config.reconcileIntervalMs, () => reconcilePendingPayments(db, providers, payments, reconcileOptions, log), `payments-${process.pid}-${randomUUID()}`, log);
  reconcile.start();
  const webhooks = Object.fromEntries(
    providerList.filter((p) => p.verifyWebhook).map((p) => [`POST ${webhookPath(p.name)}`, webhookRoute(p.name, payments, log, options.now)]),
  );

  const server = await startSubgraph<PaymentsContext>({
    name: 'payments',
    typeDefs: parse(paymentsSdl),
    resolvers,
    rules: paymentsRules,
    host: config.host,
    port: config.port,
    identitySecret: config.identitySecret,
    pool,
    statements,
    createContext: (base: RequestContext) => ({ ...base, payments, refunds, wallets }),
    metrics,
    routes: { ...webhooks, ...sandboxPageRoutes(payments, { webhookUrl: config.webhookUrl, webhookSecret: config.sandboxWebhookSecret }, log) },
    readinessChecks: bus ? { bus: () => bus.ping() } : {},
    otlpEndpoint: config.otlpEndpoint,
    onStop: async () => {
      await reconcile.stop();
      await subscription?.stop();
      await relay?.stop();
      await bus?.close();
      await db.$disconnect();
      await pool.end();
    },
  });
  return Object.assign(server, { payments, refunds, providers, reconcile });
}

if (require.main === module) {
  void exitOnConfigError(async () => {
    const server = await startPayments(loadPaymentsConfig());
    stopOnSignals([server.stop]);
  });
}
