import { randomUUID } from 'node:crypto';
import {
  ANONYMOUS,
  CLIENT_ADDRESS_HEADER,
  createPool,
  createPrismaClient,
  IDENTITY_HEADER,
  migrateDeploy,
  serviceLogger,
  signIdentity,
  type EventEnvelope,
  type Identity,
} from '@shop/platform';
import { createTestDatabase, postGraphQL, type GraphQLAnswer, type TestDatabase } from '@shop/platform/testing';
import { loadPromotionsConfig, PROMOTIONS_SERVICE_DIR, startPromotions, type PromotionsServer } from '../src';
import { PrismaClient } from '../src/generated/prisma/client';
import { RedemptionService } from '../src/redemption.service';

const SECRET = 'test-gateway-subgraph-secret-of-at-least-32-bytes';

export const log = serviceLogger('promotions-test');
log.level = 'silent';

/** A fresh, migrated promotions database, with a Prisma client on it for assertions. */
export async function createPromotionsDatabase(): Promise<TestDatabase & { db: PrismaClient; close(): Promise<void> }> {
  const database = await createTestDatabase('promotions');
  await migrateDeploy({ serviceDir: PROMOTIONS_SERVICE_DIR, databaseUrl: database.url });
  const pool = createPool({ url: database.url, poolSize: 3 });
  const db = createPrismaClient(PrismaClient, pool);
  const close = async () => {
    await db.$disconnect();
    await pool.end();
  };
  return { ...database, db, close, drop: async () => { await close().catch(() => undefined); await database.drop(); } };
}

/** One replica's saga steps: its own pool and Prisma client on the shared database. */
export function replica(url: string, settings = { ttlSeconds: 900, graceSeconds: 300 }) {
  const pool = createPool({ url, poolSize: 8 });
  const db = createPrismaClient(PrismaClient, pool);
  const service = new RedemptionService(db, settings);
  return { service, close: async () => { await db.$disconnect(); await pool.end(); } };
}

/** A running promotions subgraph on a free port, and a client that signs identities like the gateway. */
export interface TestPromotions {
  readonly server: PromotionsServer;
  call<Data = Record<string, unknown>>(query: string, options?: { variables?: Record<string, unknown>; identity?: Identity; clientAddress?: string }): Promise<GraphQLAnswer<Data>>;
  stop(): Promise<void>;
}

/** Starts promotions on `databaseUrl` (several may share one database, like replicas). */
export async function startTestPromotions(databaseUrl: string, env: Record<string, string> = {}): Promise<TestPromotions> {
  const config = loadPromotionsConfig({
    PROMOTIONS_DATABASE_URL: databaseUrl,
    PROMOTIONS_PORT: '0',
    BUS_DATABASE_URL: '',
    OUTBOX_POLL_INTERVAL_MS: '200',
    GATEWAY_SUBGRAPH_SECRET: SECRET,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const server = await startPromotions(config);
  return {
    server,
    call: (query, options = {}) =>
      postGraphQL(server.url, query, {
        variables: options.variables,
        headers: { [IDENTITY_HEADER]: signIdentity(options.identity ?? ANONYMOUS, SECRET), [CLIENT_ADDRESS_HEADER]: options.clientAddress ?? '10.0.0.1' },
      }),
    stop: () => server.stop(),
  };
}

/** Callers for permission tests. */
export const staff: Identity = { userId: 'staff-1', roles: ['STAFF'] };
export const customer = (id = `customer-${randomUUID()}`): Identity => ({ userId: id, roles: ['CUSTOMER'] });
export const marketer = (id = `marketer-${randomUUID()}`): Identity => ({ userId: id, roles: ['CUSTOMER', 'MARKETER'] });

/** An orders.events envelope, as the orders service would publish it. */
export function orderEvent<Payload extends { orderId: string }>(type: string, payload: Payload): EventEnvelope<Payload> {
  return { id: randomUUID(), type, version: 1, occurredAt: new Date().toISOString(), source: 'orders', aggregateId: payload.orderId, correlationId: randomUUID(), causationId: null, payload };
}

/** OrderPlaced with a coupon code and a subtotal (minor units, EUR). */
export function orderPlaced(orderId: string, options: { couponCode: string | null; customerId: string | null; subtotalMinor?: bigint; currency?: string }) {
  const minor = options.subtotalMinor ?? 10_000n;
  return orderEvent('OrderPlaced', {
    orderId,
    reference: `SO-${orderId.slice(0, 8)}`,
    customerId: options.customerId,
    lines: [{ lineId: `${orderId}-0`, variantId: 'v-1', sku: 'SKU-1', quantity: 1 }],
    subtotal: { amount: (Number(minor) / 100).toFixed(2), amountMinor: minor.toString(), currency: options.currency ?? 'EUR' },
    couponCode: options.couponCode,
  });
}
