import { errorCodes } from '@shop/platform/testing';
import { WalletLedger } from '../src/wallet.ledger';
import { awaitingPayment, customer, outboxOf, PAYMENT_FIELDS, payOrder, staff, startTestPayments, type PaymentAnswer, type TestPayments } from './payments-test-server';

let payments: TestPayments;
beforeAll(async () => {
  payments = await startTestPayments();
});
afterAll(async () => payments?.stop());

const confirm = (paymentId: string, identity = staff) =>
  payments.call<{ confirmOfflinePayment: PaymentAnswer }>(`mutation { confirmOfflinePayment(paymentId: "${paymentId}") { ${PAYMENT_FIELDS} } }`, { identity });

describe('cash on delivery and bank transfer (PAY-1)', () => {
  test.each(['BANK_TRANSFER', 'CASH_ON_DELIVERY'])('PAY-1: %s stays PENDING without a redirect until staff confirm receipt; confirming twice captures once', async (method) => {
    const who = customer();
    const { orderId } = await awaitingPayment(payments, who);
    const started = (await payOrder(payments, who, orderId, { method })).data?.payOrder;
    expect(started).toMatchObject({ status: 'PENDING', method, redirectUrl: null });
    expect(errorCodes(await confirm(started?.id ?? '', who))).toEqual(['FORBIDDEN']);
    expect((await confirm(started?.id ?? '')).data?.confirmOfflinePayment.status).toBe('SUCCEEDED');
    expect((await confirm(started?.id ?? '')).data?.confirmOfflinePayment.status).toBe('SUCCEEDED');
    expect((await outboxOf(payments, orderId)).map((e) => e.type)).toEqual(['PaymentSucceeded']);
  });

  test('PAY-6: a bank transfer confirmed after the payment deadline is not kept: it is refunded at once', async () => {
    const who = customer();
    const { orderId } = await awaitingPayment(payments, who);
    const started = (await payOrder(payments, who, orderId, { method: 'BANK_TRANSFER' })).data?.payOrder;
    await payments.db.payableOrder.update({ where: { orderId }, data: { paymentDueAt: new Date(Date.now() - 1000) } });
    await confirm(started?.id ?? '');
    expect((await outboxOf(payments, orderId)).map((e) => e.type)).toEqual(['PaymentRefunded']);
  });

  test('PAY-1: a sandbox payment cannot be confirmed by staff (BAD_USER_INPUT)', async () => {
    const who = customer();
    const { orderId } = await awaitingPayment(payments, who);
    const started = (await payOrder(payments, who, orderId)).data?.payOrder;
    expect(errorCodes(await confirm(started?.id ?? ''))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('wallet ledger holds (PAY-7)', () => {
  test('PAY-7: a hold makes money unspendable until released; the derived balance counts credits and debits only', async () => {
    const customerId = customer().userId ?? '';
    await payments.db.$transaction((tx) => WalletLedger.credit(tx, customerId, 'EUR', 1000n, 'goodwill-1'));
    await payments.db.$transaction((tx) => WalletLedger.credit(tx, customerId, 'EUR', 1000n, 'goodwill-1'));
    await payments.db.$transaction((tx) => WalletLedger.hold(tx, customerId, 'EUR', 800n, 'hold-1'));
    await expect(payments.db.$transaction((tx) => WalletLedger.debit(tx, customerId, 'EUR', 300n, 'debit-1'))).rejects.toMatchObject({ code: 'INSUFFICIENT_WALLET_BALANCE' });
    await payments.db.$transaction((tx) => WalletLedger.release(tx, customerId, 'EUR', 800n, 'hold-1'));
    await payments.db.$transaction((tx) => WalletLedger.debit(tx, customerId, 'EUR', 300n, 'debit-1'));
    expect(await WalletLedger.balance(payments.db, customerId, 'EUR')).toEqual({ balanceMinor: 700n, heldMinor: 0n });
    const wallet = await payments.db.wallet.findUniqueOrThrow({ where: { customerId_currency: { customerId, currency: 'EUR' } } });
    expect({ balance: wallet.balanceMinor, held: wallet.heldMinor }).toEqual({ balance: 700n, held: 0n });
  });

  test('PAY-7: the database refuses a negative balance even if a guard were bypassed (CHECK constraint)', async () => {
    const customerId = customer().userId ?? '';
    await payments.db.$transaction((tx) => WalletLedger.credit(tx, customerId, 'EUR', 100n, 'c-1'));
    await expect(payments.db.$executeRaw`UPDATE wallet SET balance_minor = -1 WHERE customer_id = ${customerId}`).rejects.toThrow(/wallet_balance_check/);
  });
});
