import { loadPaymentsConfig } from './config';

const base = { PAYMENTS_DATABASE_URL: 'postgresql://db/payments' };
const production = {
  ...base,
  NODE_ENV: 'production',
  GATEWAY_SUBGRAPH_SECRET: 'Zq3v9X1mT7pL0sK4bN8cR2wY6hJ5dF1gA',
  BUS_DATABASE_URL: 'postgresql://db/bus',
};

test('PAY-2, PAY-6: defaults: port 4005, the webhook through the gateway, 300 s tolerance, redirect from the public URL; no Stripe unless configured', () => {
  expect(loadPaymentsConfig(base)).toMatchObject({
    port: 4005,
    webhookUrl: 'http://localhost:4000/webhooks/payments/sandbox',
    publicUrl: 'http://localhost:4000',
    webhookToleranceSeconds: 300,
    paymentTimeoutSeconds: 900,
    stripe: null,
  });
  expect(loadPaymentsConfig({ ...base, PAYMENTS_PUBLIC_URL: 'https://shop.example/', STRIPE_SECRET_KEY: 'sk', STRIPE_WEBHOOK_SECRET: 'wh' })).toMatchObject({
    publicUrl: 'https://shop.example',
    stripe: { secretKey: 'sk', webhookSecret: 'wh' },
  });
});

test('PAY-2: in production a missing or placeholder sandbox webhook secret stops the start, naming the variable', () => {
  expect(() => loadPaymentsConfig(production)).toThrow(/PAYMENTS_SANDBOX_WEBHOOK_SECRET/);
  expect(() => loadPaymentsConfig({ ...production, PAYMENTS_SANDBOX_WEBHOOK_SECRET: 'change-me-change-me' })).toThrow(/PAYMENTS_SANDBOX_WEBHOOK_SECRET/);
  expect(loadPaymentsConfig({ ...production, PAYMENTS_SANDBOX_WEBHOOK_SECRET: 'k8Jd02nVq7LmX3pR9tYw5zC1bN6hF4gS' }).sandboxWebhookSecret).toBe('k8Jd02nVq7LmX3pR9tYw5zC1bN6hF4gS');
});

test('PAY-6: timeouts and breaker settings must be positive integers', () => {
  expect(() => loadPaymentsConfig({ ...base, PAYMENTS_PROVIDER_TIMEOUT_MS: '0' })).toThrow(/PAYMENTS_PROVIDER_TIMEOUT_MS/);
  expect(() => loadPaymentsConfig({ ...base, PAYMENT_TIMEOUT_SECONDS: 'soon' })).toThrow(/PAYMENT_TIMEOUT_SECONDS/);
});
