import { randomUUID } from 'node:crypto';
import { errorCodes } from '@shop/platform/testing';
import { awaitingPayment, customer, envelope, outboxOf, payOrder, postWebhook, startedPayment, startTestPayments, webhookBody, type TestPayments } from './payments-test-server';

let payments: TestPayments;
beforeAll(async () => {
  payments = await startTestPayments({ PAYMENTS_PUBLIC_URL: 'http://shop.example:4000' });
});
afterAll(async () => payments?.stop());

describe('payOrder (PAY-1, PAY-4)', () => {
  test('PAY-4: the attempt is for the order server-side total, with a redirect to the hosted sandbox page', async () => {
    const who = customer();
    const { orderId } = await awaitingPayment(payments, who, { totalMinor: 12345n });
    const answer = await payOrder(payments, who, orderId);
    const payment = answer.data?.payOrder;
    expect(payment).toMatchObject({ orderId, status: 'PENDING', method: 'SANDBOX', amount: { amount: '123.45', currency: 'EUR' } });
    expect(payment?.redirectUrl).toBe(`http://shop.example:4000/pay/sandbox/${payment?.id}`);
  });

  test('PAY-3: the same idempotency key returns the same attempt', async () => {
    const who = customer();
    const { orderId } = await awaitingPayment(payments, who);
    const key = randomUUID();
    const [a, b] = await Promise.all([payOrder(payments, who, orderId, { key }), payOrder(payments, who, orderId, { key })]);
    expect(a.data?.payOrder.id).toBeDefined();
    expect(b.data?.payOrder.id).toBe(a.data?.payOrder.id);
    expect(await payments.db.payment.count({ where: { orderId } })).toBe(1);
  });

  test("PAY-4: another customer's order answers exactly like a missing one (SEC-3)", async () => {
    const { orderId } = await awaitingPayment(payments, customer());
    const who = customer();
    const missingId = randomUUID();
    const [theirs, missing] = [await payOrder(payments, who, orderId), await payOrder(payments, who, missingId)];
    const shape = (answer: typeof theirs, id: string) => JSON.stringify({ data: answer.data ?? null, errors: answer.errors }).replaceAll(id, '<id>');
    expect(errorCodes(theirs)).toEqual(['INVALID_TRANSITION']);
    expect(shape(theirs, orderId)).toBe(shape(missing, missingId));
    expect(await payments.db.payment.count({ where: { orderId } })).toBe(0);
  });

  test('PAY-4: an anonymous caller cannot pay', async () => {
    const { orderId } = await awaitingPayment(payments, customer());
    const answer = await payments.call(`mutation { payOrder(orderId: "${orderId}", idempotencyKey: "k-123456789") { id } }`);
    expect(errorCodes(answer)).toEqual(['UNAUTHENTICATED']);
  });

  test('PAY-4: an order payments does not know yet (checkout still PENDING) is INVALID_TRANSITION with retryable true', async () => {
    const answer = await payOrder(payments, customer(), randomUUID());
    expect(errorCodes(answer)).toEqual(['INVALID_TRANSITION']);
    expect(answer.errors?.[0]?.extensions?.retryable).toBe(true);
  });

  test('PAY-4: a paid or cancelled order, or one past its deadline, is INVALID_TRANSITION, not retryable', async () => {
    const who = customer();
    const { orderId } = await awaitingPayment(payments, who);
    await payments.orderEvent(envelope('orders', 'OrderCancelled', 1, orderId, { orderId, previousStatus: 'AWAITING_PAYMENT', actor: 'system', reason: 'reservation expired' }));
    const cancelled = await payOrder(payments, who, orderId);
    expect(errorCodes(cancelled)).toEqual(['INVALID_TRANSITION']);
    expect(cancelled.errors?.[0]?.extensions?.retryable).toBe(false);
    const overdue = await awaitingPayment(payments, who, { dueInSeconds: -1 });
    const late = await payOrder(payments, who, overdue.orderId);
    expect(errorCodes(late)).toEqual(['INVALID_TRANSITION']);
    expect(late.errors?.[0]?.extensions?.retryable).toBe(false);
  });

  test('PAY-4: a too-short idempotency key is BAD_USER_INPUT and creates nothing', async () => {
    const who = customer();
    const { orderId } = await awaitingPayment(payments, who);
    expect(errorCodes(await payOrder(payments, who, orderId, { key: 'short' }))).toEqual(['BAD_USER_INPUT']);
    expect(await payments.db.payment.count({ where: { orderId } })).toBe(0);
  });

  test('PAY-6: a capture arriving after the order was cancelled is refunded in full at once, and no PaymentSucceeded is sent', async () => {
    const { payment, orderId } = await startedPayment(payments);
    await payments.orderEvent(envelope('orders', 'OrderCancelled', 1, orderId, { orderId, previousStatus: 'AWAITING_PAYMENT', actor: 'system', reason: 'reservation expired' }));
    expect((await payments.db.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe('EXPIRED');
    expect((await postWebhook(payments, webhookBody(payment.id))).status).toBe(200);
    const row = await payments.db.payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect({ status: row.status, refunded: row.refundedMinor }).toEqual({ status: 'SUCCEEDED', refunded: 4990n });
    expect((await outboxOf(payments, orderId)).map((e) => e.type)).toEqual(['PaymentRefunded']);
  });

  test('PAY-6: a capture arriving after the payment deadline is refunded at once (payments never keeps money it may not charge)', async () => {
    const who = customer();
    const { orderId } = await awaitingPayment(payments, who, { dueInSeconds: 2 });
    const payment = (await payOrder(payments, who, orderId)).data?.payOrder;
    if (!payment) throw new Error('no payment');
    await payments.db.payableOrder.update({ where: { orderId }, data: { paymentDueAt: new Date(Date.now() - 1000) } });
    expect((await postWebhook(payments, webhookBody(payment.id))).status).toBe(200);
    const row = await payments.db.payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect({ status: row.status, refunded: row.refundedMinor }).toEqual({ status: 'SUCCEEDED', refunded: 4990n });
    expect((await outboxOf(payments, orderId)).map((e) => [e.type, (e.payload as { fullyRefunded?: boolean }).fullyRefunded])).toEqual([['PaymentRefunded', true]]);
  });

  test('PAY-4: a customer reads their own payment; another customer gets NOT_FOUND', async () => {
    const { payment, who } = await startedPayment(payments);
    const own = await payments.call<{ payment: { id: string } }>(`{ payment(id: "${payment.id}") { id status } }`, { identity: who });
    expect(own.data?.payment.id).toBe(payment.id);
    const other = await payments.call(`{ payment(id: "${payment.id}") { id status } }`, { identity: customer() });
    expect(errorCodes(other)).toEqual(['NOT_FOUND']);
  });
});
