import { randomUUID } from 'node:crypto';
import { createPostgresEventBus, eventSchemas, eventsTopic, IDENTITY_HEADER, migrateDeploy, signIdentity, type EventBus, type EventEnvelope, type Identity } from '@shop/platform';
import { createTestDatabase, postGraphQL, type TestDatabase } from '@shop/platform/testing';
import { loadOrdersConfig, ORDERS_SERVICE_DIR, startOrders, type OrdersServer } from '@shop/orders';
import { customer, log, payOrder, SECRET, staff, startTestPayments, type TestPayments } from './payments-test-server';

async function until<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('not in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function event(source: string, type: string, version: number, aggregateId: string, payload: object): EventEnvelope {
  const envelope: EventEnvelope = { id: randomUUID(), type, version, occurredAt: new Date().toISOString(), source, aggregateId, correlationId: null, causationId: null, payload };
  eventSchemas().validate(envelope);
  return envelope;
}

const price = (minor: number) => ({ amount: (minor / 100).toFixed(2), amountMinor: String(minor), currency: 'EUR' });
const ADDRESS = { name: 'Ada Lovelace', line1: 'Hauptstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE' };

describe('the payment half of the saga over the embedded PostgreSQL bus (PAY-1..5, ORD-2)', () => {
  let busDatabase: TestDatabase;
  let ordersDatabase: TestDatabase;
  let bus: EventBus;
  let orders: OrdersServer;
  let payments: TestPayments;

  const callOrders = <Data>(query: string, identity: Identity, variables?: Record<string, unknown>) =>
    postGraphQL<Data>(orders.url, query, { variables, headers: { [IDENTITY_HEADER]: signIdentity(identity, SECRET) } });
  const orderStatus = async (id: string, identity: Identity) => (await callOrders<{ order: { status: string } }>(`{ order(id: "${id}") { status } }`, identity)).data?.order.status;

  beforeAll(async () => {
    busDatabase = await createTestDatabase('payments_bus');
    bus = await createPostgresEventBus({ url: busDatabase.url, log });
    ordersDatabase = await createTestDatabase('payments_orders');
    await migrateDeploy({ serviceDir: ORDERS_SERVICE_DIR, databaseUrl: ordersDatabase.url });
    orders = await startOrders(
      loadOrdersConfig({ ORDERS_DATABASE_URL: ordersDatabase.url, ORDERS_PORT: '0', GATEWAY_SUBGRAPH_SECRET: SECRET, LOG_LEVEL: 'silent', BUS_DATABASE_URL: busDatabase.url, OUTBOX_POLL_INTERVAL_MS: '100', CART_SWEEP_INTERVAL_MS: '3600000' }),
    );
    payments = await startTestPayments({ BUS_DATABASE_URL: busDatabase.url, OUTBOX_POLL_INTERVAL_MS: '100' });
  });
  afterAll(async () => {
    await payments?.stop();
    await orders?.stop();
    await bus?.close();
    await ordersDatabase?.drop();
    await busDatabase?.drop();
  });

  /** A product in orders' read model, a checkout by `who`, and inventory's StockReserved: the order is AWAITING_PAYMENT in both services. */
  async function payableOrder(who: Identity, priceMinor = 2990) {
    const productId = randomUUID();
    const variantId = randomUUID();
    await bus.publish([{ topic: eventsTopic('catalog'), envelope: event('catalog', 'ProductCreated', 2, productId, { productId, marketId: randomUUID(), name: 'Mug', status: 'ACTIVE', variants: [{ variantId, sku: `SKU-${variantId.slice(0, 8)}`, name: 'White', weightGrams: 300, price: price(priceMinor) }] }) }]);
    await until(async () => (await callOrders<{ addCartLine: { id: string } }>(`mutation { addCartLine(variantId: "${variantId}", quantity: 1) { id } }`, who)).data?.addCartLine);
    const checkout = await callOrders<{ checkout: { id: string; total: { amount: string } } }>('mutation ($input: CheckoutInput!) { checkout(input: $input) { id total { amount } } }', who, { input: { idempotencyKey: randomUUID(), shippingAddress: ADDRESS } });
    const order = checkout.data?.checkout;
    if (!order) throw new Error(`checkout failed: ${JSON.stringify(checkout.errors)}`);
    expect(errorCode(await payOrder(payments, who, order.id))).toBe('INVALID_TRANSITION');
    const expiresAt = new Date(Date.now() + 15 * 60_000).toISOString();
    await bus.publish([{ topic: eventsTopic('inventory'), envelope: event('inventory', 'StockReserved', 1, order.id, { orderId: order.id, expiresAt, lines: [{ variantId, quantity: 1 }] }) }]);
    await until(() => payments.db.payableOrder.findUnique({ where: { orderId: order.id } }));
    return { ...order, variantId };
  }

  test('PAY-1, PAY-4: checkout -> AWAITING_PAYMENT -> payOrder -> hosted sandbox page Pay -> signed webhook -> PaymentSucceeded -> PAID -> staff refund -> REFUNDED', async () => {
    const who = customer();
    const order = await payableOrder(who);
    const payable = await payments.db.payableOrder.findUniqueOrThrow({ where: { orderId: order.id } });
    const payment = (await payOrder(payments, who, order.id)).data?.payOrder;
    expect(payment).toMatchObject({ status: 'PENDING', amount: { amount: order.total.amount, currency: 'EUR' } });
    expect(payable.totalMinor.toString()).toBe(String(Math.round(Number(order.total.amount) * 100)));

    const pagePath = new URL(payment?.redirectUrl ?? '').pathname;
    const page = await fetch(`${payments.origin}${pagePath}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('>Pay</button>');
    expect(html).toContain('>Fail</button>');
    expect(html).not.toMatch(/<script|https?:\/\//);

    const paid = await fetch(`${payments.origin}${pagePath}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'outcome=pay' });
    expect(paid.status).toBe(200);
    expect(await until(async () => (await orderStatus(order.id, who)) === 'PAID')).toBe(true);

    const refund = await payments.call<{ refundPayment: { id: string } }>(`mutation { refundPayment(paymentId: "${payment?.id}", reason: "returned") { id amount { amount } } }`, { identity: staff });
    expect(refund.data?.refundPayment.id).toBeDefined();
    expect(await until(async () => (await orderStatus(order.id, who)) === 'REFUNDED')).toBe(true);
  });

  test('PAY-1: the Fail button fails the attempt (PaymentFailed); the order stays AWAITING_PAYMENT and a new attempt can pay it', async () => {
    const who = customer();
    const order = await payableOrder(who);
    const first = (await payOrder(payments, who, order.id)).data?.payOrder;
    const path = new URL(first?.redirectUrl ?? '').pathname;
    expect((await fetch(`${payments.origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'outcome=fail' })).status).toBe(200);
    expect((await payments.db.payment.findUniqueOrThrow({ where: { id: first?.id } })).status).toBe('FAILED');
    expect(await orderStatus(order.id, who)).toBe('AWAITING_PAYMENT');
    const closed = await fetch(`${payments.origin}${path}`);
    expect(await closed.text()).toContain('failed');
    const stale = await fetch(`${payments.origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'outcome=pay' });
    expect(stale.status).toBe(409);
    expect((await payments.db.payment.findUniqueOrThrow({ where: { id: first?.id } })).status).toBe('FAILED');
    expect((await fetch(`${payments.origin}/pay/sandbox/not-a-payment`)).status).toBe(404);
    const second = (await payOrder(payments, who, order.id)).data?.payOrder;
    await fetch(`${payments.origin}${new URL(second?.redirectUrl ?? '').pathname}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'outcome=pay' });
    expect(await until(async () => (await orderStatus(order.id, who)) === 'PAID')).toBe(true);
  });

  test('ORD-5, PAY-5: staff cancelling a PAID order leads payments to refund the whole capture', async () => {
    const who = customer();
    const order = await payableOrder(who);
    const payment = (await payOrder(payments, who, order.id)).data?.payOrder;
    await fetch(`${payments.origin}${new URL(payment?.redirectUrl ?? '').pathname}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'outcome=pay' });
    await until(async () => (await orderStatus(order.id, who)) === 'PAID');
    const cancel = await callOrders<{ cancelOrder: { status: string } }>(`mutation { cancelOrder(id: "${order.id}", reason: "damaged") { status } }`, staff);
    expect(cancel.data?.cancelOrder.status).toBe('CANCELLED');
    const refunded = await until(async () => {
      const row = await payments.db.payment.findUniqueOrThrow({ where: { id: payment?.id } });
      return row.refundedMinor === row.amountMinor && row.amountMinor > 0n ? row : null;
    });
    expect(refunded.status).toBe('SUCCEEDED');
    expect(await orderStatus(order.id, who)).toBe('CANCELLED');
  });

  test('PAY-6: the payment deadline: when the reservation expires orders cancels the order, and payments then refuses to start a payment', async () => {
    const who = customer();
    const order = await payableOrder(who);
    await bus.publish([{ topic: eventsTopic('inventory'), envelope: event('inventory', 'StockReleased', 1, order.id, { orderId: order.id, reason: 'EXPIRED', lines: [{ variantId: order.variantId, quantity: 1 }] }) }]);
    expect(await until(async () => (await orderStatus(order.id, who)) === 'CANCELLED')).toBe(true);
    await until(async () => (await payments.db.payableOrder.findUniqueOrThrow({ where: { orderId: order.id } })).status === 'CANCELLED');
    const late = await payOrder(payments, who, order.id);
    expect(errorCode(late)).toBe('INVALID_TRANSITION');
    expect(late.errors?.[0]?.extensions?.retryable).toBe(false);
  });
});

function errorCode(answer: { errors?: readonly { extensions?: Record<string, unknown> }[] }): unknown {
  return answer.errors?.[0]?.extensions?.code;
}
