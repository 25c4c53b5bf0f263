import { randomUUID } from 'node:crypto';
import {
  ANONYMOUS,
  CLIENT_ADDRESS_HEADER,
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
import { loadOrdersConfig, ORDERS_SERVICE_DIR, startOrders, type OrdersServer } from '../src';
import { applyCatalogEvent } from '../src/events/catalog.consumer';
import { applyInventoryEvent } from '../src/events/inventory.consumer';
import { PrismaClient } from '../src/generated/prisma/client';
import { OrderRepository } from '../src/order.repository';

/** The gateway-subgraph secret the test server trusts. */
export const SECRET = 'test-gateway-subgraph-secret-of-at-least-32-bytes';

export const log = serviceLogger('orders-test');
log.level = 'silent';

/** How a test calls orders: as whom, and from which client address. */
export interface CallOptions {
  readonly variables?: Record<string, unknown>;
  readonly identity?: Identity;
  readonly clientAddress?: string;
}

type Call = <Data = Record<string, unknown>>(query: string, options?: CallOptions) => Promise<GraphQLAnswer<Data>>;

/** A running orders subgraph on a fresh database, called the way the gateway calls it. */
export interface TestOrders {
  readonly server: OrdersServer;
  readonly database: TestDatabase;
  /** Direct access to the orders database (assertions, moving clocks back). */
  readonly db: PrismaClient;
  readonly call: Call;
  /** Starts a second server on the same database and settings (a replica); stopped with this one. */
  replica(): Promise<OrdersServer>;
  /** Feeds a catalog event through the real consumer (inbox and all); false for a redelivery. */
  catalogEvent(envelope: EventEnvelope): Promise<boolean>;
  /** Feeds an inventory event through the real saga consumer; false for a redelivery. */
  inventoryEvent(envelope: EventEnvelope): Promise<boolean>;
  stop(): Promise<void>;
}

/** Starts orders on a fresh database; `env` overrides settings (limits, windows, BUS_DATABASE_URL). */
export async function startTestOrders(env: Record<string, string> = {}): Promise<TestOrders> {
  const database = await createTestDatabase('orders');
  await migrateDeploy({ serviceDir: ORDERS_SERVICE_DIR, databaseUrl: database.url });
  const settings = {
    ORDERS_DATABASE_URL: database.url,
    ORDERS_PORT: '0',
    GATEWAY_SUBGRAPH_SECRET: SECRET,
    LOG_LEVEL: process.env.ORDERS_LOG ?? 'silent',
    CART_SWEEP_INTERVAL_MS: '3600000',
    OUTBOX_POLL_INTERVAL_MS: '200',
    ...env,
  };
  const server = await startOrders(loadOrdersConfig(settings));
  const pool = createPool({ url: database.url, poolSize: 4 });
  const db = createPrismaClient(PrismaClient, pool);
  const orders = new OrderRepository(db);
  const replicas: OrdersServer[] = [];
  return {
    server,
    database,
    db,
    call: (query, options = {}) => callOrders(server, query, options),
    replica: async () => {
      const replica = await startOrders(loadOrdersConfig(settings));
      replicas.push(replica);
      return replica;
    },
    catalogEvent: (envelope) => applyCatalogEvent(db, envelope),
    inventoryEvent: (envelope) => applyInventoryEvent(db, orders, envelope, log),
    stop: async () => {
      for (const replica of replicas) await replica.stop();
      await server.stop();
      await db.$disconnect();
      await pool.end();
      await database.drop();
    },
  };
}

/** Calls a server (the test server or a replica) as the gateway would. */
export function callOrders<Data>(server: { url: string }, query: string, options: CallOptions = {}): Promise<GraphQLAnswer<Data>> {
  return postGraphQL(server.url, query, {
    variables: options.variables,
    headers: {
      [IDENTITY_HEADER]: signIdentity(options.identity ?? ANONYMOUS, SECRET),
      [CLIENT_ADDRESS_HEADER]: options.clientAddress ?? '192.0.2.1',
    },
  });
}

/** An event envelope as a producing service publishes it, checked against its contract. */
export function envelope(source: string, type: string, version: number, aggregateId: string, payload: object): EventEnvelope {
  const event: EventEnvelope = { id: randomUUID(), type, version, occurredAt: new Date().toISOString(), source, aggregateId, correlationId: null, causationId: null, payload };
  eventSchemas().validate(event);
  return event;
}

let skuCounter = 0;

/** A catalog product with one variant, as catalog's ProductCreated v2 describes it. */
export function productCreated(options: { priceMinor?: bigint; currency?: string; sku?: string; status?: 'ACTIVE' | 'ARCHIVED' } = {}) {
  skuCounter += 1;
  const productId = randomUUID();
  const variantId = randomUUID();
  const sku = options.sku ?? `SKU-${skuCounter}-${variantId.slice(0, 6)}`;
  const priceMinor = options.priceMinor ?? 1990n;
  const currency = options.currency ?? 'EUR';
  const event = envelope('catalog', 'ProductCreated', 2, productId, {
    productId,
    marketId: randomUUID(),
    name: 'Test Mug',
    status: options.status ?? 'ACTIVE',
    variants: [{ variantId, sku, name: 'White', weightGrams: 350, price: price(priceMinor, currency) }],
  });
  return { event, productId, variantId, sku };
}

/** Money as events carry it. */
export function price(minor: bigint, currency = 'EUR') {
  const whole = minor / 100n;
  const cents = (minor % 100n).toString().padStart(2, '0');
  return { amount: `${whole}.${cents}`, amountMinor: minor.toString(), currency };
}

/** A new variant in the read model, through the real catalog consumer. */
export async function seedVariant(orders: TestOrders, options: Parameters<typeof productCreated>[0] = {}) {
  const product = productCreated(options);
  await orders.catalogEvent(product.event);
  return product;
}

export const ADDRESS = { name: 'Ada Lovelace', line1: 'Hauptstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE' };

export const CART_FIELDS = 'id lines { id variant { id } quantity unitPrice { amount currency } lineTotal { amount currency } } subtotal { amount currency }';
export const ORDER_FIELDS =
  'id reference status email lines { id sku name quantity unitPrice { amount currency } taxRate tax { amount } lineTotal { amount } weightGrams } subtotal { amount currency } discount { amount } shippingTotal { amount } taxTotal { amount } total { amount currency } paymentDueAt history { from to actor reason at }';

/** Callers. */
export const staff: Identity = { userId: 'staff-1', roles: ['STAFF'] };
export function customer(id = `customer-${randomUUID()}`): Identity {
  return { userId: id, roles: ['CUSTOMER'] };
}

export interface CartAnswer {
  id: string;
  lines: { id: string; variant: { id: string }; quantity: number; unitPrice: { amount: string; currency: string } }[];
  subtotal: { amount: string; currency: string } | null;
}

export interface OrderAnswer {
  id: string;
  reference: string;
  status: string;
  email: string | null;
  lines: { id: string; sku: string; name: string; quantity: number; unitPrice: { amount: string }; taxRate: number; tax: { amount: string }; lineTotal: { amount: string } }[];
  subtotal: { amount: string; currency: string };
  taxTotal: { amount: string };
  total: { amount: string; currency: string };
  paymentDueAt: string | null;
  history: { from: string | null; to: string; actor: string; reason: string | null }[];
}

/** Adds a line to a cart (a guest's by id, or the caller's own); fails the test on an error. */
export async function addLine(orders: TestOrders, variantId: string, quantity: number, options: { cartId?: string; identity?: Identity } = {}): Promise<CartAnswer> {
  const answer = await orders.call<{ addCartLine: CartAnswer }>(
    `mutation ($variantId: ID!, $quantity: Int!, $cartId: ID) { addCartLine(variantId: $variantId, quantity: $quantity, cartId: $cartId) { ${CART_FIELDS} } }`,
    { variables: { variantId, quantity, cartId: options.cartId }, identity: options.identity },
  );
  if (!answer.data?.addCartLine) throw new Error(`addCartLine failed: ${answer.text}`);
  return answer.data.addCartLine;
}

/** A new guest cart id. */
export async function guestCart(orders: TestOrders): Promise<string> {
  const answer = await orders.call<{ createCart: { id: string } }>('mutation { createCart { id } }');
  if (!answer.data?.createCart) throw new Error(`createCart failed: ${answer.text}`);
  return answer.data.createCart.id;
}

/** Runs checkout; returns the whole answer (tests look at errors too). */
export function checkout(orders: TestOrders, input: Record<string, unknown>, identity?: Identity) {
  return orders.call<{ checkout: OrderAnswer }>(`mutation ($input: CheckoutInput!) { checkout(input: $input) { ${ORDER_FIELDS} } }`, {
    variables: { input: { shippingAddress: ADDRESS, idempotencyKey: randomUUID(), ...input } },
    identity,
  });
}

/** Places an order for a new customer with one line; returns the order and who placed it. */
export async function placeOrder(orders: TestOrders, options: { quantity?: number; priceMinor?: bigint; identity?: Identity } = {}) {
  const identity = options.identity ?? customer();
  const product = await seedVariant(orders, { priceMinor: options.priceMinor });
  await addLine(orders, product.variantId, options.quantity ?? 1, { identity });
  const answer = await checkout(orders, {}, identity);
  const order = answer.data?.checkout;
  if (!order) throw new Error(`checkout failed: ${answer.text}`);
  return { order, identity, product };
}

/** The outbox rows of one aggregate, oldest first. */
export function outboxOf(orders: TestOrders, aggregateId: string) {
  return orders.db.outboxEvent.findMany({ where: { aggregateId }, orderBy: { seq: 'asc' } });
}
