import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { closeServer, createHttpServer, listen } from '@shop/platform';
import { signSandboxPayload } from '../src';
import { webhookRoute } from '../src/webhook.route';
import { outboxOf, payOrder, postWebhook, startedPayment, startTestPayments, webhookBody, WEBHOOK_SECRET, type TestPayments } from './payments-test-server';

let payments: TestPayments;
beforeAll(async () => {
  payments = await startTestPayments();
});
afterAll(async () => payments?.stop());

const now = () => Math.floor(Date.now() / 1000);

/** Everything a webhook could change about one payment. */
async function stateOf(paymentId: string, orderId: string) {
  const payment = await payments.db.payment.findUniqueOrThrow({ where: { id: paymentId } });
  return {
    status: payment.status,
    capturedAt: payment.capturedAt,
    events: (await outboxOf(payments, orderId)).map((row) => row.type),
    providerEvents: await payments.db.providerEvent.count({ where: { paymentId } }),
    payable: (await payments.db.payableOrder.findUniqueOrThrow({ where: { orderId } })).status,
  };
}

describe('sandbox webhooks (PAY-2, PAY-3, PAY-4)', () => {
  test('PAY-2: a valid signed payment.succeeded captures the payment once and emits PaymentSucceeded', async () => {
    const { payment, orderId } = await startedPayment(payments);
    const answer = await postWebhook(payments, webhookBody(payment.id));
    expect(answer.status).toBe(200);
    const state = await stateOf(payment.id, orderId);
    expect(state).toMatchObject({ status: 'SUCCEEDED', events: ['PaymentSucceeded'], providerEvents: 1, payable: 'PAID' });
    const [event] = await outboxOf(payments, orderId);
    expect(event?.payload).toEqual({ orderId, paymentId: payment.id, method: 'SANDBOX', amount: { amount: '49.90', amountMinor: '4990', currency: 'EUR' } });
  });

  const badCases: [string, (paymentId: string) => { body: string; signature: string | null }][] = [
    ['no signature header', (id) => ({ body: webhookBody(id), signature: null })],
    ['a malformed header', (id) => ({ body: webhookBody(id), signature: 'garbage' })],
    ['a signature made with the wrong secret', (id) => { const body = webhookBody(id); return { body, signature: signSandboxPayload('another-secret-entirely-000', body, now()) }; }],
    ['a tampered body (signature of another body)', (id) => ({ body: webhookBody(id, { amount: 1 }), signature: signSandboxPayload(WEBHOOK_SECRET, webhookBody(id), now()) })],
    ['a stale timestamp (301 s old)', (id) => { const body = webhookBody(id); return { body, signature: signSandboxPayload(WEBHOOK_SECRET, body, now() - 301) }; }],
    ['a future timestamp (301 s ahead)', (id) => { const body = webhookBody(id); return { body, signature: signSandboxPayload(WEBHOOK_SECRET, body, now() + 301) }; }],
    ['a signature over the body alone (no timestamp)', (id) => { const body = webhookBody(id); return { body, signature: `t=${now()},v1=${createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex')}` }; }],
    ['an unknown payment id', () => { const body = webhookBody('018f0000-0000-7000-8000-000000000000'); return { body, signature: signSandboxPayload(WEBHOOK_SECRET, body, now()) }; }],
    ['a mismatched amount (validly signed: amount tampering)', (id) => { const body = webhookBody(id, { amount: 1 }); return { body, signature: signSandboxPayload(WEBHOOK_SECRET, body, now()) }; }],
    ['a mismatched currency', (id) => { const body = webhookBody(id, { currency: 'USD' }); return { body, signature: signSandboxPayload(WEBHOOK_SECRET, body, now()) }; }],
    ['a body that is not JSON', () => ({ body: 'not json', signature: signSandboxPayload(WEBHOOK_SECRET, 'not json', now()) })],
    ['an unknown event type', (id) => { const body = webhookBody(id, { type: 'payment.refunded' }); return { body, signature: signSandboxPayload(WEBHOOK_SECRET, body, now()) }; }],
  ];

  test.each(badCases)('PAY-2: %s is answered 400 and changes nothing', async (_name, make) => {
    const { payment, orderId } = await startedPayment(payments);
    const before = await stateOf(payment.id, orderId);
    const { body, signature } = make(payment.id);
    const answer = await postWebhook(payments, body, signature);
    expect(answer.status).toBe(400);
    expect(await stateOf(payment.id, orderId)).toEqual(before);
    expect(before).toMatchObject({ status: 'PENDING', events: [], providerEvents: 0, payable: 'AWAITING_PAYMENT' });
  });

  test('PAY-2: a timestamp 299 s old or ahead is still inside the tolerance', async () => {
    for (const skew of [-299, 299]) {
      const { payment } = await startedPayment(payments);
      const body = webhookBody(payment.id);
      expect((await postWebhook(payments, body, signSandboxPayload(WEBHOOK_SECRET, body, now() + skew))).status).toBe(200);
    }
  });

  test('PAY-2: several v1 signatures (secret rotation): one valid among them is accepted', async () => {
    const { payment } = await startedPayment(payments);
    const body = webhookBody(payment.id);
    const t = now();
    const old = signSandboxPayload('the-previous-secret-0000000', body, t).split(',')[1];
    expect((await postWebhook(payments, body, `${signSandboxPayload(WEBHOOK_SECRET, body, t)},${old}`)).status).toBe(200);
  });

  test('PAY-3: the same event id again is answered 200 and changes nothing', async () => {
    const { payment, orderId } = await startedPayment(payments);
    const body = webhookBody(payment.id, { id: 'evt_repeat_1' });
    expect((await postWebhook(payments, body)).status).toBe(200);
    const after = await stateOf(payment.id, orderId);
    const again = await postWebhook(payments, body);
    expect(again.status).toBe(200);
    expect(JSON.parse(again.body)).toEqual({ received: true, outcome: 'duplicate' });
    expect(await stateOf(payment.id, orderId)).toEqual(after);
    expect(after.events).toEqual(['PaymentSucceeded']);
  });

  test('PAY-3: ten concurrent deliveries of the same event capture once and emit one PaymentSucceeded', async () => {
    const { payment, orderId } = await startedPayment(payments);
    const body = webhookBody(payment.id, { id: `evt_concurrent_${payment.id}` });
    const answers = await Promise.all(Array.from({ length: 10 }, () => postWebhook(payments, body)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(answers.filter((a) => JSON.parse(a.body).outcome === 'applied')).toHaveLength(1);
    expect(await stateOf(payment.id, orderId)).toMatchObject({ status: 'SUCCEEDED', events: ['PaymentSucceeded'], providerEvents: 1 });
  });

  test('PAY-3: concurrent different events for one payment (two successes) capture once', async () => {
    const { payment, orderId } = await startedPayment(payments);
    const answers = await Promise.all(Array.from({ length: 5 }, () => postWebhook(payments, webhookBody(payment.id))));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect((await stateOf(payment.id, orderId)).events).toEqual(['PaymentSucceeded']);
  });

  test('PAY-1: payment.failed fails the attempt, emits PaymentFailed, and the customer may start another that succeeds', async () => {
    const { payment, orderId, who } = await startedPayment(payments);
    expect((await postWebhook(payments, webhookBody(payment.id, { type: 'payment.failed' }))).status).toBe(200);
    expect(await stateOf(payment.id, orderId)).toMatchObject({ status: 'FAILED', events: ['PaymentFailed'], payable: 'AWAITING_PAYMENT' });
    const retry = (await payOrder(payments, who, orderId)).data?.payOrder;
    expect(retry).toMatchObject({ status: 'PENDING' });
    expect((await postWebhook(payments, webhookBody(retry?.id ?? ''))).status).toBe(200);
    expect((await outboxOf(payments, orderId)).map((e) => e.type)).toEqual(['PaymentFailed', 'PaymentSucceeded']);
  });

  test('PAY-2: a refused webhook is logged with the request correlation id and the reason (never the body)', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>), done()) });
    const server = createHttpServer({ 'POST /hook': webhookRoute('sandbox', payments.server.payments, pino({ level: 'info' }, sink)) });
    await listen(server, 0, '127.0.0.1');
    try {
      const { payment } = await startedPayment(payments);
      const body = webhookBody(payment.id);
      const answer = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, {
        method: 'POST',
        headers: { 'x-correlation-id': 'corr-webhook-test-1', 'Shop-Signature': signSandboxPayload('wrong-secret-wrong-secret', body, now()) },
        body,
      });
      expect(answer.status).toBe(400);
      expect(lines).toContainEqual(expect.objectContaining({ correlationId: 'corr-webhook-test-1', reason: 'bad signature', msg: 'webhook refused' }));
      expect(JSON.stringify(lines)).not.toContain(payment.id);
    } finally {
      await closeServer(server);
    }
  });
});
