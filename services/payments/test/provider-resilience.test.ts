import { errorCodes } from '@shop/platform/testing';
import { defaultProviders } from '../src/providers';
import { RedirectGatewayProvider } from '../src/providers/redirect-gateway.provider';
import { startFakeGateway, type FakeGateway } from './fake-gateway';
import { awaitingPayment, customer, outboxOf, payOrder, startTestPayments, WEBHOOK_SECRET, type TestPayments } from './payments-test-server';

let gateway: FakeGateway;
let payments: TestPayments;
let clock = Date.now();

beforeAll(async () => {
  gateway = await startFakeGateway();
  const providers = [
    ...defaultProviders({ webhookSecret: WEBHOOK_SECRET, toleranceSeconds: 300, publicUrl: 'http://localhost:4000' }),
    new RedirectGatewayProvider({ name: 'redirect', methods: ['CARD'], apiUrl: gateway.url, merchantId: 'm-1', callbackUrl: 'http://localhost:4000/orders' }),
  ];
  payments = await startTestPayments(
    { PAYMENTS_PROVIDER_TIMEOUT_MS: '300', PAYMENTS_PROVIDER_MAX_ATTEMPTS: '2', PAYMENTS_BREAKER_FAILURES: '4', PAYMENTS_BREAKER_OPEN_MS: '10000' },
    { providers, now: () => clock },
  );
});
afterAll(async () => {
  await payments?.stop();
  await gateway?.close();
});

const requests = () => gateway.calls.get('/v1/request') ?? 0;

async function cardPayment() {
  const who = customer();
  const { orderId } = await awaitingPayment(payments, who, { totalMinor: 1500n });
  return { who, orderId, answer: await payOrder(payments, who, orderId, { method: 'CARD' }) };
}

describe('provider calls: timeouts, retries, breaker (PAY-6)', () => {
  test('PAY-1: the redirect gateway registers the payment with its stable key and sends the customer to its page', async () => {
    gateway.mode = 'ok';
    const { answer } = await cardPayment();
    expect(answer.data?.payOrder).toMatchObject({ status: 'PENDING', method: 'CARD', amount: { amount: '15.00' } });
    expect(answer.data?.payOrder.redirectUrl).toMatch(new RegExp(`^${gateway.url}/start/trk_\\d+$`));
  });

  test('PAY-6: a provider answering 503 is retried (bounded), then PAYMENT_PROVIDER_UNAVAILABLE (retryable); the breaker opens and stops calling; it half-opens after openMs', async () => {
    gateway.mode = 'unavailable';
    const before = requests();
    const first = await cardPayment();
    expect(errorCodes(first.answer)).toEqual(['PAYMENT_PROVIDER_UNAVAILABLE']);
    expect(first.answer.errors?.[0]?.extensions?.retryable).toBe(true);
    expect(requests() - before).toBe(2);
    await cardPayment();
    expect(requests() - before).toBe(4);
    expect(payments.server.providers.breaker('redirect')?.state).toBe('OPEN');
    const whileOpen = await cardPayment();
    expect(errorCodes(whileOpen.answer)).toEqual(['PAYMENT_PROVIDER_UNAVAILABLE']);
    expect(requests() - before).toBe(4);

    clock += 10_000;
    expect(payments.server.providers.breaker('redirect')?.state).toBe('HALF_OPEN');
    gateway.mode = 'ok';
    const trial = await cardPayment();
    expect(trial.answer.data?.payOrder.status).toBe('PENDING');
    expect(payments.server.providers.breaker('redirect')?.state).toBe('CLOSED');
  });

  test('PAY-6: a provider that never answers times out (PAYMENT_PROVIDER_UNAVAILABLE) instead of hanging the request', async () => {
    gateway.mode = 'hang';
    const started = Date.now();
    const { answer } = await cardPayment();
    expect(errorCodes(answer)).toEqual(['PAYMENT_PROVIDER_UNAVAILABLE']);
    expect(Date.now() - started).toBeLessThan(3000);
    gateway.mode = 'ok';
    clock += 20_000;
  });
});

describe('reconciliation (PAY-6)', () => {
  test('PAY-6: a payment stuck pending that the provider reports paid is settled once, with two replicas running the job at the same time', async () => {
    gateway.mode = 'ok';
    const { answer, orderId } = await cardPayment();
    const payment = answer.data?.payOrder;
    const row = await payments.db.payment.findUniqueOrThrow({ where: { id: payment?.id } });
    gateway.outcomes.set(row.providerRef ?? '', 'paid');
    await payments.db.payment.update({ where: { id: row.id }, data: { createdAt: new Date(Date.now() - 120_000) } });
    const replica = await payments.replica();
    await payments.db.scheduledJob.updateMany({ data: { nextRunAt: new Date(0) } });
    const runs = await Promise.all([payments.server.reconcile.runIfDue(), replica.reconcile.runIfDue()]);
    expect(runs.filter(Boolean)).toHaveLength(1);
    expect((await payments.db.payment.findUniqueOrThrow({ where: { id: row.id } })).status).toBe('SUCCEEDED');
    expect((await outboxOf(payments, orderId)).map((e) => e.type)).toEqual(['PaymentSucceeded']);
  });

  test('PAY-6: a payment still pending past the order deadline is expired with PaymentFailed, never captured later', async () => {
    gateway.mode = 'ok';
    const { answer, orderId } = await cardPayment();
    const id = answer.data?.payOrder.id ?? '';
    await payments.db.payment.update({ where: { id }, data: { createdAt: new Date(Date.now() - 120_000) } });
    await payments.db.payableOrder.update({ where: { orderId }, data: { paymentDueAt: new Date(Date.now() - 1000) } });
    await payments.db.scheduledJob.updateMany({ data: { nextRunAt: new Date(0) } });
    expect(await payments.server.reconcile.runIfDue()).toBe(true);
    expect((await payments.db.payment.findUniqueOrThrow({ where: { id } })).status).toBe('EXPIRED');
    expect((await outboxOf(payments, orderId)).map((e) => [e.type, (e.payload as { reason: string }).reason])).toEqual([['PaymentFailed', 'expired']]);
  });
});
