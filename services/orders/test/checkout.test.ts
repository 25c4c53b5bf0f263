import { randomUUID } from 'node:crypto';
import { errorCodes } from '@shop/platform/testing';
import {
  ADDRESS,
  addLine,
  checkout,
  customer,
  envelope,
  guestCart,
  outboxOf,
  price,
  seedVariant,
  startTestOrders,
  type CartAnswer,
  CART_FIELDS,
  type TestOrders,
} from './orders-test-server';

let orders: TestOrders;

beforeAll(async () => {
  orders = await startTestOrders({ TAX_RATES: JSON.stringify({ DE: { standard: 1900, reduced: 700 }, FR: { standard: 2000 } }) });
});
afterAll(async () => {
  await orders?.stop();
});

describe('checkout (CART-3, CART-4, ORD-1)', () => {
  test('ORD-1, CART-4, PROMO-4: the order is PENDING with server-side amounts, tax by country, snapshot lines, history, OrderPlaced; the cart is emptied', async () => {
    const identity = customer();
    const mug = await seedVariant(orders, { priceMinor: 105n });
    const cup = await seedVariant(orders, { priceMinor: 1990n });
    await addLine(orders, mug.variantId, 3, { identity });
    await addLine(orders, cup.variantId, 1, { identity });
    const answer = await checkout(orders, {}, identity);
    const order = answer.data?.checkout;
    expect(answer.errors).toBeUndefined();
    expect(order).toMatchObject({
      status: 'PENDING',
      subtotal: { amount: '23.05', currency: 'EUR' },
      taxTotal: { amount: '4.38' },
      total: { amount: '27.43', currency: 'EUR' },
      history: [{ from: null, to: 'PENDING', actor: `customer:${identity.userId}`, reason: 'checkout' }],
    });
    expect(order?.reference).toMatch(/^SO-[A-HJ-KM-NP-Z2-9]{8}$/);
    expect(order?.lines).toEqual([
      expect.objectContaining({ sku: mug.sku, name: 'Test Mug – White', quantity: 3, unitPrice: { amount: '1.05', currency: 'EUR' }, taxRate: 1900, tax: { amount: '0.60' }, lineTotal: { amount: '3.75' } }),
      expect.objectContaining({ sku: cup.sku, quantity: 1, unitPrice: { amount: '19.90', currency: 'EUR' }, taxRate: 1900, tax: { amount: '3.78' }, lineTotal: { amount: '23.68' } }),
    ]);
    const events = await outboxOf(orders, order?.id ?? '');
    expect(events.map((e) => e.type)).toEqual(['OrderPlaced']);
    expect(events[0]?.payload).toMatchObject({ orderId: order?.id, reference: order?.reference, customerId: identity.userId, subtotal: { amountMinor: '2305' }, couponCode: null });
    expect(await orders.db.cartLine.count({ where: { cart: { customerId: identity.userId } } })).toBe(0);

    // ORD-1: a later catalog change does not touch the order.
    await orders.catalogEvent(envelope('catalog', 'VariantPriceChanged', 1, mug.productId, { productId: mug.productId, variantId: mug.variantId, sku: mug.sku, previousPrice: price(105n), price: price(999n) }));
    const again = await orders.call<{ order: { lines: { unitPrice: { amount: string } }[]; total: { amount: string } } }>(
      `query ($id: ID!) { order(id: $id) { lines { unitPrice { amount } } total { amount } } }`,
      { variables: { id: order?.id }, identity },
    );
    expect(again.data?.order).toEqual({ lines: [{ unitPrice: { amount: '1.05' } }, { unitPrice: { amount: '19.90' } }], total: { amount: '27.43' } });
  });

  test('PROMO-4: a country not in TAX_RATES is taxed at 0', async () => {
    const identity = customer();
    const mug = await seedVariant(orders, { priceMinor: 1000n });
    await addLine(orders, mug.variantId, 2, { identity });
    const answer = await checkout(orders, { shippingAddress: { ...ADDRESS, country: 'US' } }, identity);
    expect(answer.data?.checkout).toMatchObject({ taxTotal: { amount: '0.00' }, total: { amount: '20.00' } });
  });

  test('CART-3: a changed price fails with PRICE_CHANGED naming the line; the cart shows the new price and a second checkout succeeds at it', async () => {
    const identity = customer();
    const stable = await seedVariant(orders, { priceMinor: 500n });
    const moving = await seedVariant(orders, { priceMinor: 1000n });
    await addLine(orders, stable.variantId, 1, { identity });
    const cart = await addLine(orders, moving.variantId, 2, { identity });
    const movingLine = cart.lines.find((line) => line.variant.id === moving.variantId)?.id;
    await orders.catalogEvent(
      envelope('catalog', 'VariantPriceChanged', 1, moving.productId, { productId: moving.productId, variantId: moving.variantId, sku: moving.sku, previousPrice: price(1000n), price: price(1250n) }),
    );
    const first = await checkout(orders, {}, identity);
    expect(errorCodes(first)).toEqual(['PRICE_CHANGED']);
    expect(first.errors?.[0]?.extensions?.lines).toEqual([
      { lineId: movingLine, sku: moving.sku, previous: { amount: '10.00', currency: 'EUR' }, current: { amount: '12.50', currency: 'EUR' } },
    ]);
    expect(await orders.db.order.count({ where: { customerId: identity.userId } })).toBe(0);
    const refreshed = await orders.call<{ myCart: CartAnswer }>(`{ myCart { ${CART_FIELDS} } }`, { identity });
    expect(refreshed.data?.myCart.lines.find((line) => line.id === movingLine)?.unitPrice).toEqual({ amount: '12.50', currency: 'EUR' });
    const second = await checkout(orders, {}, identity);
    expect(errorCodes(second)).toEqual([]);
    expect(second.data?.checkout.subtotal).toEqual({ amount: '30.00', currency: 'EUR' });
  });

  test('CART-3: an archived or unknown variant fails with OUT_OF_STOCK naming the lines; nothing is created', async () => {
    const identity = customer();
    const gone = await seedVariant(orders, { priceMinor: 700n });
    const cart = await addLine(orders, gone.variantId, 1, { identity });
    await orders.catalogEvent(envelope('catalog', 'ProductArchived', 1, gone.productId, { productId: gone.productId }));
    const answer = await checkout(orders, {}, identity);
    expect(errorCodes(answer)).toEqual(['OUT_OF_STOCK']);
    expect(answer.errors?.[0]?.extensions?.lines).toEqual([{ lineId: cart.lines[0]?.id, variantId: gone.variantId, sku: gone.sku }]);
    expect(await orders.db.order.count({ where: { customerId: identity.userId } })).toBe(0);
    expect(await orders.db.cartLine.count({ where: { cartId: cart.id } })).toBe(1);
  });

  test('CART-4: bad input is a typed error and changes nothing: empty cart, bad country, guest without email, coupon, quote token', async () => {
    const identity = customer();
    expect(errorCodes(await checkout(orders, {}, identity))).toEqual(['BAD_USER_INPUT']);
    const variant = await seedVariant(orders);
    await addLine(orders, variant.variantId, 1, { identity });
    const badCountry = await checkout(orders, { shippingAddress: { ...ADDRESS, country: 'XX' } }, identity);
    expect(errorCodes(badCountry)).toEqual(['BAD_USER_INPUT']);
    expect(badCountry.errors?.[0]?.extensions?.field).toBe('input.shippingAddress.country');
    expect(errorCodes(await checkout(orders, { shippingAddress: { ...ADDRESS, line1: '  ' } }, identity))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await checkout(orders, { couponCode: 'SAVE 10%' }, identity))).toEqual(['COUPON_INVALID']);
    expect(errorCodes(await checkout(orders, { shippingQuoteToken: 'quote' }, identity))).toEqual(['SHIPPING_QUOTE_INVALID']);
    const cartId = await guestCart(orders);
    await addLine(orders, variant.variantId, 1, { cartId });
    const noEmail = await checkout(orders, { cartId });
    expect(errorCodes(noEmail)).toEqual(['BAD_USER_INPUT']);
    expect(noEmail.errors?.[0]?.extensions?.field).toBe('input.email');
    expect(await orders.db.order.count({ where: { OR: [{ customerId: identity.userId }, { idempotencyScope: `cart:${cartId}` }] } })).toBe(0);
  });

  test('CART-1: a guest checks out with cart id and email and can read the order it placed', async () => {
    const variant = await seedVariant(orders);
    const cartId = await guestCart(orders);
    await addLine(orders, variant.variantId, 2, { cartId });
    const answer = await checkout(orders, { cartId, email: 'Guest@Example.com' });
    expect(errorCodes(answer)).toEqual([]);
    expect(answer.data?.checkout).toMatchObject({ status: 'PENDING', email: 'guest@example.com', history: [{ actor: 'guest' }] });
  });
});

describe('idempotent checkout (CART-5)', () => {
  test('CART-5: 10 concurrent checkouts with one key give one order, the same for every caller', async () => {
    const identity = customer();
    const variant = await seedVariant(orders);
    await addLine(orders, variant.variantId, 2, { identity });
    const idempotencyKey = randomUUID();
    const answers = await Promise.all(Array.from({ length: 10 }, () => checkout(orders, { idempotencyKey }, identity)));
    for (const answer of answers) expect(errorCodes(answer)).toEqual([]);
    expect(new Set(answers.map((answer) => answer.data?.checkout.id)).size).toBe(1);
    expect(await orders.db.order.count({ where: { customerId: identity.userId } })).toBe(1);
    const id = answers[0]?.data?.checkout.id ?? '';
    expect((await outboxOf(orders, id)).map((e) => e.type)).toEqual(['OrderPlaced']);
    const retry = await checkout(orders, { idempotencyKey }, identity);
    expect(retry.data?.checkout.id).toBe(id);
  });

  test('CART-5: the same key with a different request is IDEMPOTENCY_KEY_REUSED and creates nothing', async () => {
    const identity = customer();
    const variant = await seedVariant(orders);
    await addLine(orders, variant.variantId, 1, { identity });
    const idempotencyKey = randomUUID();
    expect(errorCodes(await checkout(orders, { idempotencyKey }, identity))).toEqual([]);
    await addLine(orders, variant.variantId, 1, { identity });
    const reused = await checkout(orders, { idempotencyKey, shippingAddress: { ...ADDRESS, city: 'Hamburg' } }, identity);
    expect(errorCodes(reused)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect(reused.errors?.[0]?.extensions?.retryable).toBe(false);
    expect(await orders.db.order.count({ where: { customerId: identity.userId } })).toBe(1);
    expect(await orders.db.cartLine.count({ where: { cart: { customerId: identity.userId } } })).toBe(1);
  });

  test('CART-5: concurrent requests with one key but different addresses: one order, every other answer IDEMPOTENCY_KEY_REUSED', async () => {
    const identity = customer();
    const variant = await seedVariant(orders);
    await addLine(orders, variant.variantId, 1, { identity });
    const idempotencyKey = randomUUID();
    const cities = ['Berlin', 'Hamburg', 'Munich', 'Cologne', 'Bremen', 'Dresden'];
    const answers = await Promise.all(cities.map((city) => checkout(orders, { idempotencyKey, shippingAddress: { ...ADDRESS, city } }, identity)));
    const placed = answers.filter((answer) => errorCodes(answer).length === 0);
    expect(placed).toHaveLength(1);
    expect(answers.filter((answer) => errorCodes(answer).join() === 'IDEMPOTENCY_KEY_REUSED')).toHaveLength(cities.length - 1);
    expect(await orders.db.order.count({ where: { customerId: identity.userId } })).toBe(1);
  });

  test('CART-5: keys are per customer: another customer using the same key gets their own order', async () => {
    const idempotencyKey = randomUUID();
    const variant = await seedVariant(orders);
    const [a, b] = [customer(), customer()];
    await addLine(orders, variant.variantId, 1, { identity: a });
    await addLine(orders, variant.variantId, 1, { identity: b });
    const first = await checkout(orders, { idempotencyKey }, a);
    const second = await checkout(orders, { idempotencyKey }, b);
    expect(first.data?.checkout.id).toBeDefined();
    expect(second.data?.checkout.id).toBeDefined();
    expect(first.data?.checkout.id).not.toBe(second.data?.checkout.id);
  });

  test('CART-5, CART-1: a guest retry with the same key and cart returns the same order; another cart with that key is a new checkout', async () => {
    const variant = await seedVariant(orders);
    const cartId = await guestCart(orders);
    await addLine(orders, variant.variantId, 1, { cartId });
    const idempotencyKey = randomUUID();
    const first = await checkout(orders, { cartId, email: 'g@example.com', idempotencyKey });
    const retry = await checkout(orders, { cartId, email: 'g@example.com', idempotencyKey });
    expect(retry.data?.checkout.id).toBe(first.data?.checkout.id);
    const otherCart = await guestCart(orders);
    expect(errorCodes(await checkout(orders, { cartId: otherCart, email: 'g@example.com', idempotencyKey }))).toEqual(['BAD_USER_INPUT']);
  });

  test('CART-1: a customer checking out with their guest cart id merges it first and orders its lines', async () => {
    const variant = await seedVariant(orders, { priceMinor: 300n });
    const cartId = await guestCart(orders);
    await addLine(orders, variant.variantId, 4, { cartId });
    const identity = customer();
    const answer = await checkout(orders, { cartId }, identity);
    expect(errorCodes(answer)).toEqual([]);
    expect(answer.data?.checkout.lines.map((line) => [line.sku, line.quantity])).toEqual([[variant.sku, 4]]);
    expect(await orders.db.cart.findUnique({ where: { id: cartId } })).toBeNull();
  });
});
