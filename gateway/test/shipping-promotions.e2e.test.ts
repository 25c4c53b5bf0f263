import { randomUUID } from 'node:crypto';
import { signSandboxPayload } from '@shop/payments';
import { errorCodes, postGraphQL, type GraphQLAnswer } from '@shop/platform/testing';
import { startShopTestStack, TEST_SANDBOX_WEBHOOK_SECRET, type ShopTestStack } from './shop-test-stack';

const ADDRESS = { name: 'Ada Buyer', line1: 'Hauptstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE' };
const REGISTER = 'mutation ($input: RegisterInput!) { register(input: $input) { accessToken customer { id } } }';
const MY_ORDERS = '{ me { id orders(first: 20) { edges { node { id } } } } }';
const ADD_LINE = 'mutation ($variantId: ID!, $quantity: Int!) { addCartLine(variantId: $variantId, quantity: $quantity) { id subtotal { amount currency } } }';
const MY_CART = '{ myCart { id subtotal { amount currency } } }';
const QUOTES = 'query ($address: AddressInput!) { shippingQuotes(address: $address) { methodId name price { amount currency } token expiresAt } }';
const CHECKOUT = `mutation ($input: CheckoutInput!) { checkout(input: $input) { id status } }`;
const ORDER = `query ($id: ID!) { order(id: $id) { id status subtotal { amount currency } discount { amount } shippingTotal { amount } taxTotal { amount }
  total { amount currency } history { from to actor reason } } }`;
const PAY = 'mutation ($orderId: ID!, $key: String!) { payOrder(orderId: $orderId, idempotencyKey: $key) { id status amount { amount currency } redirectUrl } }';
const PAYMENT = 'query ($id: ID!) { payment(id: $id) { status amount { amount } refunded { amount } } }';
const SHIPMENT = 'query ($orderId: ID!) { shipment(orderId: $orderId) { id orderId status carrier trackingNumber } }';
const ADVANCE = 'mutation ($orderId: ID!) { advanceShipment(orderId: $orderId) { status trackingNumber } }';
const CANCEL = 'mutation ($id: ID!) { cancelOrder(id: $id, reason: "staff cancels a paid order") { status } }';
const RATE_TABLE = '{ shippingRateTable { revision zones { id name } methods { id code } } }';
const SET_RATES = `mutation ($methodId: ID!, $zoneId: ID!, $bands: [WeightBandInput!]!) {
  setShippingRates(methodId: $methodId, zoneId: $zoneId, bands: $bands) { revision } }`;
const SET_STOCK = 'mutation ($variantId: ID!, $quantity: Int!) { setStock(variantId: $variantId, quantity: $quantity, reason: "e2e stock") { available } }';
const STOCK = 'query ($variantId: ID!) { stockLevels(variantId: $variantId) { available } }';
const CREATE_COUPON = 'mutation ($input: CreateCouponInput!) { createCoupon(input: $input) { id code usageCount } }';
const COUPON = 'query ($id: ID!) { coupon(id: $id) { usageCount } }';

interface Order {
  id: string;
  status: string;
  subtotal: { amount: string; currency: string };
  discount: { amount: string };
  shippingTotal: { amount: string };
  taxTotal: { amount: string };
  total: { amount: string; currency: string };
  history: { from: string | null; to: string; actor: string; reason: string | null }[];
}
interface Quote {
  methodId: string;
  name: string;
  price: { amount: string; currency: string };
  token: string;
  expiresAt: string;
}
type Address = typeof ADDRESS;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** "49.90" → 4990. */
const minor = (amount: string) => {
  const [whole = '0', fraction = ''] = amount.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
};

/** Polls `read` until `done` holds or the deadline passes; returns the last value either way. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000, everyMs = 150): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await pause(everyMs);
  }
}

/** A client of the shop through the gateway, with a staff token for the views a test checks. */
function shopClient(stack: ShopTestStack, staffToken: string) {
  const call = <Data>(query: string, variables: Record<string, unknown>, token?: string): Promise<GraphQLAnswer<Data>> =>
    postGraphQL<Data>(stack.gatewayUrl, query, { variables, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const staff = <Data>(query: string, variables: Record<string, unknown> = {}) => call<Data>(query, variables, staffToken);
  const order = async (id: string): Promise<Order> => {
    const answer = await staff<{ order: Order | null }>(ORDER, { id });
    if (!answer.data?.order) throw new Error(`order ${id} unreadable: ${answer.text}`);
    return answer.data.order;
  };
  const quotes = async (token: string, address: Address = ADDRESS): Promise<Quote[]> => {
    const answer = await call<{ shippingQuotes: Quote[] }>(QUOTES, { address }, token);
    if (!answer.data) throw new Error(`shippingQuotes failed: ${answer.text}`);
    return answer.data.shippingQuotes;
  };
  return {
    call,
    staff,
    order,
    quotes,
    orderUntil: (id: string, done: (o: Order) => boolean, timeoutMs = 30_000) => until(() => order(id), done, timeoutMs),
    async register(): Promise<string> {
      const answer = await call<{ register: { accessToken: string } }>(REGISTER, {
        input: { email: `buyer-${randomUUID()}@example.com`, password: 'a-long-unusual-passphrase-42', name: 'Test Buyer' },
      });
      if (!answer.data?.register) throw new Error(`register failed: ${answer.text}`);
      return answer.data.register.accessToken;
    },
    async myOrderIds(token: string): Promise<string[]> {
      const answer = await call<{ me: { orders: { edges: { node: { id: string } }[] } } }>(MY_ORDERS, {}, token);
      if (!answer.data?.me) throw new Error(`me failed: ${answer.text}`);
      return answer.data.me.orders.edges.map((edge) => edge.node.id);
    },
    /** Adds `quantity` units, retried until orders' copy of the catalogue knows the variant. */
    async cartWith(variantId: string, token: string, quantity = 1): Promise<void> {
      const added = await until(() => call(ADD_LINE, { variantId, quantity }, token), (answer) => errorCodes(answer).length === 0, 30_000, 200);
      if (errorCodes(added).length > 0) throw new Error(`could not add ${variantId} to a cart: ${added.text}`);
    },
    async subtotal(token: string): Promise<string> {
      return (await call<{ myCart: { subtotal: { amount: string } | null } }>(MY_CART, {}, token)).data?.myCart.subtotal?.amount ?? '0.00';
    },
    /** Quotes for the caller's cart, waiting until orders has received shipping's published rate table. */
    async quotesWhenPublished(token: string, address: Address = ADDRESS): Promise<Quote[]> {
      return until(() => quotes(token, address), (list) => list.length > 0, 30_000, 200);
    },
    checkout(token: string, input: Record<string, unknown> = {}) {
      return call<{ checkout: { id: string; status: string } | null }>(CHECKOUT, { input: { idempotencyKey: randomUUID(), shippingAddress: ADDRESS, ...input } }, token);
    },
    /** payOrder, retried while payments has not heard of the order yet (INVALID_TRANSITION, retryable). */
    async pay(orderId: string, token: string) {
      const key = randomUUID();
      const answer = await until(
        () => call<{ payOrder: { id: string; status: string; amount: { amount: string; currency: string }; redirectUrl: string | null } }>(PAY, { orderId, key }, token),
        (a) => !(errorCodes(a)[0] === 'INVALID_TRANSITION' && a.errors?.[0]?.extensions?.retryable === true),
        15_000,
        100,
      );
      if (!answer.data?.payOrder) throw new Error(`payOrder failed: ${answer.text}`);
      return answer.data.payOrder;
    },
    /** The provider's signed success webhook, posted to the gateway. */
    async succeed(paymentId: string, amount: { amount: string; currency: string }): Promise<number> {
      const body = JSON.stringify({ id: `evt_${randomUUID()}`, type: 'payment.succeeded', data: { paymentId, amount: minor(amount.amount), currency: amount.currency } });
      const response = await fetch(`${stack.gatewayOrigin}/webhooks/payments/sandbox`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'Shop-Signature': signSandboxPayload(TEST_SANDBOX_WEBHOOK_SECRET, body, Math.floor(Date.now() / 1000)) },
        body,
      });
      return response.status;
    },
    async available(variantId: string): Promise<number> {
      return ((await staff<{ stockLevels: { available: number }[] }>(STOCK, { variantId })).data?.stockLevels ?? []).reduce((sum, level) => sum + level.available, 0);
    },
  };
}

type ShopClient = ReturnType<typeof shopClient>;

/** What a refused checkout answered: [code, reason] per error, and whether it still returned an order. */
function refusal(answer: GraphQLAnswer<{ checkout: { id: string } | null }>) {
  return { order: answer.data?.checkout ?? null, errors: (answer.errors ?? []).map((error) => [error.extensions?.code, error.extensions?.reason]) };
}

describe('shipping quotes and the whole path through the gateway (SHIP-1, SHIP-2, PROMO-1)', () => {
  let stack: ShopTestStack;
  let shop: ShopClient;
  beforeAll(async () => {
    stack = await startShopTestStack({
      rateLimitScale: 10,
      gatewayEnv: { RATE_LIMIT_SCALE: '10' },
      ordersEnv: { ORDER_RETURN_WINDOW_DAYS: '0', ORDER_COMPLETION_INTERVAL_MS: '200' },
    });
    shop = shopClient(stack, await stack.auth.token(randomUUID(), ['STAFF']));
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  test('SHIP-1: shippingQuotes prices every method for the cart and address from the published rates, cheapest first, each signed and expiring', async () => {
    const token = await stack.auth.token(randomUUID(), ['CUSTOMER']);
    await shop.cartWith(stack.demoVariants[0]?.id ?? '', token);
    const subtotal = minor(await shop.subtotal(token));
    const quotes = await shop.quotesWhenPublished(token);
    // The seeded German rates: Standard 4.90 up to 2 kg (free from 50.00), Express 12.90 up to 5 kg.
    expect(quotes.map((quote) => [quote.name, quote.price])).toEqual([
      ['Standard', { amount: subtotal >= 5000 ? '0.00' : '4.90', currency: 'EUR' }],
      ['Express', { amount: '12.90', currency: 'EUR' }],
    ]);
    for (const quote of quotes) {
      expect(quote.token).toMatch(/^[\w-]+\.[\w-]+$/);
      const expiresIn = new Date(quote.expiresAt).getTime() - Date.now();
      expect(expiresIn).toBeGreaterThan(800_000);
      expect(expiresIn).toBeLessThanOrEqual(900_000);
    }
    expect((await shop.quotes(token, { ...ADDRESS, country: 'US', postalCode: '10001', city: 'New York' })).map((quote) => quote.price.amount)).toEqual(['19.90', '49.90']);
    expect(await shop.quotes(token, { ...ADDRESS, country: 'JP', postalCode: '100-0001', city: 'Tokyo' })).toEqual([]);
  }, 60_000);

  test("SHIP-1: a tampered token, another address's token, another cart's token and a quote for a cart that changed are refused with SHIPPING_QUOTE_INVALID, and no order is made", async () => {
    const [alice, bob] = [await shop.register(), await shop.register()];
    await shop.cartWith(stack.demoVariants[1]?.id ?? '', alice);
    await shop.cartWith(stack.demoVariants[2]?.id ?? '', bob);
    const [quote] = await shop.quotesWhenPublished(alice);
    const token = quote?.token ?? '';
    const [body = '', signature = ''] = token.split('.');
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    const cheaper = `${Buffer.from(JSON.stringify({ ...claims, p: '1' })).toString('base64url')}.${signature}`;

    expect(refusal(await shop.checkout(alice, { shippingQuoteToken: cheaper }))).toEqual({ order: null, errors: [['SHIPPING_QUOTE_INVALID', 'BAD_SIGNATURE']] });
    expect(refusal(await shop.checkout(alice, { shippingQuoteToken: `${body}.${signature.slice(0, -2)}AA` }))).toEqual({ order: null, errors: [['SHIPPING_QUOTE_INVALID', 'BAD_SIGNATURE']] });
    expect(refusal(await shop.checkout(alice, { shippingQuoteToken: token, shippingAddress: { ...ADDRESS, line1: 'Nebenstr. 2' } }))).toEqual({
      order: null,
      errors: [['SHIPPING_QUOTE_INVALID', 'OTHER_ADDRESS']],
    });
    expect(refusal(await shop.checkout(bob, { shippingQuoteToken: token }))).toEqual({ order: null, errors: [['SHIPPING_QUOTE_INVALID', 'OTHER_CART']] });
    await shop.cartWith(stack.demoVariants[1]?.id ?? '', alice);
    expect(refusal(await shop.checkout(alice, { shippingQuoteToken: token }))).toEqual({ order: null, errors: [['SHIPPING_QUOTE_INVALID', 'OTHER_CART']] });
    await pause(500);
    expect(await shop.myOrderIds(alice)).toEqual([]);
    expect(await shop.myOrderIds(bob)).toEqual([]);

    // A fresh quote for the cart as it is now is accepted and charged.
    const fresh = (await shop.quotes(alice)).find((q) => q.name === 'Express');
    const placed = await shop.checkout(alice, { shippingQuoteToken: fresh?.token });
    expect(errorCodes(placed)).toEqual([]);
    expect((await shop.order(placed.data?.checkout?.id ?? '')).shippingTotal.amount).toBe(fresh?.price.amount);
    expect(await shop.myOrderIds(alice)).toEqual([placed.data?.checkout?.id]);
  }, 90_000);

  test('SHIP-1: a staff rate change after the quote keeps the quoted price within its expiry; a new quote has the new rate', async () => {
    const buyer = await stack.auth.token(randomUUID(), ['CUSTOMER']);
    await shop.cartWith(stack.demoVariants[3]?.id ?? '', buyer);
    const express = (await shop.quotesWhenPublished(buyer)).find((quote) => quote.name === 'Express');
    expect(express?.price.amount).toBe('12.90');

    const table = (await shop.staff<{ shippingRateTable: { zones: { id: string; name: string }[]; methods: { id: string; code: string }[] } }>(RATE_TABLE)).data?.shippingRateTable;
    const zoneId = table?.zones.find((zone) => zone.name === 'Germany')?.id;
    const methodId = table?.methods.find((method) => method.code === 'EXPRESS')?.id;
    const setExpress = (first: string, second: string) =>
      shop.staff(SET_RATES, { methodId, zoneId, bands: [{ maxWeightGrams: 5000, price: { amount: first, currency: 'EUR' } }, { price: { amount: second, currency: 'EUR' } }] });
    // A new table reaches orders through ShippingRatesPublished: a probe cart's new quote shows when it has.
    const probe = await stack.auth.token(randomUUID(), ['CUSTOMER']);
    await shop.cartWith(stack.demoVariants[3]?.id ?? '', probe);
    const expressFor = async (amount: string) =>
      (await until(() => shop.quotes(probe), (list) => list.some((quote) => quote.name === 'Express' && quote.price.amount === amount))).find((quote) => quote.name === 'Express');
    expect(errorCodes(await setExpress('15.90', '24.90'))).toEqual([]);
    try {
      expect((await expressFor('15.90'))?.price.amount).toBe('15.90');

      const placed = await shop.checkout(buyer, { shippingQuoteToken: express?.token });
      expect(errorCodes(placed)).toEqual([]);
      const order = await shop.order(placed.data?.checkout?.id ?? '');
      expect(order.shippingTotal.amount).toBe('12.90');
      const awaiting = await shop.orderUntil(order.id, (o) => o.status !== 'PENDING');
      expect(awaiting).toMatchObject({ status: 'AWAITING_PAYMENT', shippingTotal: { amount: '12.90' } });
    } finally {
      expect(errorCodes(await setExpress('12.90', '19.90'))).toEqual([]);
      expect((await expressFor('12.90'))?.price.amount).toBe('12.90');
    }
  }, 90_000);

  test('SHIP-1, PROMO-1, SHIP-2: quote → checkout with WELCOME10 and the quote → AWAITING_PAYMENT (discount and shipping in the total) → sandbox payment → PAID → shipment with tracking number (owner only) → in transit → DELIVERED → COMPLETED', async () => {
    const buyer = await shop.register();
    const stranger = await shop.register();
    const variantId = stack.demoVariants[4]?.id ?? '';
    await shop.cartWith(variantId, buyer, 2);
    const express = (await shop.quotesWhenPublished(buyer)).find((quote) => quote.name === 'Express');
    expect(express?.price).toEqual({ amount: '12.90', currency: 'EUR' });

    const placed = await shop.checkout(buyer, { couponCode: 'welcome10', shippingQuoteToken: express?.token });
    expect(errorCodes(placed)).toEqual([]);
    expect(placed.data?.checkout?.status).toBe('PENDING');
    const orderId = placed.data?.checkout?.id ?? '';
    const order = await shop.orderUntil(orderId, (o) => o.status !== 'PENDING');
    expect(order.status).toBe('AWAITING_PAYMENT');
    const subtotal = minor(order.subtotal.amount);
    expect(minor(order.discount.amount)).toBe(Math.round(subtotal / 10));
    expect(order.shippingTotal.amount).toBe('12.90');
    expect(minor(order.taxTotal.amount)).toBeGreaterThan(0);
    expect(minor(order.total.amount)).toBe(subtotal - minor(order.discount.amount) + 1290 + minor(order.taxTotal.amount));

    // Pay through the sandbox's hosted page, as the browser would, via the gateway.
    const payment = await shop.pay(orderId, buyer);
    expect(payment).toMatchObject({ status: 'PENDING', amount: order.total });
    const page = await fetch(payment.redirectUrl ?? '');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(order.total.amount);
    const submitted = await fetch(payment.redirectUrl ?? '', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: stack.gatewayOrigin }, body: 'outcome=pay' });
    expect(submitted.status).toBe(200);

    // Paid: shipping creates the shipment and the sandbox carrier books it with a tracking number (order SHIPPED on dispatch).
    const paid = await shop.orderUntil(orderId, (o) => o.status !== 'AWAITING_PAYMENT');
    expect(['PAID', 'SHIPPED']).toContain(paid.status);
    const shipment = await until(
      () => shop.call<{ shipment: { orderId: string; status: string; carrier: string; trackingNumber: string | null } | null }>(SHIPMENT, { orderId }, buyer),
      (answer) => Boolean(answer.data?.shipment?.trackingNumber),
    );
    expect(shipment.data?.shipment).toMatchObject({ orderId, status: 'DISPATCHED', carrier: 'sandbox', trackingNumber: expect.stringMatching(/^SBX[0-9A-F]{12}$/) });
    const trackingNumber = shipment.data?.shipment?.trackingNumber;
    const foreign = await shop.call(SHIPMENT, { orderId }, stranger);
    const missing = await shop.call(SHIPMENT, { orderId: randomUUID() }, stranger);
    expect(foreign.data).toEqual({ shipment: null });
    expect(foreign.text).toBe(missing.text);
    expect(foreign.text).not.toContain(trackingNumber ?? '');
    const foreignOrder = await shop.call<{ order: Order | null }>(ORDER, { id: orderId }, stranger);
    expect(foreignOrder.data?.order ?? null).toBeNull();
    expect((await shop.orderUntil(orderId, (o) => o.status === 'SHIPPED')).status).toBe('SHIPPED');

    // Staff (sandbox carrier) move the parcel on.
    const inTransit = await shop.staff<{ advanceShipment: { status: string; trackingNumber: string } }>(ADVANCE, { orderId });
    expect(inTransit.data?.advanceShipment).toEqual({ status: 'IN_TRANSIT', trackingNumber });
    expect((await shop.order(orderId)).status).toBe('SHIPPED');
    expect(errorCodes(await shop.call(ADVANCE, { orderId }, buyer))).toEqual(['FORBIDDEN']);
    const delivered = await shop.staff<{ advanceShipment: { status: string } }>(ADVANCE, { orderId });
    expect(delivered.data?.advanceShipment.status).toBe('DELIVERED');
    const completed = await shop.orderUntil(orderId, (o) => o.status === 'COMPLETED');
    expect(completed.history.map((entry) => [entry.from, entry.to])).toEqual([
      [null, 'PENDING'],
      ['PENDING', 'AWAITING_PAYMENT'],
      ['AWAITING_PAYMENT', 'PAID'],
      ['PAID', 'SHIPPED'],
      ['SHIPPED', 'DELIVERED'],
      ['DELIVERED', 'COMPLETED'],
    ]);
    const owner = await shop.call<{ shipment: { status: string } | null }>(SHIPMENT, { orderId }, buyer);
    expect(owner.data?.shipment?.status).toBe('DELIVERED');
  }, 120_000);
});

describe('coupon limits under concurrency, and quote expiry (PROMO-2, SHIP-1)', () => {
  let stack: ShopTestStack;
  let shop: ShopClient;
  beforeAll(async () => {
    stack = await startShopTestStack({ rateLimitScale: 100, gatewayEnv: { RATE_LIMIT_SCALE: '100' }, ordersEnv: { SHIPPING_QUOTE_TTL_SECONDS: '2' } });
    shop = shopClient(stack, await stack.auth.token(randomUUID(), ['STAFF']));
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  test('SHIP-1: an expired quote token is refused with SHIPPING_QUOTE_INVALID (EXPIRED) and no order is made', async () => {
    const buyer = await shop.register();
    await shop.cartWith(stack.demoVariants[0]?.id ?? '', buyer);
    const [quote] = await shop.quotesWhenPublished(buyer);
    const expiresAt = new Date(quote?.expiresAt ?? 0).getTime();
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(2_000);
    await pause(Math.max(0, expiresAt - Date.now()) + 1_100);
    expect(refusal(await shop.checkout(buyer, { shippingQuoteToken: quote?.token }))).toEqual({ order: null, errors: [['SHIPPING_QUOTE_INVALID', 'EXPIRED']] });
    expect(await shop.myOrderIds(buyer)).toEqual([]);
  }, 60_000);

  test('PROMO-2: a coupon with usage limit 3 and 25 concurrent checkouts → exactly 3 AWAITING_PAYMENT with the discount, 22 REJECTED (coupon); cancelling a paid one frees its slot', async () => {
    const variantId = stack.demoVariants[5]?.id ?? '';
    expect(errorCodes(await shop.staff(SET_STOCK, { variantId, quantity: 100 }))).toEqual([]);
    const code = `LIMIT3_${randomUUID().slice(0, 8)}`.toUpperCase();
    const created = await shop.staff<{ createCoupon: { id: string; code: string; usageCount: number } }>(CREATE_COUPON, { input: { code, kind: 'PERCENTAGE', value: 20, usageLimit: 3 } });
    expect(errorCodes(created)).toEqual([]);
    const couponId = created.data?.createCoupon.id ?? '';
    const usage = async () => (await shop.staff<{ coupon: { usageCount: number } }>(COUPON, { id: couponId })).data?.coupon.usageCount;

    const buyers = await Promise.all(Array.from({ length: 25 }, () => stack.auth.token(randomUUID(), ['CUSTOMER'])));
    await Promise.all(buyers.map((token) => shop.cartWith(variantId, token)));
    const placed = await Promise.all(buyers.map((token) => shop.checkout(token, { couponCode: code })));
    expect(placed.flatMap(errorCodes)).toEqual([]);
    expect(placed.every((answer) => answer.data?.checkout?.status === 'PENDING')).toBe(true);
    const ids = placed.map((answer) => answer.data?.checkout?.id ?? '');

    const outcomes = await Promise.all(ids.map((id) => shop.orderUntil(id, (o) => o.status !== 'PENDING', 90_000)));
    const awaiting = outcomes.filter((o) => o.status === 'AWAITING_PAYMENT');
    const rejected = outcomes.filter((o) => o.status === 'REJECTED');
    expect({ awaiting: awaiting.length, rejected: rejected.length }).toEqual({ awaiting: 3, rejected: 22 });
    for (const o of awaiting) expect(minor(o.discount.amount)).toBe(Math.round(minor(o.subtotal.amount) / 5));
    for (const o of rejected) {
      expect(o.discount.amount).toBe('0.00');
      expect(o.history.at(-1)?.reason).toMatch(new RegExp(`COUPON_INVALID: ${code} cannot be used \\(USAGE_LIMIT\\)`));
    }
    expect(await usage()).toBe(3);
    // The rejected orders' stock is released: only the 3 hold a unit.
    expect(await until(() => shop.available(variantId), (available) => available === 97)).toBe(97);

    // A paid order can only be cancelled before it ships, and the sandbox carrier ships a paid order
    // within moments: shipping is stopped here so the parcel stays unbooked, as with a slow carrier.
    await stack.shipping.stop();
    const index = outcomes.findIndex((o) => o.status === 'AWAITING_PAYMENT');
    const paidOrder = awaiting[0] as Order;
    const payment = await shop.pay(paidOrder.id, buyers[index] ?? '');
    expect(payment.amount).toEqual(paidOrder.total);
    expect(await shop.succeed(payment.id, payment.amount)).toBe(200);
    expect((await shop.orderUntil(paidOrder.id, (o) => o.status !== 'AWAITING_PAYMENT')).status).toBe('PAID');
    const cancelled = await shop.staff<{ cancelOrder: { status: string } }>(CANCEL, { id: paidOrder.id });
    expect(errorCodes(cancelled)).toEqual([]);
    expect(cancelled.data?.cancelOrder.status).toBe('CANCELLED');
    expect(await until(usage, (count) => count === 2)).toBe(2);
    const refunded = await until(
      async () => (await shop.staff<{ payment: { refunded: { amount: string } } }>(PAYMENT, { id: payment.id })).data?.payment.refunded.amount,
      (amount) => amount === paidOrder.total.amount,
    );
    expect(refunded).toBe(paidOrder.total.amount);

    // The freed slot: one new checkout with the code gets the discount, the next is rejected again.
    const [late, later] = await Promise.all([stack.auth.token(randomUUID(), ['CUSTOMER']), stack.auth.token(randomUUID(), ['CUSTOMER'])]);
    await shop.cartWith(variantId, late);
    await shop.cartWith(variantId, later);
    const second = await shop.checkout(late, { couponCode: code });
    const secondOrder = await shop.orderUntil(second.data?.checkout?.id ?? '', (o) => o.status !== 'PENDING');
    expect(secondOrder.status).toBe('AWAITING_PAYMENT');
    expect(minor(secondOrder.discount.amount)).toBe(Math.round(minor(secondOrder.subtotal.amount) / 5));
    expect(await usage()).toBe(3);
    const third = await shop.checkout(later, { couponCode: code });
    const thirdOrder = await shop.orderUntil(third.data?.checkout?.id ?? '', (o) => o.status !== 'PENDING');
    expect(thirdOrder.status).toBe('REJECTED');
    expect(thirdOrder.history.at(-1)?.reason).toMatch(/USAGE_LIMIT/);
  }, 240_000);
});
