import { randomUUID } from 'node:crypto';
import { errorCodes, postGraphQL, type GraphQLAnswer } from '@shop/platform/testing';
import { startShopTestStack, type ShopTestStack } from './shop-test-stack';

const ADDRESS = { name: 'Ada Buyer', line1: 'Hauptstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE' };
const ADD_LINE = 'mutation ($variantId: ID!, $quantity: Int!) { addCartLine(variantId: $variantId, quantity: $quantity) { id lines { id quantity } } }';
const CHECKOUT = 'mutation ($input: CheckoutInput!) { checkout(input: $input) { id reference status } }';
const ORDER = 'query ($id: ID!) { order(id: $id) { id status total { amount currency } history { from to actor reason } } }';
const SET_STOCK = 'mutation ($variantId: ID!, $quantity: Int!) { setStock(variantId: $variantId, quantity: $quantity, reason: "e2e stock") { variantId onHand reserved available } }';
const STOCK = 'query ($variantId: ID!) { stockLevels(variantId: $variantId) { onHand reserved committed available } }';
const RESERVATION = 'query ($orderId: ID!) { reservation(orderId: $orderId) { status lines { variantId quantity } } }';
const AUDITS = '{ stockAudit { ok problems } orderAudit { ok problems } }';

interface Order {
  id: string;
  reference: string;
  status: string;
  history?: { from: string | null; to: string; actor: string; reason: string | null }[];
}

/** What a saga scenario needs: calls as a given token through a given gateway, and staff views. */
function client(stack: ShopTestStack, staffToken: string) {
  const call = <Data>(query: string, variables: Record<string, unknown>, token?: string, gateway = 0): Promise<GraphQLAnswer<Data>> =>
    postGraphQL<Data>(stack.gatewayUrls[gateway] ?? stack.gatewayUrl, query, { variables, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const staff = <Data>(query: string, variables: Record<string, unknown> = {}) => call<Data>(query, variables, staffToken);
  return {
    call,
    staff,
    /** Waits until orders' copy of the catalogue knows the variant (catalog events are asynchronous). */
    async cartWith(variantId: string, token: string, gateway = 0): Promise<void> {
      const until = Date.now() + 30_000;
      for (;;) {
        const added = await call(ADD_LINE, { variantId, quantity: 1 }, token, gateway);
        if (errorCodes(added).length === 0) return;
        if (Date.now() > until) throw new Error(`could not add ${variantId} to a cart: ${added.text}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    async order(id: string): Promise<Order> {
      const answer = await staff<{ order: Order | null }>(ORDER, { id });
      if (!answer.data?.order) throw new Error(`order ${id} unreadable: ${answer.text}`);
      return answer.data.order;
    },
    /** Polls an order until `done` holds (the saga runs through events, so outcomes arrive later). */
    async orderUntil(id: string, done: (order: Order) => boolean, timeoutMs = 30_000): Promise<Order> {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const order = await this.order(id);
        if (done(order) || Date.now() > until) return order;
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    },
    async stock(variantId: string) {
      const answer = await staff<{ stockLevels: { onHand: number; reserved: number; committed: number; available: number }[] }>(STOCK, { variantId });
      const levels = answer.data?.stockLevels ?? [];
      const sum = (key: 'onHand' | 'reserved' | 'committed' | 'available') => levels.reduce((total, level) => total + level[key], 0);
      return { onHand: sum('onHand'), reserved: sum('reserved'), committed: sum('committed'), available: sum('available') };
    },
  };
}

type Client = ReturnType<typeof client>;

/**
 * The cross-service invariant checker: each service's own audit (ledger, counters, saga records)
 * plus what one service's state implies of the other's: an order awaiting payment holds a live
 * reservation, a cancelled or rejected one holds none.
 */
async function expectShopConsistent(shop: Client, orderIds: readonly string[]): Promise<void> {
  const audits = await shop.staff<{ stockAudit: { ok: boolean; problems: string[] }; orderAudit: { ok: boolean; problems: string[] } }>(AUDITS);
  expect(audits.data?.stockAudit).toEqual({ ok: true, problems: [] });
  expect(audits.data?.orderAudit).toEqual({ ok: true, problems: [] });
  for (const id of orderIds) {
    const order = await shop.order(id);
    const reservation = (await shop.staff<{ reservation: { status: string } | null }>(RESERVATION, { orderId: id })).data?.reservation ?? null;
    if (order.status === 'AWAITING_PAYMENT') expect(reservation?.status).toBe('RESERVED');
    if (order.status === 'PAID') expect(reservation?.status).toBe('COMMITTED');
    if (order.status === 'CANCELLED' || order.status === 'REJECTED') expect(reservation?.status ?? 'NONE').not.toBe('RESERVED');
  }
}

describe('checkout saga across two replicas of inventory and orders (separate processes)', () => {
  let stack: ShopTestStack;
  let shop: Client;
  beforeAll(async () => {
    stack = await startShopTestStack({ replicas: 2, rateLimitScale: 100, gatewayEnv: { RATE_LIMIT_SCALE: '100' } });
    shop = client(stack, await stack.auth.token(randomUUID(), ['STAFF']));
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  test('INV-2: 40 concurrent one-unit checkouts against stock 5 give exactly 5 AWAITING_PAYMENT and 35 REJECTED; stock never negative', async () => {
    const variantId = stack.demoVariants[0]?.id ?? '';
    expect(errorCodes(await shop.staff(SET_STOCK, { variantId, quantity: 5 }))).toEqual([]);
    const buyers = await Promise.all(Array.from({ length: 40 }, () => stack.auth.token(randomUUID(), ['CUSTOMER'])));
    await Promise.all(buyers.map((token, i) => shop.cartWith(variantId, token, i % 2)));

    const placed = await Promise.all(
      buyers.map((token, i) => shop.call<{ checkout: Order }>(CHECKOUT, { input: { idempotencyKey: randomUUID(), shippingAddress: ADDRESS } }, token, i % 2)),
    );
    expect(placed.flatMap(errorCodes)).toEqual([]);
    const ids = placed.map((answer) => answer.data?.checkout.id ?? '');
    expect(placed.every((answer) => answer.data?.checkout.status === 'PENDING')).toBe(true);

    const outcomes = await Promise.all(ids.map((id) => shop.orderUntil(id, (order) => order.status !== 'PENDING', 60_000)));
    const count = (status: string) => outcomes.filter((order) => order.status === status).length;
    expect({ awaiting: count('AWAITING_PAYMENT'), rejected: count('REJECTED') }).toEqual({ awaiting: 5, rejected: 35 });
    const rejected = outcomes.find((order) => order.status === 'REJECTED');
    expect(rejected?.history?.at(-1)?.reason).toMatch(/OUT_OF_STOCK/);
    expect(await shop.stock(variantId)).toEqual({ onHand: 5, reserved: 5, committed: 0, available: 0 });
    await expectShopConsistent(shop, ids);
  }, 180_000);

  test('CART-5: the same idempotency key sent 10 times at once gives one order', async () => {
    const variantId = stack.demoVariants[1]?.id ?? '';
    const buyer = await stack.auth.token(randomUUID(), ['CUSTOMER']);
    await shop.cartWith(variantId, buyer);
    const input = { idempotencyKey: randomUUID(), shippingAddress: ADDRESS };
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => shop.call<{ checkout: Order }>(CHECKOUT, { input }, buyer, i % 2)));
    expect(answers.flatMap(errorCodes)).toEqual([]);
    expect(new Set(answers.map((answer) => answer.data?.checkout.id)).size).toBe(1);
  }, 60_000);

  test('done-when: add to cart, check out, AWAITING_PAYMENT, cancel, and the stock returns', async () => {
    const variantId = stack.demoVariants[2]?.id ?? '';
    const before = await shop.stock(variantId);
    const buyer = await stack.auth.token(randomUUID(), ['CUSTOMER']);
    await shop.cartWith(variantId, buyer);
    const placed = await shop.call<{ checkout: Order }>(CHECKOUT, { input: { idempotencyKey: randomUUID(), shippingAddress: ADDRESS } }, buyer);
    const id = placed.data?.checkout.id ?? '';
    expect((await shop.orderUntil(id, (order) => order.status !== 'PENDING')).status).toBe('AWAITING_PAYMENT');
    expect((await shop.stock(variantId)).available).toBe(before.available - 1);

    const cancelled = await shop.call<{ cancelOrder: Order }>('mutation ($id: ID!) { cancelOrder(id: $id, reason: "changed my mind") { status } }', { id }, buyer, 1);
    expect(cancelled.data?.cancelOrder.status).toBe('CANCELLED');
    const until = Date.now() + 30_000;
    while ((await shop.stock(variantId)).available !== before.available && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await shop.stock(variantId)).toEqual(before);
    await expectShopConsistent(shop, [id]);
  }, 60_000);
});

describe('reservation expiry through the gateway', () => {
  let stack: ShopTestStack;
  let shop: Client;
  beforeAll(async () => {
    stack = await startShopTestStack({ inventoryEnv: { RESERVATION_TTL_SECONDS: '3', RESERVATION_SWEEP_INTERVAL_MS: '250' } });
    shop = client(stack, await stack.auth.token(randomUUID(), ['STAFF']));
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  test('INV-3: an unpaid order\'s stock returns to sale after RESERVATION_TTL_SECONDS and the order is cancelled as expired', async () => {
    const variantId = stack.demoVariants[0]?.id ?? '';
    const before = await shop.stock(variantId);
    const buyer = await stack.auth.token(randomUUID(), ['CUSTOMER']);
    await shop.cartWith(variantId, buyer);
    const placed = await shop.call<{ checkout: Order }>(CHECKOUT, { input: { idempotencyKey: randomUUID(), shippingAddress: ADDRESS } }, buyer);
    const id = placed.data?.checkout.id ?? '';
    expect((await shop.orderUntil(id, (order) => order.status !== 'PENDING')).status).toBe('AWAITING_PAYMENT');
    const expired = await shop.orderUntil(id, (order) => order.status === 'CANCELLED', 20_000);
    expect(expired.status).toBe('CANCELLED');
    expect(expired.history?.at(-1)).toMatchObject({ from: 'AWAITING_PAYMENT', to: 'CANCELLED', actor: 'system' });
    expect(await shop.stock(variantId)).toEqual(before);
    await expectShopConsistent(shop, [id]);
  }, 60_000);

  test('CART-3: a price change between add-to-cart and checkout fails with PRICE_CHANGED naming the line', async () => {
    const variant = stack.demoVariants[3];
    const buyer = await stack.auth.token(randomUUID(), ['CUSTOMER']);
    await shop.cartWith(variant?.id ?? '', buyer);
    const repriced = await shop.staff('mutation ($id: ID!) { setVariantPrice(variantId: $id, price: { amount: "123.45", currency: "EUR" }) { id } }', { id: variant?.id });
    expect(errorCodes(repriced)).toEqual([]);
    // The new price reaches orders through catalog events: a second cart shows when it has.
    const probe = await stack.auth.token(randomUUID(), ['CUSTOMER']);
    const until = Date.now() + 30_000;
    const probePrice = async () =>
      (await shop.call<{ addCartLine: { lines: { unitPrice: { amount: string } }[] } }>(
        'mutation ($variantId: ID!) { addCartLine(variantId: $variantId, quantity: 1) { lines { unitPrice { amount } } } }',
        { variantId: variant?.id },
        probe,
      )).data?.addCartLine.lines[0]?.unitPrice.amount;
    while ((await probePrice()) !== '123.45' && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 200));
    const input = { idempotencyKey: randomUUID(), shippingAddress: ADDRESS };
    let answer = await shop.call<{ checkout: Order }>(CHECKOUT, { input }, buyer);
    expect(errorCodes(answer)).toEqual(['PRICE_CHANGED']);
    expect(JSON.stringify(answer.errors?.[0]?.extensions)).toContain(variant?.sku ?? '');
    answer = await shop.call<{ checkout: Order }>(CHECKOUT, { input: { ...input, idempotencyKey: randomUUID() } }, buyer);
    expect(errorCodes(answer)).toEqual([]);
    const order = await shop.order(answer.data?.checkout.id ?? '');
    expect(order).toMatchObject({ status: expect.any(String) });
    expect((await shop.staff<{ order: { subtotal: { amount: string } } }>('query ($id: ID!) { order(id: $id) { subtotal { amount } } }', { id: order.id })).data?.order.subtotal.amount).toBe('123.45');
  }, 60_000);
});
