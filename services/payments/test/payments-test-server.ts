import { randomUUID } from 'node:crypto';
import {
  ANONYMOUS,
  createPool,
  createPrismaClient,
  eventSchemas,
  IDENTITY_HEADER,
  migrateDeploy,
  serviceLogger,
  signIdentity,
  type EventEnvelope,
  type Identity,
} from '@shop/platform';
import { createTestDatabase, postGraphQL, type GraphQLAnswer, type TestDatabase } from '@shop/platform/testing';
import { loadPaymentsConfig, PAYMENTS_SERVICE_DIR, signSandboxPayload, startPayments, type PaymentsServer, type PaymentsStartOptions } from '../src';
import { applyOrderEvent } from '../src/events/order-events.consumer';
import { PrismaClient } from '../src/generated/prisma/client';

/** The gateway-subgraph secret the test server trusts. */
export const SECRET = 'test-gateway-subgraph-secret-of-at-least-32-bytes';
/** The sandbox webhook secret of the test server. */
export const WEBHOOK_SECRET = 'test-sandbox-webhook-secret-0123456789';

export const log = serviceLogger('payments-test');
log.level = 'silent';

/** How a test calls payments. */
export interface CallOptions {
  readonly variables?: Record<string, unknown>;
  readonly identity?: Identity;
}

type Call = <Data = Record<string, unknown>>(query: string, options?: CallOptions) => Promise<GraphQLAnswer<Data>>;

/** A running payments subgraph on a fresh database. */
export interface TestPayments {
  readonly server: PaymentsServer;
  readonly database: TestDatabase;
  readonly db: PrismaClient;
  /** http://127.0.0.1:<port> of the server (webhooks, hosted page). */
  readonly origin: string;
  readonly call: Call;
  /** A second server on the same database (a replica); stopped with this one. */
  replica(options?: PaymentsStartOptions): Promise<PaymentsServer>;
  /** Feeds an orders event through the real consumer; false for a redelivery. */
  orderEvent(envelope: EventEnvelope): Promise<boolean>;
  stop(): Promise<void>;
}

/** Starts payments on a fresh database; its webhook URL points straight at itself. */
export async function startTestPayments(env: Record<string, string> = {}, options: PaymentsStartOptions = {}): Promise<TestPayments> {
  const database = await createTestDatabase('payments');
  await migrateDeploy({ serviceDir: PAYMENTS_SERVICE_DIR, databaseUrl: database.url });
  const settings: Record<string, string> = {
    PAYMENTS_DATABASE_URL: database.url,
    PAYMENTS_PORT: '0',
    GATEWAY_SUBGRAPH_SECRET: SECRET,
    PAYMENTS_SANDBOX_WEBHOOK_SECRET: WEBHOOK_SECRET,
    LOG_LEVEL: process.env.PAYMENTS_LOG ?? 'silent',
    PAYMENTS_RECONCILE_INTERVAL_MS: '3600000',
    OUTBOX_POLL_INTERVAL_MS: '200',
    ...env,
  };
  let server = await startPayments(loadPaymentsConfig(settings), options);
  // The hosted page calls the webhook; in tests it goes straight to this server, not the gateway.
  if (!env.PAYMENTS_WEBHOOK_URL) {
    const port = server.port;
    await server.stop();
    settings.PAYMENTS_PORT = String(port);
    settings.PAYMENTS_WEBHOOK_URL = `http://127.0.0.1:${port}/webhooks/payments/sandbox`;
    server = await startPayments(loadPaymentsConfig(settings), options);
  }
  const pool = createPool({ url: database.url, poolSize: 4 });
  const db = createPrismaClient(PrismaClient, pool);
  const replicas: PaymentsServer[] = [];
  const running = server;
  return {
    server: running,
    database,
    db,
    origin: `http://127.0.0.1:${running.port}`,
    call: (query, callOptions = {}) =>
      postGraphQL(running.url, query, { variables: callOptions.variables, headers: { [IDENTITY_HEADER]: signIdentity(callOptions.identity ?? ANONYMOUS, SECRET) } }),
    replica: async (replicaOptions = options) => {
      const replica = await startPayments(loadPaymentsConfig({ ...settings, PAYMENTS_PORT: '0' }), replicaOptions);
      replicas.push(replica);
      return replica;
    },
    orderEvent: (envelope) => applyOrderEvent(db, running.refunds, envelope, log),
    stop: async () => {
      for (const replica of replicas) await replica.stop();
      await running.stop();
      await db.$disconnect();
      await pool.end();
      await database.drop();
    },
  };
}

/** An event envelope as a producing service publishes it, checked against its contract. */
export function envelope(source: string, type: string, version: number, aggregateId: string, payload: object): EventEnvelope {
  const event: EventEnvelope = { id: randomUUID(), type, version, occurredAt: new Date().toISOString(), source, aggregateId, correlationId: null, causationId: null, payload };
  eventSchemas().validate(event);
  return event;
}

/** Money as events carry it. */
export function price(minor: bigint, currency = 'EUR') {
  const whole = minor / 100n;
  const cents = (minor % 100n).toString().padStart(2, '0');
  return { amount: `${whole}.${cents}`, amountMinor: minor.toString(), currency };
}

export function customer(id = `customer-${randomUUID()}`): Identity {
  return { userId: id, roles: ['CUSTOMER'] };
}
export const staff: Identity = { userId: 'staff-1', roles: ['STAFF'] };

/** An order made payable through orders' OrderAwaitingPayment, for `who`. */
export async function awaitingPayment(payments: TestPayments, who: Identity, options: { totalMinor?: bigint; dueInSeconds?: number } = {}) {
  const orderId = randomUUID();
  const event = envelope('orders', 'OrderAwaitingPayment', 1, orderId, {
    orderId,
    reference: `R-${orderId.slice(0, 8).toUpperCase()}`,
    customerId: who.userId,
    total: price(options.totalMinor ?? 4990n),
    paymentDueAt: new Date(Date.now() + (options.dueInSeconds ?? 900) * 1000).toISOString(),
  });
  await payments.orderEvent(event);
  return { orderId, event };
}

export const PAYMENT_FIELDS = 'id orderId status method amount { amount currency } refunded { amount currency } redirectUrl';

export interface PaymentAnswer {
  id: string;
  orderId: string;
  status: string;
  method: string;
  amount: { amount: string; currency: string };
  refunded: { amount: string; currency: string };
  redirectUrl: string | null;
}

/** payOrder as `who`; the whole answer. */
export function payOrder(payments: TestPayments, who: Identity, orderId: string, options: { key?: string; method?: string } = {}) {
  return payments.call<{ payOrder: PaymentAnswer }>(
    `mutation ($orderId: ID!, $key: String!, $method: PaymentMethod) { payOrder(orderId: $orderId, idempotencyKey: $key, method: $method) { ${PAYMENT_FIELDS} } }`,
    { variables: { orderId, key: options.key ?? randomUUID(), method: options.method ?? 'SANDBOX' }, identity: who },
  );
}

/** A started sandbox payment for a new payable order. */
export async function startedPayment(payments: TestPayments, options: { totalMinor?: bigint } = {}) {
  const who = customer();
  const { orderId } = await awaitingPayment(payments, who, options);
  const answer = await payOrder(payments, who, orderId);
  if (!answer.data?.payOrder) throw new Error(`payOrder failed: ${answer.text}`);
  return { who, orderId, payment: answer.data.payOrder };
}

/** A sandbox webhook body as CONTRACT specifies. */
export function webhookBody(paymentId: string, options: { id?: string; type?: string; amount?: number; currency?: string } = {}): string {
  return JSON.stringify({ id: options.id ?? `evt_${randomUUID()}`, type: options.type ?? 'payment.succeeded', data: { paymentId, amount: options.amount ?? 4990, currency: options.currency ?? 'EUR' } });
}

/** Posts a webhook with a signature (by default a valid one made now). */
export async function postWebhook(payments: TestPayments, body: string, signature: string | null = signSandboxPayload(WEBHOOK_SECRET, body, Math.floor(Date.now() / 1000))) {
  const response = await fetch(`${payments.origin}/webhooks/payments/sandbox`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'Shop-Signature': signature }) },
    body,
  });
  return { status: response.status, body: await response.text() };
}

/** Outbox rows of one order, oldest first. */
export function outboxOf(payments: TestPayments, orderId: string) {
  return payments.db.outboxEvent.findMany({ where: { aggregateId: orderId }, orderBy: { seq: 'asc' } });
}
