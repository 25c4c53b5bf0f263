import { errorCodes } from '@shop/platform/testing';
import { addLine, callOrders, checkout, customer, envelope, guestCart, outboxOf, placeOrder, seedVariant, staff, startTestOrders, type TestOrders } from './orders-test-server';

let orders: TestOrders;

beforeAll(async () => {
  orders = await startTestOrders({ ORDER_CANCEL_WINDOW_MINUTES: '60', TRACK_ORDER_PER_CLIENT_PER_HOUR: '3' });
});
afterAll(async () => {
  await orders?.stop();
});

const ORDER = `query ($id: ID!) { order(id: $id) { id reference status } }`;
const CANCEL = `mutation ($id: ID!, $reason: String) { cancelOrder(id: $id, reason: $reason) { id status history { from to actor reason } } }`;
const TRACK = `query ($reference: String!, $email: String!) { trackOrder(reference: $reference, email: $email) { id reference status total { amount currency } } }`;
const CUSTOMER_ORDERS = `query ($r: [_Any!]!, $first: Int, $after: String) { _entities(representations: $r) { ... on Customer { orders(first: $first, after: $after) { edges { cursor node { id reference } } pageInfo { hasNextPage endCursor } } } } }`;

type Page = { edges: { cursor: string; node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

async function reserve(orderId: string, variantId: string) {
  await orders.inventoryEvent(envelope('inventory', 'StockReserved', 1, orderId, { orderId, expiresAt: new Date(Date.now() + 900_000).toISOString(), lines: [{ variantId, quantity: 1 }] }));
}

describe('reading orders (ORD-6, ORD-8, SEC-3)', () => {
  test('SEC-3: an order is visible to its customer and staff; another customer gets NOT_FOUND exactly like a missing id', async () => {
    const { order, identity } = await placeOrder(orders);
    expect((await orders.call<{ order: { id: string } }>(ORDER, { variables: { id: order.id }, identity })).data?.order.id).toBe(order.id);
    expect((await orders.call<{ order: { id: string } }>(ORDER, { variables: { id: order.id }, identity: staff })).data?.order.id).toBe(order.id);
    const other = await orders.call(ORDER, { variables: { id: order.id }, identity: customer() });
    const missing = await orders.call(ORDER, { variables: { id: '01900000-0000-7000-8000-000000000000' }, identity: customer() });
    const garbage = await orders.call(ORDER, { variables: { id: 'not-an-id' }, identity: customer() });
    expect(errorCodes(other)).toEqual(['NOT_FOUND']);
    expect(other.errors?.[0]?.message).toBe(missing.errors?.[0]?.message);
    expect(errorCodes(garbage)).toEqual(['NOT_FOUND']);
    expect(errorCodes(await orders.call(ORDER, { variables: { id: order.id } }))).toEqual(['UNAUTHENTICATED']);
    const cancelOthers = await orders.call(CANCEL, { variables: { id: order.id }, identity: customer() });
    expect(errorCodes(cancelOthers)).toEqual(['NOT_FOUND']);
  });

  test('ORD-8: me.orders is a Relay connection, newest first, paginated; only the customer themself or staff resolve it', async () => {
    const identity = customer();
    const placed: string[] = [];
    for (let i = 0; i < 3; i += 1) placed.push((await placeOrder(orders, { identity })).order.id);
    const r = [{ __typename: 'Customer', id: identity.userId }];
    const first = await orders.call<{ _entities: { orders: Page }[] }>(CUSTOMER_ORDERS, { variables: { r, first: 2 }, identity });
    const page1 = first.data?._entities[0]?.orders;
    expect(page1?.edges.map((e) => e.node.id)).toEqual([placed[2], placed[1]]);
    expect(page1?.pageInfo.hasNextPage).toBe(true);
    const second = await orders.call<{ _entities: { orders: Page }[] }>(CUSTOMER_ORDERS, { variables: { r, first: 2, after: page1?.pageInfo.endCursor }, identity });
    expect(second.data?._entities[0]?.orders.edges.map((e) => e.node.id)).toEqual([placed[0]]);
    expect(second.data?._entities[0]?.orders.pageInfo.hasNextPage).toBe(false);
    const byStaff = await orders.call<{ _entities: { orders: Page }[] }>(CUSTOMER_ORDERS, { variables: { r, first: 10 }, identity: staff });
    expect(byStaff.data?._entities[0]?.orders.edges).toHaveLength(3);
    const byOther = await orders.call(CUSTOMER_ORDERS, { variables: { r, first: 10 }, identity: customer() });
    expect(errorCodes(byOther)).toContain('NOT_FOUND');
    expect(byOther.text).not.toContain(placed[0]);
    expect(errorCodes(await orders.call(CUSTOMER_ORDERS, { variables: { r, first: 101 }, identity }))).toEqual(['BAD_USER_INPUT']);
  });

  test('ORD-6: trackOrder finds a guest order by reference and email; a wrong email answers exactly like an unknown reference', async () => {
    const variant = await seedVariant(orders);
    const cartId = await guestCart(orders);
    await addLine(orders, variant.variantId, 1, { cartId });
    const placed = (await checkout(orders, { cartId, email: 'track@example.com' })).data?.checkout;
    const clientAddress = '203.0.113.7';
    const found = await orders.call<{ trackOrder: { id: string } }>(TRACK, { variables: { reference: placed?.reference, email: 'Track@Example.com' }, clientAddress });
    expect(found.data?.trackOrder.id).toBe(placed?.id);
    const wrongEmail = await orders.call(TRACK, { variables: { reference: placed?.reference, email: 'someone@example.com' }, clientAddress });
    const unknown = await orders.call(TRACK, { variables: { reference: 'SO-AAAAAAAA', email: 'track@example.com' }, clientAddress });
    expect(errorCodes(wrongEmail)).toEqual(['NOT_FOUND']);
    expect(wrongEmail.errors?.[0]?.message).toBe(unknown.errors?.[0]?.message);
    expect(wrongEmail.data).toEqual(unknown.data);
  });

  test('SEC-7, ORD-6: trackOrder is rate-limited per client address: RATE_LIMITED with retryAfter; other clients are unaffected', async () => {
    const clientAddress = '203.0.113.99';
    const variables = { reference: 'SO-BBBBBBBB', email: 'x@example.com' };
    for (let i = 0; i < 3; i += 1) expect(errorCodes(await orders.call(TRACK, { variables, clientAddress }))).toEqual(['NOT_FOUND']);
    const limited = await orders.call(TRACK, { variables, clientAddress });
    expect(errorCodes(limited)).toEqual(['RATE_LIMITED']);
    expect(limited.errors?.[0]?.extensions?.retryAfter).toEqual(expect.any(Number));
    expect(limited.errors?.[0]?.extensions?.retryable).toBe(true);
    expect(errorCodes(await orders.call(TRACK, { variables, clientAddress: '203.0.113.100' }))).toEqual(['NOT_FOUND']);
  });

  test('ORD-2: orderAudit is staff-only', async () => {
    expect(errorCodes(await orders.call('{ orderAudit { ok problems } }', { identity: customer() }))).toEqual(['FORBIDDEN']);
    const audit = await orders.call<{ orderAudit: { ok: boolean } }>('{ orderAudit { ok problems } }', { identity: staff });
    expect(audit.data?.orderAudit.ok).toBe(true);
  });
});

describe('cancelling (ORD-4, ORD-5)', () => {
  test('ORD-5: the customer cancels within the window; OrderCancelled is emitted; cancelling again returns it unchanged (ORD-4)', async () => {
    const { order, identity, product } = await placeOrder(orders);
    await reserve(order.id, product.variantId);
    const first = await orders.call<{ cancelOrder: { status: string; history: unknown[] } }>(CANCEL, { variables: { id: order.id, reason: 'changed my mind' }, identity });
    expect(first.data?.cancelOrder.status).toBe('CANCELLED');
    expect(first.data?.cancelOrder.history.at(-1)).toEqual({ from: 'AWAITING_PAYMENT', to: 'CANCELLED', actor: `customer:${identity.userId}`, reason: 'changed my mind' });
    const again = await orders.call<{ cancelOrder: { status: string; history: unknown[] } }>(CANCEL, { variables: { id: order.id }, identity });
    expect(again.data?.cancelOrder).toEqual(first.data?.cancelOrder);
    const events = await outboxOf(orders, order.id);
    expect(events.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderAwaitingPayment', 'OrderCancelled']);
    expect(events[2]?.payload).toEqual({ orderId: order.id, previousStatus: 'AWAITING_PAYMENT', actor: `customer:${identity.userId}`, reason: 'changed my mind' });
  });

  test('ORD-5: after the window the customer gets CANCEL_WINDOW_CLOSED and nothing changes; staff may still cancel', async () => {
    const { order, identity } = await placeOrder(orders);
    await orders.db.order.update({ where: { id: order.id }, data: { createdAt: new Date(Date.now() - 61 * 60_000) } });
    const late = await orders.call(CANCEL, { variables: { id: order.id }, identity });
    expect(errorCodes(late)).toEqual(['CANCEL_WINDOW_CLOSED']);
    expect((await orders.db.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe('PENDING');
    const byStaff = await orders.call<{ cancelOrder: { status: string; history: { actor: string }[] } }>(CANCEL, { variables: { id: order.id, reason: 'fraud' }, identity: staff });
    expect(byStaff.data?.cancelOrder.status).toBe('CANCELLED');
    expect(byStaff.data?.cancelOrder.history.at(-1)?.actor).toBe('staff:staff-1');
  });

  test('ORD-2, ORD-4: markPaid and markShipped move the order with OrderPaid and OrderShipped; a shipped order cannot be cancelled (INVALID_TRANSITION)', async () => {
    const { order, product, identity } = await placeOrder(orders, { priceMinor: 2500n });
    await reserve(order.id, product.variantId);
    expect((await orders.server.orders.markPaid(order.id, 'system:payments')).status).toBe('PAID');
    expect((await orders.server.orders.markPaid(order.id, 'system:payments')).status).toBe('PAID');
    expect((await orders.server.orders.markShipped(order.id, 'system:shipping')).status).toBe('SHIPPED');
    const events = await outboxOf(orders, order.id);
    expect(events.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderAwaitingPayment', 'OrderPaid', 'OrderShipped']);
    expect(events[2]?.payload).toEqual({ orderId: order.id, total: { amount: '29.75', amountMinor: '2975', currency: 'EUR' } });
    for (const caller of [identity, staff]) {
      const refused = await orders.call(CANCEL, { variables: { id: order.id }, identity: caller });
      expect(errorCodes(refused)).toEqual(['INVALID_TRANSITION']);
      expect(refused.errors?.[0]?.extensions).toMatchObject({ from: 'SHIPPED', to: 'CANCELLED', retryable: false });
    }
    await expect(orders.server.orders.markPaid(order.id, 'system:payments')).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
  });

  test('ORD-4: concurrent cancels (customer and staff, on two replicas) record exactly one change and one OrderCancelled', async () => {
    const replica = await orders.replica();
    const { order, identity } = await placeOrder(orders);
    const answers = await Promise.all([
      ...Array.from({ length: 4 }, () => orders.call(CANCEL, { variables: { id: order.id }, identity })),
      ...Array.from({ length: 4 }, () => callOrders(replica, CANCEL, { variables: { id: order.id }, identity: staff })),
    ]);
    for (const answer of answers) expect(errorCodes(answer)).toEqual([]);
    const history = await orders.db.orderHistory.findMany({ where: { orderId: order.id } });
    expect(history.filter((h) => h.toStatus === 'CANCELLED')).toHaveLength(1);
    expect((await outboxOf(orders, order.id)).filter((e) => e.type === 'OrderCancelled')).toHaveLength(1);
  });
});
