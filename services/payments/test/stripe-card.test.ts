import Stripe from 'stripe';
import { errorCodes } from '@shop/platform/testing';
import { defaultProviders } from '../src/providers';
import { WebhookRejected } from '../src/providers/payment-provider';
import { StripeCardProvider } from '../src/providers/stripe-card.provider';
import { startFakeStripe, type FakeStripe } from './fake-stripe';
import { awaitingPayment, customer, outboxOf, payOrder, staff, startTestPayments, WEBHOOK_SECRET, type TestPayments } from './payments-test-server';

const STRIPE_WEBHOOK_SECRET = 'whsec_test_secret_for_the_card_adapter';
const sdk = new Stripe('sk_test_fake');
const now = () => Math.floor(Date.now() / 1000);

function intentEvent(paymentId: string, amount: number, options: { id?: string; type?: string; currency?: string } = {}): string {
  const type = options.type ?? 'payment_intent.succeeded';
  return JSON.stringify({
    id: options.id ?? `evt_${Math.random().toString(36).slice(2)}`,
    object: 'event',
    type,
    data: { object: { id: 'pi_x', object: 'payment_intent', amount, amount_received: type === 'payment_intent.succeeded' ? amount : 0, currency: options.currency ?? 'eur', metadata: { paymentId } } },
  });
}

function header(payload: string, options: { secret?: string; timestamp?: number } = {}): string {
  return sdk.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? STRIPE_WEBHOOK_SECRET, timestamp: options.timestamp ?? now() });
}

describe('Stripe card adapter: webhook verification with the SDK test headers (PAY-2)', () => {
  const adapter = new StripeCardProvider({ secretKey: 'sk_test_fake', webhookSecret: STRIPE_WEBHOOK_SECRET, toleranceSeconds: 300 });
  const paymentId = '018f0000-0000-7000-8000-000000000001';
  const body = intentEvent(paymentId, 1500);
  const verify = (payload: string, signature: string | undefined) => adapter.verifyWebhook(payload, { 'stripe-signature': signature }, now());
  const reason = (work: () => unknown) => {
    try {
      work();
    } catch (error) {
      if (error instanceof WebhookRejected) return error.reason;
      throw error;
    }
    return 'accepted';
  };

  test('PAY-2: a valid header is accepted and the event maps to payments terms', () => {
    expect(verify(body, header(body))).toMatchObject({ type: 'payment.succeeded', paymentId, amountMinor: 1500n, currency: 'EUR' });
  });
  test('PAY-2: a stale header (older than the tolerance) is refused', () => {
    expect(reason(() => verify(body, header(body, { timestamp: now() - 301 })))).toMatch(/tolerance/i);
  });
  test('PAY-2: a future-dated header is refused (the SDK alone would accept it)', () => {
    expect(reason(() => verify(body, header(body, { timestamp: now() + 301 })))).toBe('future timestamp');
  });
  test('PAY-2: a header signed with the wrong secret is refused', () => {
    expect(reason(() => verify(body, header(body, { secret: 'whsec_other' })))).not.toBe('accepted');
  });
  test('PAY-2: a tampered body is refused', () => {
    expect(reason(() => verify(intentEvent(paymentId, 1), header(body)))).not.toBe('accepted');
  });
  test('PAY-2: several v1 signatures during secret rotation: accepted when one is valid, refused when none is', () => {
    const t = now();
    const current = header(body, { timestamp: t });
    const previous = header(body, { timestamp: t, secret: 'whsec_previous' });
    const oldV1 = previous.split(',').find((part) => part.startsWith('v1='));
    expect(verify(body, `${current},${oldV1}`)).toMatchObject({ paymentId });
    const otherV1 = header(body, { timestamp: t, secret: 'whsec_third' }).split(',').find((part) => part.startsWith('v1='));
    expect(reason(() => verify(body, `t=${t},${oldV1},${otherV1}`))).not.toBe('accepted');
  });
  test('PAY-2: a missing header is refused', () => {
    expect(reason(() => verify(body, undefined))).toBe('missing signature');
  });
});

describe('Stripe card adapter against a local fake of the API (PAY-1, PAY-3, PAY-5, PAY-6)', () => {
  let fake: FakeStripe;
  let payments: TestPayments;

  beforeAll(async () => {
    fake = await startFakeStripe();
    const providers = [
      ...defaultProviders({ webhookSecret: WEBHOOK_SECRET, toleranceSeconds: 300, publicUrl: 'http://localhost:4000' }),
      new StripeCardProvider({ secretKey: 'sk_test_fake', webhookSecret: STRIPE_WEBHOOK_SECRET, toleranceSeconds: 300, apiUrl: fake.url }),
    ];
    payments = await startTestPayments({ PAYMENTS_PROVIDER_MAX_ATTEMPTS: '3' }, { providers });
  });
  afterAll(async () => {
    await payments?.stop();
    await fake?.close();
  });

  async function cardPayment(totalMinor = 1500n) {
    const who = customer();
    const { orderId } = await awaitingPayment(payments, who, { totalMinor });
    const answer = await payOrder(payments, who, orderId, { method: 'CARD' });
    const payment = answer.data?.payOrder;
    if (!payment) throw new Error(answer.text);
    return { who, orderId, payment };
  }

  const postStripe = (payload: string, signature: string) =>
    fetch(`${payments.origin}/webhooks/payments/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'Stripe-Signature': signature }, body: payload });

  test('PAY-3: payOrder creates one PaymentIntent for the order total with the attempt stable idempotency key; a 500 is retried with the same key', async () => {
    fake.failNext = 1;
    const before = fake.requests.length;
    const { payment } = await cardPayment(1500n);
    const creates = fake.requests.slice(before).filter((r) => r.path === '/v1/payment_intents');
    expect(creates).toHaveLength(2);
    expect(creates.map((r) => r.idempotencyKey)).toEqual([`payment:${payment.id}`, `payment:${payment.id}`]);
    expect(creates[1]?.form.get('amount')).toBe('1500');
    expect(creates[1]?.form.get('currency')).toBe('eur');
    expect(creates[1]?.form.get('metadata[paymentId]')).toBe(payment.id);
    expect((await payments.db.payment.findUniqueOrThrow({ where: { id: payment.id } })).providerRef).toMatch(/^pi_/);
  });

  test('PAY-2, PAY-3: a signed payment_intent.succeeded webhook captures once; a repeat is 200 and changes nothing; a stale one is 400', async () => {
    const { payment, orderId } = await cardPayment(2500n);
    const payload = intentEvent(payment.id, 2500, { id: `evt_once_${payment.id}` });
    expect((await postStripe(payload, header(payload, { timestamp: now() - 400 }))).status).toBe(400);
    expect((await postStripe(payload, header(payload))).status).toBe(200);
    expect((await postStripe(payload, header(payload))).status).toBe(200);
    expect((await outboxOf(payments, orderId)).map((e) => e.type)).toEqual(['PaymentSucceeded']);
    const tampered = intentEvent(payment.id, 1, { id: 'evt_tampered' });
    expect((await postStripe(tampered, header(tampered))).status).toBe(400);
  });

  test('PAY-2: a genuine event of a type payments does not use is acknowledged (200) and changes nothing; an unsigned one is 400', async () => {
    const { payment, orderId } = await cardPayment(1700n);
    const other = intentEvent(payment.id, 1700, { type: 'payment_intent.created' });
    const answer = await postStripe(other, header(other));
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ received: true, outcome: 'ignored' });
    expect((await postStripe(other, 't=1,v1=00')).status).toBe(400);
    expect((await outboxOf(payments, orderId)).map((e) => e.type)).toEqual([]);
    expect((await payments.db.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe('PENDING');
  });

  test('PAY-5: a refund to the original card calls POST /v1/refunds with the amount and a per-refund idempotency key', async () => {
    const { payment } = await cardPayment(3000n);
    const payload = intentEvent(payment.id, 3000);
    expect((await postStripe(payload, header(payload))).status).toBe(200);
    const before = fake.requests.length;
    const answer = await payments.call(`mutation { refundPayment(paymentId: "${payment.id}", amount: { amount: "12.00", currency: "EUR" }, reason: "damaged", idempotencyKey: "refund-key-1") { id } }`, { identity: staff });
    expect(errorCodes(answer)).toEqual([]);
    const refunds = fake.requests.slice(before).filter((r) => r.path === '/v1/refunds');
    expect(refunds).toHaveLength(1);
    expect(refunds[0]?.form.get('amount')).toBe('1200');
    expect(refunds[0]?.form.get('payment_intent')).toMatch(/^pi_/);
    expect(refunds[0]?.idempotencyKey).toBe(`${payment.id}:refund-key-1`);
  });

  test('PAY-6: reconciliation retrieves a stuck PaymentIntent and settles it from its status', async () => {
    const { payment, orderId } = await cardPayment(1800n);
    const row = await payments.db.payment.findUniqueOrThrow({ where: { id: payment.id } });
    fake.statuses.set(row.providerRef ?? '', 'succeeded');
    await payments.db.payment.update({ where: { id: row.id }, data: { createdAt: new Date(Date.now() - 120_000) } });
    await payments.db.scheduledJob.updateMany({ data: { nextRunAt: new Date(0) } });
    expect(await payments.server.reconcile.runIfDue()).toBe(true);
    expect(fake.requests.some((r) => r.method === 'GET' && r.path === `/v1/payment_intents/${row.providerRef}`)).toBe(true);
    expect((await outboxOf(payments, orderId)).map((e) => e.type)).toEqual(['PaymentSucceeded']);
  });
});
