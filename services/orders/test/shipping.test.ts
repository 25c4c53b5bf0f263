import { randomUUID } from 'node:crypto';
import { addressHash, cartFingerprint, signShippingQuote, money, type RateTable } from '@shop/platform';
import { errorCodes } from '@shop/platform/testing';
import { applyShippingEvent } from '../src/events/shipping.consumer';
import { completeDeliveredOrders } from '../src/jobs/order-completion.job';
import { ShippingRatesRepository } from '../src/shipping/shipping-rates.repository';
import { ADDRESS, addLine, checkout, customer, envelope, log, outboxOf, seedVariant, startTestOrders, type TestOrders } from './orders-test-server';

const QUOTE_SECRET = 'test-shipping-quote-secret-of-32-bytes-at-least';
const STANDARD = randomUUID();
const EXPRESS = randomUUID();
const DE = randomUUID();
const EU = randomUUID();

function rateTable(revision: number, standardMinor = 490, expressMinor = 1290): RateTable {
  return {
    revision,
    zones: [
      { id: DE, name: 'Germany', countries: ['DE'], postalPrefixes: [] },
      { id: EU, name: 'EU', countries: ['FR', 'AT'], postalPrefixes: [] },
    ],
    methods: [
      { id: STANDARD, code: 'STANDARD', name: 'Standard', currency: 'EUR', active: true },
      { id: EXPRESS, code: 'EXPRESS', name: 'Express', currency: 'EUR', active: true },
    ],
    rates: [
      { methodId: STANDARD, zoneId: DE, minWeightGrams: 0, maxWeightGrams: 2000, priceMinor: String(standardMinor) },
      { methodId: STANDARD, zoneId: DE, minWeightGrams: 2000, maxWeightGrams: null, priceMinor: '990' },
      { methodId: EXPRESS, zoneId: DE, minWeightGrams: 0, maxWeightGrams: null, priceMinor: String(expressMinor) },
      { methodId: STANDARD, zoneId: EU, minWeightGrams: 0, maxWeightGrams: null, priceMinor: '890' },
    ],
    freeThresholds: [{ methodId: STANDARD, zoneId: DE, minSubtotalMinor: '5000' }],
  };
}

let orders: TestOrders;
let revision = 0;
const shippingEvent = (type: string, aggregateId: string, payload: object) =>
  applyShippingEvent(orders.db, new ShippingRatesRepository(orders.db), envelope('shipping', type, 1, aggregateId, payload), log);
const publishRates = (standardMinor?: number, expressMinor?: number) => {
  revision += 1;
  return shippingEvent('ShippingRatesPublished', 'shipping-rate-table', rateTable(revision, standardMinor, expressMinor));
};

const QUOTES = `query ($address: AddressInput!, $cartId: ID) { shippingQuotes(address: $address, cartId: $cartId) { methodId name price { amount currency } token expiresAt } }`;
interface Quote {
  methodId: string;
  name: string;
  price: { amount: string; currency: string };
  token: string;
  expiresAt: string;
}

async function cartWith(quantity = 1, priceMinor = 1000n) {
  const identity = customer();
  const product = await seedVariant(orders, { priceMinor });
  await addLine(orders, product.variantId, quantity, { identity });
  return { identity, product };
}

async function quotesFor(identity: ReturnType<typeof customer>, address: object = ADDRESS): Promise<Quote[]> {
  const answer = await orders.call<{ shippingQuotes: Quote[] }>(QUOTES, { variables: { address }, identity });
  if (!answer.data) throw new Error(answer.text);
  return answer.data.shippingQuotes;
}

beforeAll(async () => {
  orders = await startTestOrders({ SHIPPING_QUOTE_SECRET: QUOTE_SECRET, SHIPPING_QUOTE_TTL_SECONDS: '900', ORDER_RETURN_WINDOW_DAYS: '14', ORDER_COMPLETION_INTERVAL_MS: '3600000' });
  await publishRates();
});
afterAll(async () => {
  await orders?.stop();
});

describe('shipping quotes and checkout (SHIP-1)', () => {
  test('SHIP-1: shippingQuotes prices every method for the cart weight and destination, cheapest first, each with a token', async () => {
    const { identity } = await cartWith(1);
    const quotes = await quotesFor(identity);
    expect(quotes.map((q) => [q.methodId, q.name, q.price.amount])).toEqual([
      [STANDARD, 'Standard', '4.90'],
      [EXPRESS, 'Express', '12.90'],
    ]);
    expect(quotes[0]?.token).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(new Date(quotes[0]?.expiresAt ?? 0).getTime()).toBeGreaterThan(Date.now() + 800_000);
    expect((await quotesFor(identity, { ...ADDRESS, country: 'AT' })).map((q) => q.price.amount)).toEqual(['8.90']);
    expect(await quotesFor(identity, { ...ADDRESS, country: 'JP' })).toEqual([]);
  });

  test('SHIP-1: bad address input is BAD_USER_INPUT naming the field', async () => {
    const { identity } = await cartWith(1);
    const answer = await orders.call(QUOTES, { variables: { address: { ...ADDRESS, country: 'XX' } }, identity });
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
  });

  test('SHIP-1: checkout with a quote token charges the quoted method price', async () => {
    const { identity } = await cartWith(2);
    const express = (await quotesFor(identity)).find((q) => q.methodId === EXPRESS) as Quote;
    const answer = await checkout(orders, { shippingQuoteToken: express.token }, identity);
    expect(answer.data?.checkout).toMatchObject({ status: 'PENDING', subtotal: { amount: '20.00' }, shippingTotal: { amount: '12.90' } });
    expect(answer.data?.checkout.total.amount).toBe('36.70');
  });

  test('SHIP-1: without a token the cheapest method for the address is used (free from the threshold on)', async () => {
    const small = await cartWith(1);
    expect((await checkout(orders, {}, small.identity)).data?.checkout).toMatchObject({ shippingTotal: { amount: '4.90' } });
    const austria = await cartWith(1);
    expect((await checkout(orders, { shippingAddress: { ...ADDRESS, country: 'AT' } }, austria.identity)).data?.checkout).toMatchObject({ shippingTotal: { amount: '8.90' } });
    const large = await cartWith(5);
    expect((await checkout(orders, {}, large.identity)).data?.checkout).toMatchObject({ subtotal: { amount: '50.00' }, shippingTotal: { amount: '0.00' } });
    const nowhere = await cartWith(1);
    expect(errorCodes(await checkout(orders, { shippingAddress: { ...ADDRESS, country: 'JP' } }, nowhere.identity))).toEqual(['BAD_USER_INPUT']);
  });

  test('SHIP-1: a tampered, expired, other-address or other-cart token is refused with SHIPPING_QUOTE_INVALID naming why, and no order is made', async () => {
    const { identity, product } = await cartWith(1);
    const [standard] = await quotesFor(identity);
    const token = (standard as Quote).token;
    const [body, signature] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    const cheaper = `${Buffer.from(JSON.stringify({ ...claims, p: '1' })).toString('base64url')}.${signature}`;
    const expired = signShippingQuote(
      { methodId: STANDARD, price: money(490n, 'EUR'), addressHash: addressHash(ADDRESS), cartFingerprint: cartFingerprint([{ variantId: product.variantId, quantity: 1 }]), expiresAt: new Date(Date.now() - 1000) },
      QUOTE_SECRET,
    );
    const refusal = async (input: Record<string, unknown>) => {
      const answer = await checkout(orders, input, identity);
      expect(answer.data?.checkout ?? null).toBeNull();
      return answer.errors?.map((error) => [error.extensions?.code, error.extensions?.reason]);
    };
    expect(await refusal({ shippingQuoteToken: cheaper })).toEqual([['SHIPPING_QUOTE_INVALID', 'BAD_SIGNATURE']]);
    expect(await refusal({ shippingQuoteToken: expired })).toEqual([['SHIPPING_QUOTE_INVALID', 'EXPIRED']]);
    expect(await refusal({ shippingQuoteToken: token, shippingAddress: { ...ADDRESS, line1: 'Nebenstr. 2' } })).toEqual([['SHIPPING_QUOTE_INVALID', 'OTHER_ADDRESS']]);
    await addLine(orders, product.variantId, 1, { identity });
    expect(await refusal({ shippingQuoteToken: token })).toEqual([['SHIPPING_QUOTE_INVALID', 'OTHER_CART']]);
    const other = await cartWith(1);
    const otherAnswer = await checkout(orders, { shippingQuoteToken: token }, other.identity);
    expect(otherAnswer.errors?.map((error) => [error.extensions?.code, error.extensions?.reason])).toEqual([['SHIPPING_QUOTE_INVALID', 'OTHER_CART']]);
    expect(await orders.db.order.count({ where: { customerId: { in: [identity.userId as string, other.identity.userId as string] } } })).toBe(0);
  });

  test('SHIP-1: a rate change after the quote keeps the quoted price within its expiry; new checkouts pay the new rate', async () => {
    const { identity } = await cartWith(1);
    const [standard] = await quotesFor(identity);
    await publishRates(790, 1590);
    const quoted = await checkout(orders, { shippingQuoteToken: (standard as Quote).token }, identity);
    expect(quoted.data?.checkout).toMatchObject({ shippingTotal: { amount: '4.90' } });
    const fresh = await cartWith(1);
    expect((await checkout(orders, {}, fresh.identity)).data?.checkout).toMatchObject({ shippingTotal: { amount: '7.90' } });
    expect(await shippingEvent('ShippingRatesPublished', 'shipping-rate-table', rateTable(1))).toBe(true);
    expect((await new ShippingRatesRepository(orders.db).current())?.revision).toBe(revision);
    await publishRates();
  });
});

describe('shipments drive the order lifecycle (SHIP-2)', () => {
  async function paidOrder() {
    const { identity, product } = await cartWith(1);
    const placed = await checkout(orders, {}, identity);
    const orderId = placed.data?.checkout.id as string;
    const reserved = envelope('inventory', 'StockReserved', 1, orderId, { orderId, expiresAt: new Date(Date.now() + 900_000).toISOString(), lines: [{ variantId: product.variantId, quantity: 1 }] });
    await orders.inventoryEvent(reserved);
    await orders.server.orders.markPaid(orderId, 'test');
    return orderId;
  }
  const statusOf = async (orderId: string) => (await orders.db.order.findUniqueOrThrow({ where: { id: orderId } })).status;

  test('SHIP-2: ShipmentDispatched moves the order to SHIPPED with OrderShipped (inventory ships the stock); a redelivery changes nothing', async () => {
    const orderId = await paidOrder();
    const shipmentId = randomUUID();
    const dispatched = envelope('shipping', 'ShipmentDispatched', 1, orderId, { shipmentId, orderId, carrier: 'sandbox', trackingNumber: 'SBX123' });
    const apply = (event: typeof dispatched) => applyShippingEvent(orders.db, new ShippingRatesRepository(orders.db), event, log);
    expect(await apply(dispatched)).toBe(true);
    expect(await apply(dispatched)).toBe(false);
    expect(await statusOf(orderId)).toBe('SHIPPED');
    const events = (await outboxOf(orders, orderId)).map((e) => e.type);
    expect(events.filter((type) => type === 'OrderShipped')).toHaveLength(1);
    expect(events.at(-1)).toBe('OrderShipped');
  });

  test('SHIP-2: ShipmentDelivered moves it to DELIVERED, and the completion job to COMPLETED only after the return window', async () => {
    const orderId = await paidOrder();
    const shipmentId = randomUUID();
    await shippingEvent('ShipmentDispatched', orderId, { shipmentId, orderId, carrier: 'sandbox', trackingNumber: 'SBX456' });
    await shippingEvent('ShipmentDelivered', orderId, { shipmentId, orderId, deliveredAt: new Date().toISOString() });
    expect(await statusOf(orderId)).toBe('DELIVERED');
    expect(await completeDeliveredOrders(orders.db, 14, log)).toBe(0);
    expect(await completeDeliveredOrders(orders.db, 14, log, new Date(Date.now() + 13 * 86_400_000))).toBe(0);
    expect(await statusOf(orderId)).toBe('DELIVERED');
    await orders.db.orderHistory.updateMany({ where: { orderId, toStatus: 'DELIVERED' }, data: { at: new Date(Date.now() - 15 * 86_400_000) } });
    expect(await completeDeliveredOrders(orders.db, 14, log)).toBe(1);
    expect(await completeDeliveredOrders(orders.db, 14, log)).toBe(0);
    expect(await statusOf(orderId)).toBe('COMPLETED');
    const completed = await orders.db.orderHistory.findFirstOrThrow({ where: { orderId, toStatus: 'COMPLETED' } });
    expect(completed).toMatchObject({ fromStatus: 'DELIVERED', actor: 'system', reason: 'return window of 14 days over' });
  });

  test('SHIP-2: a shipment event for an order that cannot move (never paid) is acknowledged and changes nothing', async () => {
    const { identity } = await cartWith(1);
    const orderId = (await checkout(orders, {}, identity)).data?.checkout.id as string;
    expect(await shippingEvent('ShipmentDispatched', orderId, { shipmentId: randomUUID(), orderId, carrier: 'sandbox', trackingNumber: 'SBX789' })).toBe(true);
    expect(await statusOf(orderId)).toBe('PENDING');
  });
});
