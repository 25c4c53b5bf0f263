import type { ShopServices } from './catalog.fixtures';
import { eventually, placedOrder } from './orders.fixtures';
import type { FieldFixture, FixtureRegistry, FixtureTools, OwnedObject } from './registry';

type Tools = FixtureTools<ShopServices>;

const PAY_ORDER = 'mutation ($orderId: ID!, $key: String!, $method: PaymentMethod) { payOrder(orderId: $orderId, idempotencyKey: $key, method: $method) { id status redirectUrl } }';
const PAYMENT_STATE = 'query ($id: ID!) { payment(id: $id) { status refunded { amount currency } } }';

/** A's payment of A's order, as customer A starts it through the gateway. */
interface OwnPayment {
  readonly orderId: string;
  readonly reference: string;
  readonly paymentId: string;
  readonly redirectUrl: string | null;
}

/** Customer A starts paying their order (AWAITING_PAYMENT) with `method`; the attempt stays PENDING. */
async function startedPayment(tools: Tools, method: 'SANDBOX' | 'CASH_ON_DELIVERY'): Promise<OwnPayment> {
  const order = await placedOrder(tools);
  const answer = await tools.gateway({ query: PAY_ORDER, variables: { orderId: order.id, key: `idor-${tools.unique()}`, method } });
  const payment = answer.data?.payOrder as { id: string; redirectUrl: string | null } | undefined;
  if (!payment) throw new Error(`customer A could not start paying ${order.reference}: ${answer.text}`);
  return { orderId: order.id, reference: order.reference, paymentId: payment.id, redirectUrl: payment.redirectUrl };
}

/**
 * Customer A's order paid with the sandbox provider: A presses Pay on the hosted page (which sends
 * the signed webhook), and the payment is SUCCEEDED.
 */
export async function paidOrder(tools: Tools): Promise<OwnPayment> {
  const payment = await startedPayment(tools, 'SANDBOX');
  if (!payment.redirectUrl) throw new Error(`A's sandbox payment ${payment.paymentId} has no hosted page`);
  const page = await fetch(payment.redirectUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'outcome=pay' });
  if (page.status !== 200) throw new Error(`the sandbox page answered ${page.status}: ${await page.text()}`);
  await eventually(`A's payment ${payment.paymentId} SUCCEEDED`, async () => {
    const answer = await tools.gateway({ query: PAYMENT_STATE, variables: { id: payment.paymentId } });
    return (answer.data?.payment as { status: string } | undefined)?.status === 'SUCCEEDED' ? true : undefined;
  });
  return payment;
}

const paymentOf = (payment: OwnPayment): OwnedObject => ({ ids: { paymentId: payment.paymentId }, secrets: [payment.paymentId, payment.orderId, payment.reference] });

/** A's payment as A sees it: its status and what has been refunded. */
const paymentState = async (owned: OwnedObject, tools: Tools) => (await tools.gateway({ query: PAYMENT_STATE, variables: { id: owned.ids.paymentId } })).data;

/** A staff-only change to A's payment, which must stay as it was. */
function staffPaymentWrite(
  create: (tools: Tools) => Promise<OwnPayment>,
  query: string,
  variables: (paymentId: string, unique: string) => Record<string, unknown>,
): FieldFixture<ShopServices> {
  return {
    access: 'staff-only',
    owner: 'CUSTOMER',
    create: async (tools) => paymentOf(await create(tools)),
    operation: (ids, unique) => ({ query, variables: variables(ids.paymentId ?? '', unique) }),
    readBack: paymentState,
  };
}

/**
 * Payments. A payment (and its refunds) is private to the customer who owns the order: another
 * customer finds it missing. Paying another customer's order answers exactly as paying an order
 * that does not exist; refunds and confirming offline money are staff's.
 */
export const paymentsFixtures: FixtureRegistry<ShopServices> = {
  'Query.payment': {
    access: 'private',
    owner: 'CUSTOMER',
    create: async (tools) => paymentOf(await startedPayment(tools, 'SANDBOX')),
    operation: (ids) => ({ query: 'query ($id: ID!) { payment(id: $id) { id orderId status amount { amount currency } redirectUrl } }', variables: { id: ids.paymentId } }),
  },
  // Payments hears of an order only once it awaits payment, so an order it does not know (a random
  // id) answers INVALID_TRANSITION, retryable: the schema's answer while checkout is PENDING. That
  // answer echoes the order id asked for (extensions.orderId), so the id, which the caller sent
  // itself, is no secret here; the comparison with a random id still covers it.
  'Mutation.payOrder': {
    access: 'private',
    owner: 'CUSTOMER',
    missingCodes: ['INVALID_TRANSITION'],
    create: async (tools) => {
      const order = await placedOrder(tools);
      return { ids: { orderId: order.id }, secrets: [order.reference] };
    },
    operation: (ids, unique) => ({ query: PAY_ORDER, variables: { orderId: ids.orderId, key: `idor-${unique}`, method: 'SANDBOX' } }),
    readBack: async (owned, tools) =>
      tools.services.paymentsSql('SELECT id::text AS id, customer_id, status::text AS status, idempotency_key FROM payment WHERE order_id = $1 ORDER BY id', [owned.ids.orderId]),
  },
  'Mutation.refundPayment': staffPaymentWrite(
    paidOrder,
    'mutation ($paymentId: ID!, $reason: String!, $key: String) { refundPayment(paymentId: $paymentId, reason: $reason, idempotencyKey: $key) { id amount { amount } } }',
    (paymentId, unique) => ({ paymentId, reason: 'refunded by an intruder', key: `idor-${unique}` }),
  ),
  'Mutation.confirmOfflinePayment': staffPaymentWrite(
    (tools) => startedPayment(tools, 'CASH_ON_DELIVERY'),
    'mutation ($paymentId: ID!) { confirmOfflinePayment(paymentId: $paymentId) { id status } }',
    (paymentId) => ({ paymentId }),
  ),
};
