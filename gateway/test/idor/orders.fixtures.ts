import { errorCodes, type GraphQLAnswer } from '@shop/platform/testing';
import type { ShopServices } from './catalog.fixtures';
import type { FieldFixture, FixtureRegistry, FixtureTools, Ids, OwnedObject } from './registry';

type Tools = FixtureTools<ShopServices>;

const ADDRESS = { name: 'Idor Buyer', line1: 'Idor Street 1', city: 'Berlin', postalCode: '10117', country: 'DE' };
const ADD_LINE = 'mutation ($variantId: ID!) { addCartLine(variantId: $variantId, quantity: 1) { id lines { id } } }';
const CHECKOUT = 'mutation ($input: CheckoutInput!) { checkout(input: $input) { id reference } }';
const ORDER_STATE = 'query ($id: ID!) { order(id: $id) { status history { from to actor reason } } }';
const CART_STATE = '{ myCart { id lines { id quantity variant { id } } subtotal { amount } } }';
const QUOTES = 'query ($address: AddressInput!, $cartId: ID) { shippingQuotes(address: $address, cartId: $cartId) { methodId name price { amount currency } token expiresAt } }';

const pause = () => new Promise((resolve) => setTimeout(resolve, 200));

/** Polls `probe` until it returns a value (events cross subgraphs asynchronously); fails with `what` after 30 s. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const until = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`gave up waiting: ${what}`);
    await pause();
  }
}

/** The variant with the most stock, as any shopper finds it in the catalog. */
async function variantInStock(tools: Tools): Promise<string> {
  const query = '{ products(first: 20) { edges { node { variants { id stock { available } } } } } }';
  const answer = await tools.gateway({ query, variables: {} });
  const edges = (answer.data?.products as { edges: { node: { variants: { id: string; stock: { available: number } }[] } }[] } | undefined)?.edges ?? [];
  const [best] = edges.flatMap((edge) => edge.node.variants).sort((a, b) => b.stock.available - a.stock.available);
  if (!best?.stock.available) throw new Error(`no variant in stock: ${answer.text}`);
  return best.id;
}

interface OwnCart {
  readonly cartId: string;
  readonly lineId: string;
  readonly variantId: string;
}

/** Customer A's own cart with one line; retried until orders' copy of the catalog knows the variant (it arrives by events). */
async function ownCart(tools: Tools): Promise<OwnCart> {
  const variantId = await variantInStock(tools);
  const until = Date.now() + 30_000;
  for (;;) {
    const added = await tools.gateway({ query: ADD_LINE, variables: { variantId } });
    const cart = added.data?.addCartLine as { id: string; lines: { id: string }[] } | undefined;
    if (cart?.lines[0] && errorCodes(added).length === 0) return { cartId: cart.id, lineId: cart.lines[0].id, variantId };
    if (Date.now() > until) throw new Error(`customer A could not fill a cart: ${added.text}`);
    await pause();
  }
}

/** An order customer A placed through the gateway, once the saga has reserved its stock (AWAITING_PAYMENT). */
export async function placedOrder(tools: Tools): Promise<{ id: string; reference: string }> {
  await ownCart(tools);
  const placed = await tools.gateway({ query: CHECKOUT, variables: { input: { idempotencyKey: `idor-${tools.unique()}`, shippingAddress: ADDRESS } } });
  const order = placed.data?.checkout as { id: string; reference: string } | undefined;
  if (!order) throw new Error(`customer A could not check out: ${placed.text}`);
  const until = Date.now() + 30_000;
  for (;;) {
    const status = ((await tools.gateway({ query: ORDER_STATE, variables: { id: order.id } })).data?.order as { status: string } | undefined)?.status;
    if (status === 'AWAITING_PAYMENT') return order;
    if (status !== 'PENDING' || Date.now() > until) throw new Error(`A's order ${order.reference} ended ${status}, not AWAITING_PAYMENT`);
    await pause();
  }
}

const orderOf = async (tools: Tools): Promise<OwnedObject> => {
  const order = await placedOrder(tools);
  return { ids: { id: order.id }, secrets: [order.id, order.reference] };
};

const cartOf = async (tools: Tools): Promise<OwnedObject> => {
  const cart = await ownCart(tools);
  return { ids: { cartId: cart.cartId, lineId: cart.lineId }, secrets: [cart.cartId, cart.lineId], shared: { variantId: cart.variantId } };
};

/** The quotes in an answer to QUOTES. */
const quotesIn = (answer: GraphQLAnswer): readonly unknown[] => (Array.isArray(answer.data?.shippingQuotes) ? answer.data.shippingQuotes : []);

/** A's cart once orders has shipping's rates (published to it by events), so that it is quoted. */
const quotedCartOf = async (tools: Tools): Promise<OwnedObject> => {
  const cart = await cartOf(tools);
  await eventually('shipping quotes for A\'s cart', async () => {
    const answer = await tools.gateway({ query: QUOTES, variables: { address: ADDRESS, cartId: cart.ids.cartId } });
    return quotesIn(answer).length > 0 ? true : undefined;
  });
  return cart;
};

/** A's order as A sees it: status and history show any change. */
const orderState = async (owned: OwnedObject, tools: Tools) => (await tools.gateway({ query: ORDER_STATE, variables: { id: owned.ids.id } })).data;

/** A's cart as A sees it (signed in, so without a cart id). */
const cartState = async (_owned: OwnedObject, tools: Tools) => (await tools.gateway({ query: CART_STATE, variables: {} })).data;

/** A call that names A's cart by its id: another customer or a guest must find it missing. */
function cartCall(query: string, variables: (ids: Ids, unique: string) => Record<string, unknown>): FieldFixture<ShopServices> {
  return { access: 'private', owner: 'CUSTOMER', create: cartOf, operation: (ids, unique) => ({ query, variables: variables(ids, unique) }) };
}

/** A change aimed at A's cart, which must stay as it was. */
const cartWrite = (query: string, variables: (ids: Ids, unique: string) => Record<string, unknown>): FieldFixture<ShopServices> => ({
  ...cartCall(query, variables),
  readBack: cartState,
});

/**
 * Orders. An order is its customer's (and staff's): anyone else finds it missing. A guest's cart id
 * is a bearer secret by design, so the private object here is a signed-in customer's cart: its id
 * (and its line's) must work for no one else, exactly as a random id does not.
 */
export const ordersFixtures: FixtureRegistry<ShopServices> = {
  'Query.order': {
    access: 'private',
    owner: 'CUSTOMER',
    create: orderOf,
    operation: (ids) => ({ query: 'query ($id: ID!) { order(id: $id) { id reference status } }', variables: { id: ids.id } }),
  },
  'Mutation.cancelOrder': {
    access: 'private',
    owner: 'CUSTOMER',
    create: orderOf,
    operation: (ids) => ({ query: 'mutation ($id: ID!) { cancelOrder(id: $id, reason: "intruder") { id status } }', variables: { id: ids.id } }),
    readBack: orderState,
  },
  // Quotes name nothing of the cart; an unknown or empty cart cannot be quoted, so quotes show A's cart was reached.
  'Query.shippingQuotes': {
    ...cartCall(QUOTES, (ids) => ({ address: ADDRESS, cartId: ids.cartId })),
    create: quotedCartOf,
    ownerReached: (answer) => quotesIn(answer).length > 0,
  },
  'Query.myCart': cartCall('query ($cartId: ID) { myCart(cartId: $cartId) { id lines { id } } }', (ids) => ({ cartId: ids.cartId })),
  'Mutation.addCartLine': cartWrite(
    'mutation ($variantId: ID!, $cartId: ID) { addCartLine(variantId: $variantId, quantity: 2, cartId: $cartId) { id lines { id quantity } } }',
    (ids) => ({ variantId: ids.variantId, cartId: ids.cartId }),
  ),
  'Mutation.updateCartLine': cartWrite(
    'mutation ($lineId: ID!, $cartId: ID) { updateCartLine(lineId: $lineId, quantity: 7, cartId: $cartId) { id lines { id quantity } } }',
    (ids) => ({ lineId: ids.lineId, cartId: ids.cartId }),
  ),
  'Mutation.removeCartLine': cartWrite(
    'mutation ($lineId: ID!, $cartId: ID) { removeCartLine(lineId: $lineId, cartId: $cartId) { id lines { id } } }',
    (ids) => ({ lineId: ids.lineId, cartId: ids.cartId }),
  ),
  'Mutation.mergeGuestCart': cartWrite('mutation ($cartId: ID!) { mergeGuestCart(cartId: $cartId) { id lines { id } } }', (ids) => ({ cartId: ids.cartId })),
  // With an email, so that a guest's call gets as far as the cart (guests must give one).
  'Mutation.checkout': cartWrite(CHECKOUT, (ids, unique) => ({
    input: { idempotencyKey: `idor-${unique}`, shippingAddress: ADDRESS, cartId: ids.cartId, email: `idor-${unique}@idor.example.com` },
  })),
};
