import { errorCodes } from '@shop/platform/testing';
import { addLine, CART_FIELDS, customer, guestCart, seedVariant, startTestOrders, type CartAnswer, type TestOrders } from './orders-test-server';

let orders: TestOrders;

beforeAll(async () => {
  orders = await startTestOrders();
});
afterAll(async () => {
  await orders?.stop();
});

const ADD = `mutation ($variantId: ID!, $quantity: Int!, $cartId: ID) { addCartLine(variantId: $variantId, quantity: $quantity, cartId: $cartId) { ${CART_FIELDS} } }`;
const MY_CART = `query ($cartId: ID) { myCart(cartId: $cartId) { ${CART_FIELDS} } }`;

async function cartOf(cartId: string | undefined, identity = customer()) {
  return (await orders.call<{ myCart: CartAnswer | null }>(MY_CART, { variables: { cartId }, identity })).data?.myCart;
}

describe('guest carts (CART-1)', () => {
  test('CART-1: createCart gives an unguessable id: 128 random bits, base64url, never repeated', async () => {
    const ids = await Promise.all(Array.from({ length: 5 }, () => guestCart(orders)));
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Set(ids).size).toBe(5);
  });

  test('CART-1, SEC-3: a cart id that is not yours answers exactly like an unknown one (NOT_FOUND)', async () => {
    const owner = customer();
    const variant = await seedVariant(orders);
    const own = await addLine(orders, variant.variantId, 1, { identity: owner });
    const guest = await guestCart(orders);
    const stranger = customer();
    const unknown = await orders.call(MY_CART, { variables: { cartId: 'AAAAAAAAAAAAAAAAAAAAAA' } });
    const othersCustomerCart = await orders.call(MY_CART, { variables: { cartId: own.id } });
    const othersAsCustomer = await orders.call(MY_CART, { variables: { cartId: own.id }, identity: stranger });
    expect(errorCodes(unknown)).toEqual(['NOT_FOUND']);
    expect(errorCodes(othersCustomerCart)).toEqual(['NOT_FOUND']);
    expect(errorCodes(othersAsCustomer)).toEqual(['NOT_FOUND']);
    expect(othersCustomerCart.errors?.[0]?.message).toBe(unknown.errors?.[0]?.message);
    const addToOthers = await orders.call(ADD, { variables: { variantId: variant.variantId, quantity: 1, cartId: own.id } });
    expect(errorCodes(addToOthers)).toEqual(['NOT_FOUND']);
    expect((await cartOf(undefined, owner))?.lines).toHaveLength(1);
    expect((await orders.call<{ myCart: CartAnswer }>(MY_CART, { variables: { cartId: guest } })).data?.myCart.lines).toEqual([]);
  });

  test('CART-1: a guest cart merges into the customer cart at sign-in: quantities summed and capped, the guest cart deleted', async () => {
    const a = await seedVariant(orders);
    const b = await seedVariant(orders);
    const guest = await guestCart(orders);
    await addLine(orders, a.variantId, 5, { cartId: guest });
    await addLine(orders, b.variantId, 2, { cartId: guest });
    const signedIn = customer();
    await addLine(orders, a.variantId, 997, { identity: signedIn });
    const merged = await orders.call<{ mergeGuestCart: CartAnswer }>(`mutation ($cartId: ID!) { mergeGuestCart(cartId: $cartId) { ${CART_FIELDS} } }`, {
      variables: { cartId: guest },
      identity: signedIn,
    });
    const quantities = Object.fromEntries((merged.data?.mergeGuestCart.lines ?? []).map((line) => [line.variant.id, line.quantity]));
    expect(quantities).toEqual({ [a.variantId]: 999, [b.variantId]: 2 });
    expect(await orders.db.cart.findUnique({ where: { id: guest } })).toBeNull();
    expect(errorCodes(await orders.call(MY_CART, { variables: { cartId: guest } }))).toEqual(['NOT_FOUND']);
  });

  test('CART-1: a signed-in customer passing a guest cart id to myCart gets the merged cart too', async () => {
    const a = await seedVariant(orders);
    const guest = await guestCart(orders);
    await addLine(orders, a.variantId, 3, { cartId: guest });
    const signedIn = customer();
    const cart = await cartOf(guest, signedIn);
    expect(cart?.id).not.toBe(guest);
    expect(cart?.lines.map((line) => [line.variant.id, line.quantity])).toEqual([[a.variantId, 3]]);
    expect((await cartOf(undefined, signedIn))?.id).toBe(cart?.id);
  });
});

describe('cart lines (CART-2)', () => {
  test.each([
    ['0', 0],
    ['1000', 1000],
    ['-1', -1],
  ])('CART-2: quantity %s is BAD_USER_INPUT naming quantity, and the cart is unchanged', async (_label, quantity) => {
    const variant = await seedVariant(orders);
    const cartId = await guestCart(orders);
    const answer = await orders.call(ADD, { variables: { variantId: variant.variantId, quantity, cartId } });
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors?.[0]?.extensions?.field).toBe('quantity');
    expect(await orders.db.cartLine.count({ where: { cartId } })).toBe(0);
  });

  test.each([
    ['1.5', 1.5],
    ['"3"', '3'],
  ])('CART-2: quantity %s (not an integer) is BAD_USER_INPUT, and the cart is unchanged', async (_label, quantity) => {
    const variant = await seedVariant(orders);
    const cartId = await guestCart(orders);
    const answer = await orders.call(ADD, { variables: { variantId: variant.variantId, quantity, cartId } });
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.text).toContain('quantity');
    expect(await orders.db.cartLine.count({ where: { cartId } })).toBe(0);
  });

  test('CART-2: 1 and 999 are accepted; adding to an existing line past 999 is BAD_USER_INPUT and changes nothing', async () => {
    const variant = await seedVariant(orders);
    const cartId = await guestCart(orders);
    expect((await addLine(orders, variant.variantId, 1, { cartId })).lines[0]?.quantity).toBe(1);
    expect((await addLine(orders, variant.variantId, 998, { cartId })).lines[0]?.quantity).toBe(999);
    const over = await orders.call(ADD, { variables: { variantId: variant.variantId, quantity: 1, cartId } });
    expect(errorCodes(over)).toEqual(['BAD_USER_INPUT']);
    expect(over.errors?.[0]?.extensions?.field).toBe('quantity');
    expect((await orders.db.cartLine.findFirstOrThrow({ where: { cartId } })).quantity).toBe(999);
  });

  test('CART-2: updateCartLine validates the same way; removeCartLine drops the line; the subtotal is computed on the server', async () => {
    const a = await seedVariant(orders, { priceMinor: 1990n });
    const b = await seedVariant(orders, { priceMinor: 505n });
    const cartId = await guestCart(orders);
    await addLine(orders, a.variantId, 2, { cartId });
    const cart = await addLine(orders, b.variantId, 3, { cartId });
    expect(cart.subtotal).toEqual({ amount: '54.95', currency: 'EUR' });
    const lineA = cart.lines.find((line) => line.variant.id === a.variantId)?.id;
    const lineB = cart.lines.find((line) => line.variant.id === b.variantId)?.id;
    const UPDATE = `mutation ($lineId: ID!, $quantity: Int!, $cartId: ID) { updateCartLine(lineId: $lineId, quantity: $quantity, cartId: $cartId) { ${CART_FIELDS} } }`;
    expect(errorCodes(await orders.call(UPDATE, { variables: { lineId: lineA, quantity: 0, cartId } }))).toEqual(['BAD_USER_INPUT']);
    const updated = await orders.call<{ updateCartLine: CartAnswer }>(UPDATE, { variables: { lineId: lineA, quantity: 1, cartId } });
    expect(updated.data?.updateCartLine.subtotal).toEqual({ amount: '35.05', currency: 'EUR' });
    const removed = await orders.call<{ removeCartLine: CartAnswer }>(
      `mutation ($lineId: ID!, $cartId: ID) { removeCartLine(lineId: $lineId, cartId: $cartId) { ${CART_FIELDS} } }`,
      { variables: { lineId: lineB, cartId } },
    );
    expect(removed.data?.removeCartLine.lines.map((line) => line.variant.id)).toEqual([a.variantId]);
    const otherCart = await guestCart(orders);
    expect(errorCodes(await orders.call(UPDATE, { variables: { lineId: lineA, quantity: 2, cartId: otherCart } }))).toEqual(['NOT_FOUND']);
  });

  test('CART-2: an unknown variant is NOT_FOUND, an archived one VARIANT_UNAVAILABLE, another currency BAD_USER_INPUT', async () => {
    const cartId = await guestCart(orders);
    const unknown = await orders.call(ADD, { variables: { variantId: 'no-such-variant', quantity: 1, cartId } });
    expect(errorCodes(unknown)).toEqual(['NOT_FOUND']);
    const archived = await seedVariant(orders, { status: 'ARCHIVED' });
    expect(errorCodes(await orders.call(ADD, { variables: { variantId: archived.variantId, quantity: 1, cartId } }))).toEqual(['VARIANT_UNAVAILABLE']);
    const eur = await seedVariant(orders, { currency: 'EUR' });
    const usd = await seedVariant(orders, { currency: 'USD' });
    await addLine(orders, eur.variantId, 1, { cartId });
    const mixed = await orders.call(ADD, { variables: { variantId: usd.variantId, quantity: 1, cartId } });
    expect(errorCodes(mixed)).toEqual(['BAD_USER_INPUT']);
    expect(await orders.db.cartLine.count({ where: { cartId } })).toBe(1);
  });

  test('CART-1: a guest without a cart id is told to create one; myCart without one is null', async () => {
    const variant = await seedVariant(orders);
    const answer = await orders.call(ADD, { variables: { variantId: variant.variantId, quantity: 1 } });
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors?.[0]?.extensions?.field).toBe('cartId');
    expect((await orders.call<{ myCart: null }>(MY_CART)).data?.myCart).toBeNull();
  });
});
