import { randomUUID } from 'node:crypto';
import { errorCodes } from '@shop/platform/testing';
import { customer, envelope, outboxOf, payOrder, postWebhook, staff, startedPayment, startTestPayments, webhookBody, awaitingPayment, type TestPayments } from './payments-test-server';

let payments: TestPayments;
beforeAll(async () => {
  payments = await startTestPayments();
});
afterAll(async () => payments?.stop());

const REFUND = 'mutation ($paymentId: ID!, $amount: MoneyInput, $reason: String!, $key: String, $destination: RefundDestination) { refundPayment(paymentId: $paymentId, amount: $amount, reason: $reason, idempotencyKey: $key, destination: $destination) { id paymentId amount { amount currency } destination } }';

function refund(paymentId: string, variables: { amount?: { amount: string; currency: string }; key?: string; destination?: string } = {}, identity = staff) {
  return payments.call<{ refundPayment: { id: string; amount: { amount: string }; destination: string } }>(REFUND, { variables: { paymentId, reason: 'customer returned it', ...variables }, identity });
}

async function capturedPayment(totalMinor = 4990n) {
  const started = await startedPayment(payments, { totalMinor });
  expect((await postWebhook(payments, webhookBody(started.payment.id, { amount: Number(totalMinor) }))).status).toBe(200);
  return started;
}

async function refundedOf(paymentId: string) {
  return (await payments.db.payment.findUniqueOrThrow({ where: { id: paymentId } })).refundedMinor;
}

describe('refunds (PAY-5)', () => {
  test('PAY-5: a partial then the full rest: PaymentRefunded says partial, then fully refunded', async () => {
    const { payment, orderId } = await capturedPayment();
    const partial = await refund(payment.id, { amount: { amount: '10.00', currency: 'EUR' } });
    expect(partial.data?.refundPayment.amount.amount).toBe('10.00');
    const rest = await refund(payment.id);
    expect(rest.data?.refundPayment.amount.amount).toBe('39.90');
    expect(await refundedOf(payment.id)).toBe(4990n);
    const events = (await outboxOf(payments, orderId)).filter((e) => e.type === 'PaymentRefunded').map((e) => e.payload as { fullyRefunded: boolean; refundedTotal: { amountMinor: string } });
    expect(events.map((e) => [e.fullyRefunded, e.refundedTotal.amountMinor])).toEqual([[false, '1000'], [true, '4990']]);
  });

  test('PAY-5: a refund over captured minus refunded is refused and changes nothing', async () => {
    const { payment } = await capturedPayment();
    expect(errorCodes(await refund(payment.id, { amount: { amount: '49.91', currency: 'EUR' } }))).toEqual(['REFUND_EXCEEDS_CAPTURED']);
    await refund(payment.id, { amount: { amount: '40.00', currency: 'EUR' } });
    expect(errorCodes(await refund(payment.id, { amount: { amount: '10.00', currency: 'EUR' } }))).toEqual(['REFUND_EXCEEDS_CAPTURED']);
    expect(await refundedOf(payment.id)).toBe(4000n);
  });

  test('PAY-5: concurrent refunds never exceed the capture (guarded update)', async () => {
    const { payment } = await capturedPayment();
    const answers = await Promise.all(Array.from({ length: 8 }, () => refund(payment.id, { amount: { amount: '10.00', currency: 'EUR' } })));
    expect(answers.filter((a) => a.data?.refundPayment)).toHaveLength(4);
    expect(await refundedOf(payment.id)).toBe(4000n);
  });

  test('PAY-5: the same idempotency key refunds once, even concurrently', async () => {
    const { payment } = await capturedPayment();
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 4 }, () => refund(payment.id, { amount: { amount: '5.00', currency: 'EUR' }, key })));
    expect(new Set(answers.map((a) => a.data?.refundPayment.id)).size).toBe(1);
    expect(await refundedOf(payment.id)).toBe(500n);
  });

  test('PAY-5: bad input (wrong currency, zero, no reason) is BAD_USER_INPUT; a pending payment cannot be refunded; customers may not refund', async () => {
    const { payment, who } = await capturedPayment();
    expect(errorCodes(await refund(payment.id, { amount: { amount: '1.00', currency: 'USD' } }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await refund(payment.id, { amount: { amount: '0.00', currency: 'EUR' } }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await payments.call(REFUND, { variables: { paymentId: payment.id, reason: '  ' }, identity: staff }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await refund(payment.id, {}, who))).toEqual(['FORBIDDEN']);
    expect(await refundedOf(payment.id)).toBe(0n);
    const pending = await startedPayment(payments);
    expect(errorCodes(await refund(pending.payment.id))).toEqual(['INVALID_TRANSITION']);
  });

  test('PAY-5, ORD-5: OrderCancelled with previousStatus PAID refunds the capture in full, once (redelivery harmless)', async () => {
    const { payment, orderId } = await capturedPayment();
    const cancelled = envelope('orders', 'OrderCancelled', 1, orderId, { orderId, previousStatus: 'PAID', actor: 'staff:1', reason: 'customer asked' });
    expect(await payments.orderEvent(cancelled)).toBe(true);
    expect(await payments.orderEvent(cancelled)).toBe(false);
    expect(await refundedOf(payment.id)).toBe(4990n);
    expect((await outboxOf(payments, orderId)).map((e) => e.type)).toEqual(['PaymentSucceeded', 'PaymentRefunded']);
  });
});

describe('wallet (PAY-7)', () => {
  test('PAY-7: a refund to the wallet credits it; the wallet pays an order; the balance is derived from the ledger', async () => {
    const { payment, who } = await capturedPayment(3000n);
    await refund(payment.id, { destination: 'WALLET' });
    const wallet = await payments.call<{ myWallet: { balance: { amount: string } } }>('{ myWallet(currency: "EUR") { balance { amount currency } held { amount } } }', { identity: who });
    expect(wallet.data?.myWallet.balance.amount).toBe('30.00');
    const { orderId } = await awaitingPayment(payments, who, { totalMinor: 2000n });
    const paid = await payOrder(payments, who, orderId, { method: 'WALLET' });
    expect(paid.data?.payOrder).toMatchObject({ status: 'SUCCEEDED', method: 'WALLET', amount: { amount: '20.00' } });
    expect((await outboxOf(payments, orderId)).map((e) => e.type)).toEqual(['PaymentSucceeded']);
    const after = await payments.call<{ myWallet: { balance: { amount: string } } }>('{ myWallet(currency: "EUR") { balance { amount } } }', { identity: who });
    expect(after.data?.myWallet.balance.amount).toBe('10.00');
  });

  test('PAY-7: concurrent wallet payments never take the balance below zero', async () => {
    const { payment, who } = await capturedPayment(3000n);
    await refund(payment.id, { destination: 'WALLET' });
    const orders = await Promise.all(Array.from({ length: 6 }, () => awaitingPayment(payments, who, { totalMinor: 1000n })));
    const answers = await Promise.all(orders.map(({ orderId }) => payOrder(payments, who, orderId, { method: 'WALLET' })));
    expect(answers.filter((a) => a.data?.payOrder.status === 'SUCCEEDED')).toHaveLength(3);
    expect(answers.filter((a) => errorCodes(a)[0] === 'INSUFFICIENT_WALLET_BALANCE')).toHaveLength(3);
    const wallet = await payments.db.wallet.findUniqueOrThrow({ where: { customerId_currency: { customerId: who.userId ?? '', currency: 'EUR' } } });
    expect(wallet.balanceMinor).toBe(0n);
    expect(await payments.db.payment.count({ where: { customerId: who.userId, method: 'WALLET' } })).toBe(3);
  });

  test('PAY-3, PAY-7: concurrent wallet payments with the same key debit once and return the same attempt', async () => {
    const { payment, who } = await capturedPayment(3000n);
    await refund(payment.id, { destination: 'WALLET' });
    const { orderId } = await awaitingPayment(payments, who, { totalMinor: 1000n });
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 4 }, () => payOrder(payments, who, orderId, { method: 'WALLET', key })));
    expect(new Set(answers.map((a) => a.data?.payOrder.id)).size).toBe(1);
    expect(answers.every((a) => a.data?.payOrder.status === 'SUCCEEDED')).toBe(true);
    const wallet = await payments.db.wallet.findUniqueOrThrow({ where: { customerId_currency: { customerId: who.userId ?? '', currency: 'EUR' } } });
    expect(wallet.balanceMinor).toBe(2000n);
  });

  test('PAY-7: a wallet without enough balance refuses the payment and records nothing', async () => {
    const who = customer();
    const { orderId } = await awaitingPayment(payments, who);
    expect(errorCodes(await payOrder(payments, who, orderId, { method: 'WALLET' }))).toEqual(['INSUFFICIENT_WALLET_BALANCE']);
    expect(await payments.db.payment.count({ where: { orderId } })).toBe(0);
  });
});
