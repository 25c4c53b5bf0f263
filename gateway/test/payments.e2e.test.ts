import { randomUUID } from 'node:crypto';
import { signSandboxPayload } from '@shop/payments';
import { errorCodes, postGraphQL, type GraphQLAnswer } from '@shop/platform/testing';
import { startShopTestStack, TEST_SANDBOX_WEBHOOK_SECRET, type ShopTestStack } from './shop-test-stack';

const ADDRESS = { name: 'Ada Buyer', line1: 'Hauptstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE' };
const REGISTER = 'mutation ($input: RegisterInput!) { register(input: $input) { accessToken customer { id email } } }';
const ADD_LINE = 'mutation ($variantId: ID!, $quantity: Int!) { addCartLine(variantId: $variantId, quantity: $quantity) { id lines { id quantity } } }';
const CHECKOUT = 'mutation ($input: CheckoutInput!) { checkout(input: $input) { id reference status } }';
const ORDER = 'query ($id: ID!) { order(id: $id) { id status total { amount currency } history { from to actor reason } } }';
const PAY = 'mutation ($orderId: ID!, $key: String!) { payOrder(orderId: $orderId, idempotencyKey: $key) { id status amount { amount currency } redirectUrl } }';
const PAYMENT = 'query ($id: ID!) { payment(id: $id) { id orderId status amount { amount currency } refunded { amount currency } } }';
const REFUND = 'mutation ($paymentId: ID!, $amount: MoneyInput, $key: String) { refundPayment(paymentId: $paymentId, amount: $amount, reason: "e2e refund", idempotencyKey: $key) { id amount { amount currency } } }';
const STOCK = 'query ($variantId: ID!) { stockLevels(variantId: $variantId) { onHand reserved committed available } }';
const RESERVATION = 'query ($orderId: ID!) { reservation(orderId: $orderId) { status } }';
const SET_STOCK = 'mutation ($variantId: ID!, $quantity: Int!) { setStock(variantId: $variantId, quantity: $quantity, reason: "e2e stock") { available } }';

interface Order {
  id: string;
  status: string;
  total: { amount: string; currency: string };
  history: { from: string | null; to: string; actor: string; reason: string | null }[];
}
interface Payment {
  id: string;
  orderId?: string;
  status: string;
  amount: { amount: string; currency: string };
  refunded?: { amount: string; currency: string };
  redirectUrl?: string | null;
}
interface Stock {
  onHand: number;
  reserved: number;
  committed: number;
  available: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const nowSeconds = () => Math.floor(Date.now() / 1000);
/** "49.90" → 4990: money in minor units, as the webhook carries it. */
const minor = (amount: string) => {
  const [whole = '0', fraction = ''] = amount.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
};

/** Polls `read` until `done` holds or the deadline passes; returns the last value either way. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000, everyMs = 150): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await pause(everyMs);
  }
}

/** A sandbox webhook body as CONTRACT describes it. */
function webhookBody(paymentId: string, amount: number, overrides: { id?: string; type?: string; currency?: string } = {}): string {
  return JSON.stringify({ id: overrides.id ?? `evt_${randomUUID()}`, type: overrides.type ?? 'payment.succeeded', data: { paymentId, amount, currency: overrides.currency ?? 'EUR' } });
}

/** How a client (and the provider) meets the shop: GraphQL through the gateway, and the gateway's payment routes. */
function shopClient(stack: ShopTestStack, staffToken: string) {
  const call = <Data>(query: string, variables: Record<string, unknown>, token?: string): Promise<GraphQLAnswer<Data>> =>
    postGraphQL<Data>(stack.gatewayUrl, query, { variables, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const staff = <Data>(query: string, variables: Record<string, unknown> = {}) => call<Data>(query, variables, staffToken);
  const order = async (id: string): Promise<Order> => {
    const answer = await staff<{ order: Order | null }>(ORDER, { id });
    if (!answer.data?.order) throw new Error(`order ${id} unreadable: ${answer.text}`);
    return answer.data.order;
  };
  const payment = async (id: string): Promise<Payment> => {
    const answer = await staff<{ payment: Payment | null }>(PAYMENT, { id });
    if (!answer.data?.payment) throw new Error(`payment ${id} unreadable: ${answer.text}`);
    return answer.data.payment;
  };
  const stock = async (variantId: string): Promise<Stock> => {
    const levels = (await staff<{ stockLevels: Stock[] }>(STOCK, { variantId })).data?.stockLevels ?? [];
    const sum = (key: keyof Stock) => levels.reduce((total, level) => total + level[key], 0);
    return { onHand: sum('onHand'), reserved: sum('reserved'), committed: sum('committed'), available: sum('available') };
  };
  const reservation = async (orderId: string) => (await staff<{ reservation: { status: string } | null }>(RESERVATION, { orderId })).data?.reservation?.status ?? 'NONE';
  return {
    call,
    staff,
    order,
    payment,
    stock,
    orderUntil: (id: string, done: (order: Order) => boolean, timeoutMs = 30_000) => until(() => order(id), done, timeoutMs),
    reservation,
    /**
     * Waits until a paid order has settled: the sandbox carrier books every paid order at once, so
     * it moves on to SHIPPED and inventory ships the committed unit (reservation SHIPPED).
     */
    async settled(orderId: string): Promise<Order> {
      const shipped = await until(() => order(orderId), (o) => o.status === 'SHIPPED');
      expect(shipped.status).toBe('SHIPPED');
      expect(await until(() => reservation(orderId), (status) => status === 'SHIPPED')).toBe('SHIPPED');
      return shipped;
    },
    /** Adds one unit, retried until orders' copy of the catalogue knows the variant (catalog events are asynchronous). */
    async cartWith(variantId: string, token: string): Promise<void> {
      const added = await until(() => call(ADD_LINE, { variantId, quantity: 1 }, token), (answer) => errorCodes(answer).length === 0, 30_000, 200);
      if (errorCodes(added).length > 0) throw new Error(`could not add ${variantId} to a cart: ${added.text}`);
    },
    async checkout(token: string): Promise<string> {
      const placed = await call<{ checkout: { id: string; status: string } }>(CHECKOUT, { input: { idempotencyKey: randomUUID(), shippingAddress: ADDRESS } }, token);
      if (!placed.data?.checkout) throw new Error(`checkout failed: ${placed.text}`);
      return placed.data.checkout.id;
    },
    /** payOrder, retried while the answer is the retryable INVALID_TRANSITION (payments has not heard of the order yet). */
    async pay(orderId: string, token: string, key = randomUUID()): Promise<GraphQLAnswer<{ payOrder: Payment }>> {
      return until(
        () => call<{ payOrder: Payment }>(PAY, { orderId, key }, token),
        (answer) => !(errorCodes(answer)[0] === 'INVALID_TRANSITION' && answer.errors?.[0]?.extensions?.retryable === true),
        15_000,
        100,
      );
    },
    /** POSTs a webhook to the gateway's public endpoint, as the provider would. */
    async webhook(body: string, signature: string | null): Promise<{ status: number; body: string }> {
      const response = await fetch(`${stack.gatewayOrigin}/webhooks/payments/sandbox`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'Shop-Signature': signature }) },
        body,
      });
      return { status: response.status, body: await response.text() };
    },
  };
}

type ShopClient = ReturnType<typeof shopClient>;

/** A customer's order in AWAITING_PAYMENT and its pending sandbox payment. */
async function pendingPayment(shop: ShopClient, stack: ShopTestStack, variantId: string) {
  const token = await stack.auth.token(randomUUID(), ['CUSTOMER']);
  await shop.cartWith(variantId, token);
  const orderId = await shop.checkout(token);
  const order = await shop.orderUntil(orderId, (o) => o.status !== 'PENDING');
  expect(order.status).toBe('AWAITING_PAYMENT');
  const key = randomUUID();
  const paid = await shop.pay(orderId, token, key);
  expect(errorCodes(paid)).toEqual([]);
  const payment = paid.data?.payOrder as Payment;
  expect(payment).toMatchObject({ status: 'PENDING', amount: order.total });
  return { token, key, orderId, order, payment, amountMinor: minor(order.total.amount) };
}

describe('payments through the gateway: sandbox page, signed webhooks, refunds (PAY-1..5)', () => {
  let stack: ShopTestStack;
  let shop: ShopClient;
  beforeAll(async () => {
    stack = await startShopTestStack({ rateLimitScale: 10, gatewayEnv: { RATE_LIMIT_SCALE: '10' } });
    shop = shopClient(stack, await stack.auth.token(randomUUID(), ['STAFF']));
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  test('PAY-1, PAY-4, PAY-5: register → cart → checkout → payOrder → sandbox page → Pay → signed webhook → PAID (stock committed) → partial refund → over-the-cap refused → the rest → REFUNDED', async () => {
    const variantId = stack.demoVariants[0]?.id ?? '';
    const email = `pay-${randomUUID()}@example.com`;
    const registered = await shop.call<{ register: { accessToken: string; customer: { id: string; email: string } } }>(REGISTER, {
      input: { email, password: 'a-long-unusual-passphrase-42', name: 'Paying Customer' },
    });
    expect(errorCodes(registered)).toEqual([]);
    const token = registered.data?.register.accessToken ?? '';
    const before = await shop.stock(variantId);

    await shop.cartWith(variantId, token);
    const orderId = await shop.checkout(token);
    const awaiting = await shop.orderUntil(orderId, (order) => order.status !== 'PENDING');
    expect(awaiting.status).toBe('AWAITING_PAYMENT');
    expect(await shop.stock(variantId)).toEqual({ ...before, reserved: before.reserved + 1, available: before.available - 1 });

    const paid = await shop.pay(orderId, token);
    expect(errorCodes(paid)).toEqual([]);
    const payment = paid.data?.payOrder as Payment;
    expect(payment).toMatchObject({ status: 'PENDING', amount: awaiting.total });
    const redirectUrl = payment.redirectUrl ?? '';
    expect(redirectUrl).toBe(`${stack.gatewayOrigin}/pay/sandbox/${payment.id}`);

    // The hosted page through the gateway: real HTML under a strict CSP, showing the server's amount.
    const page = await fetch(redirectUrl, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toMatch(/style-src 'nonce-[^']+'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('script-src');
    const html = await page.text();
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain(awaiting.total.amount);
    const payForm = [...html.matchAll(/<form method="post" action="([^"]+)"><input type="hidden" name="outcome" value="(\w+)">/g)].find((form) => form[2] === 'pay');
    expect(payForm).toBeDefined();

    // The browser submits the Pay form to the page's own origin (the gateway); the sandbox then sends the signed webhook to the gateway.
    const action = new URL(payForm?.[1] ?? '', redirectUrl);
    expect(action.origin).toBe(stack.gatewayOrigin);
    const submitted = await fetch(action, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: stack.gatewayOrigin }, body: 'outcome=pay' });
    expect(submitted.status).toBe(200);
    expect(await submitted.text()).toContain('Payment completed');

    // PAID once; inventory commits the reserved unit, and the sandbox carrier's dispatch then ships it (SHIPPED).
    const paidOrder = await shop.orderUntil(orderId, (order) => order.status !== 'AWAITING_PAYMENT');
    expect(['PAID', 'SHIPPED']).toContain(paidOrder.status);
    expect(['COMMITTED', 'SHIPPED']).toContain(await shop.reservation(orderId));
    const owner = await shop.call<{ order: Order | null }>(ORDER, { id: orderId }, token);
    expect(['PAID', 'SHIPPED']).toContain(owner.data?.order?.status);
    expect(await shop.payment(payment.id)).toMatchObject({ status: 'SUCCEEDED', refunded: { amount: '0.00' } });
    const shipped = await shop.settled(orderId);
    expect(shipped.history.map((entry) => [entry.from, entry.to])).toEqual([[null, 'PENDING'], ['PENDING', 'AWAITING_PAYMENT'], ['AWAITING_PAYMENT', 'PAID'], ['PAID', 'SHIPPED']]);
    expect(await shop.stock(variantId)).toEqual({ ...before, onHand: before.onHand - 1, available: before.available - 1 });
    // The closed page no longer offers the buttons.
    expect(await (await fetch(redirectUrl)).text()).not.toContain('name="outcome"');

    // Refunds (staff): part, more than the rest (refused, nothing changes), then the rest.
    const totalMinor = minor(awaiting.total.amount);
    const customerRefund = await shop.call(REFUND, { paymentId: payment.id, amount: { amount: '1.00', currency: 'EUR' } }, token);
    expect(errorCodes(customerRefund)).toEqual(['FORBIDDEN']);
    const partial = await shop.staff<{ refundPayment: { amount: { amount: string } } }>(REFUND, { paymentId: payment.id, amount: { amount: '1.00', currency: 'EUR' }, key: randomUUID() });
    expect(errorCodes(partial)).toEqual([]);
    expect(partial.data?.refundPayment.amount.amount).toBe('1.00');
    expect((await shop.orderUntil(orderId, (order) => order.status !== 'SHIPPED')).status).toBe('PARTIALLY_REFUNDED');

    const rest = totalMinor - 100;
    const tooMuch = `${Math.floor((rest + 1) / 100)}.${String((rest + 1) % 100).padStart(2, '0')}`;
    const refused = await shop.staff(REFUND, { paymentId: payment.id, amount: { amount: tooMuch, currency: 'EUR' }, key: randomUUID() });
    expect(errorCodes(refused)).toEqual(['REFUND_EXCEEDS_CAPTURED']);
    expect(await shop.payment(payment.id)).toMatchObject({ status: 'SUCCEEDED', refunded: { amount: '1.00' } });

    const remainder = await shop.staff<{ refundPayment: { amount: { amount: string } } }>(REFUND, { paymentId: payment.id, key: randomUUID() });
    expect(errorCodes(remainder)).toEqual([]);
    expect(minor(remainder.data?.refundPayment.amount.amount ?? '0')).toBe(rest);
    expect((await shop.orderUntil(orderId, (order) => order.status !== 'PARTIALLY_REFUNDED')).status).toBe('REFUNDED');
    expect(await shop.payment(payment.id)).toMatchObject({ refunded: awaiting.total });
    expect(errorCodes(await shop.staff(REFUND, { paymentId: payment.id, amount: { amount: '0.01', currency: 'EUR' }, key: randomUUID() }))).toEqual(['REFUND_EXCEEDS_CAPTURED']);
  }, 120_000);

  describe('the webhook matrix at POST <gateway>/webhooks/payments/sandbox (PAY-2, PAY-3)', () => {
    let pending: Awaited<ReturnType<typeof pendingPayment>>;
    const variant = () => stack.demoVariants[1]?.id ?? '';
    /** Everything a webhook could change: the order, the payment, the stock. */
    const snapshot = async () => ({
      order: await shop.order(pending.orderId),
      payment: await shop.payment(pending.payment.id),
      stock: await shop.stock(variant()),
      reservation: await shop.reservation(pending.orderId),
    });

    beforeAll(async () => {
      pending = await pendingPayment(shop, stack, variant());
    }, 60_000);

    const sign = (body: string, at = nowSeconds(), secret = TEST_SANDBOX_WEBHOOK_SECRET) => signSandboxPayload(secret, body, at);
    const badCases: [string, () => { body: string; signature: string | null }][] = [
      ['a signature made with the wrong secret', () => { const body = webhookBody(pending.payment.id, pending.amountMinor); return { body, signature: sign(body, nowSeconds(), 'not-the-shop-secret-but-long-enough') }; }],
      ['a body other than the one signed (tampered)', () => ({ body: webhookBody(pending.payment.id, 1, { id: 'evt_tampered' }), signature: sign(webhookBody(pending.payment.id, pending.amountMinor, { id: 'evt_tampered' })) })],
      ['no Shop-Signature header', () => ({ body: webhookBody(pending.payment.id, pending.amountMinor), signature: null })],
      ['a stale timestamp (301 s old)', () => { const body = webhookBody(pending.payment.id, pending.amountMinor); return { body, signature: sign(body, nowSeconds() - 301) }; }],
      ['a future timestamp (301 s ahead)', () => { const body = webhookBody(pending.payment.id, pending.amountMinor); return { body, signature: sign(body, nowSeconds() + 301) }; }],
      ['an unknown payment', () => { const body = webhookBody(randomUUID(), pending.amountMinor); return { body, signature: sign(body) }; }],
      ['a mismatched amount, validly signed (amount tampering)', () => { const body = webhookBody(pending.payment.id, pending.amountMinor - 1); return { body, signature: sign(body) }; }],
      ['a mismatched currency, validly signed', () => { const body = webhookBody(pending.payment.id, pending.amountMinor, { currency: 'USD' }); return { body, signature: sign(body) }; }],
      ['a malformed body (not JSON), validly signed', () => ({ body: '{"id": "evt_broken", "type":', signature: sign('{"id": "evt_broken", "type":') })],
      ['a body without data, validly signed', () => { const body = JSON.stringify({ id: 'evt_nodata', type: 'payment.succeeded' }); return { body, signature: sign(body) }; }],
    ];

    test.each(badCases)('PAY-2: %s → 400, and the order, payment and stock are unchanged', async (_name, make) => {
      const before = await snapshot();
      expect(before.order.status).toBe('AWAITING_PAYMENT');
      expect(before.payment.status).toBe('PENDING');
      const { body, signature } = make();
      const answer = await shop.webhook(body, signature);
      expect(answer.status).toBe(400);
      expect(answer.body).not.toContain(pending.payment.id);
      await pause(300);
      expect(await snapshot()).toEqual(before);
    });

    test('PAY-2, PAY-3: the valid event → 200 and PAID; the same event id again → 200 and nothing changes', async () => {
      const body = webhookBody(pending.payment.id, pending.amountMinor, { id: `evt_repeat_${randomUUID()}` });
      const first = await shop.webhook(body, signSandboxPayload(TEST_SANDBOX_WEBHOOK_SECRET, body, nowSeconds()));
      expect(first).toEqual({ status: 200, body: JSON.stringify({ received: true, outcome: 'applied' }) });
      const paid = await shop.orderUntil(pending.orderId, (order) => order.status !== 'AWAITING_PAYMENT');
      expect(['PAID', 'SHIPPED']).toContain(paid.status);
      await shop.settled(pending.orderId);
      const after = await snapshot();
      expect(after).toMatchObject({ payment: { status: 'SUCCEEDED' }, reservation: 'SHIPPED' });
      expect(after.order.history.filter((entry) => entry.to === 'PAID')).toHaveLength(1);

      const again = await shop.webhook(body, signSandboxPayload(TEST_SANDBOX_WEBHOOK_SECRET, body, nowSeconds()));
      expect(again).toEqual({ status: 200, body: JSON.stringify({ received: true, outcome: 'duplicate' }) });
      await pause(1000);
      expect(await snapshot()).toEqual(after);
    }, 60_000);
  });

  test('PAY-3: 10 concurrent deliveries of one success event through the gateway → one capture, one state change, stock committed once', async () => {
    const variantId = stack.demoVariants[2]?.id ?? '';
    const { orderId, payment, amountMinor } = await pendingPayment(shop, stack, variantId);
    const before = await shop.stock(variantId);
    const body = webhookBody(payment.id, amountMinor, { id: `evt_concurrent_${randomUUID()}` });
    const signature = signSandboxPayload(TEST_SANDBOX_WEBHOOK_SECRET, body, nowSeconds());
    const answers = await Promise.all(Array.from({ length: 10 }, () => shop.webhook(body, signature)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    const outcomes = answers.map((answer) => (JSON.parse(answer.body) as { outcome: string }).outcome);
    expect(outcomes.filter((outcome) => outcome === 'applied')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'duplicate')).toHaveLength(9);

    const paid = await shop.orderUntil(orderId, (order) => order.status !== 'AWAITING_PAYMENT');
    expect(['PAID', 'SHIPPED']).toContain(paid.status);
    await shop.settled(orderId);
    await pause(1000);
    const settled = await shop.order(orderId);
    expect(settled.history.map((entry) => entry.to)).toEqual(['PENDING', 'AWAITING_PAYMENT', 'PAID', 'SHIPPED']);
    expect(await shop.payment(payment.id)).toMatchObject({ status: 'SUCCEEDED', amount: paid.total, refunded: { amount: '0.00' } });
    expect(await shop.stock(variantId)).toEqual({ ...before, onHand: before.onHand - 1, reserved: before.reserved - 1 });
  }, 60_000);

  test("PAY-4: paying another customer's order answers exactly as paying a missing one (no existence leak); their payment is unreadable; nothing changes", async () => {
    const variantId = stack.demoVariants[3]?.id ?? '';
    const { orderId, payment, key } = await pendingPayment(shop, stack, variantId);
    const stranger = await stack.auth.token(randomUUID(), ['CUSTOMER']);
    const shape = (answer: GraphQLAnswer<unknown>) => ({ data: answer.data ?? null, errors: answer.errors?.map((error) => [error.message, error.extensions?.code, error.extensions?.retryable]) });
    const foreign = await shop.call<{ payOrder: Payment }>(PAY, { orderId, key: randomUUID() }, stranger);
    const missing = await shop.call<{ payOrder: Payment }>(PAY, { orderId: randomUUID(), key: randomUUID() }, stranger);
    expect(foreign.errors).toHaveLength(1);
    expect(shape(foreign)).toEqual(shape(missing));
    expect(foreign.text).not.toContain(payment.id);
    // The owner's own idempotency key in a stranger's hands does not return the owner's attempt either.
    const ownKey = await shop.call<{ payOrder: Payment }>(PAY, { orderId, key }, stranger);
    expect(shape(ownKey)).toEqual(shape(missing));

    const foreignPayment = await shop.call<{ payment: Payment | null }>(PAYMENT, { id: payment.id }, stranger);
    const missingPayment = await shop.call<{ payment: Payment | null }>(PAYMENT, { id: randomUUID() }, stranger);
    expect(foreignPayment.data?.payment ?? null).toBeNull();
    expect(errorCodes(foreignPayment)).toEqual(['NOT_FOUND']);
    expect(shape(foreignPayment)).toEqual(shape(missingPayment));
    expect((await shop.order(orderId)).status).toBe('AWAITING_PAYMENT');
    expect(await shop.payment(payment.id)).toMatchObject({ status: 'PENDING' });
  }, 60_000);

  test('PAY-1: paying a PENDING order → INVALID_TRANSITION with retryable true; retried, it succeeds once the order awaits payment', async () => {
    const variantId = stack.demoVariants[4]?.id ?? '';
    const token = await stack.auth.token(randomUUID(), ['CUSTOMER']);
    await shop.cartWith(variantId, token);
    const placed = await shop.call<{ checkout: { id: string; status: string } }>(CHECKOUT, { input: { idempotencyKey: randomUUID(), shippingAddress: ADDRESS } }, token);
    const orderId = placed.data?.checkout.id ?? '';
    expect(placed.data?.checkout.status).toBe('PENDING');
    const early = await shop.call(PAY, { orderId, key: randomUUID() }, token);
    expect(errorCodes(early)).toEqual(['INVALID_TRANSITION']);
    expect(early.errors?.[0]?.extensions?.retryable).toBe(true);

    const later = await shop.pay(orderId, token);
    expect(errorCodes(later)).toEqual([]);
    expect(later.data?.payOrder.status).toBe('PENDING');
    expect(later.data?.payOrder.amount).toEqual((await shop.order(orderId)).total);
  }, 60_000);
});

describe('payment deadline through the gateway (PAY-6)', () => {
  let stack: ShopTestStack;
  let shop: ShopClient;
  beforeAll(async () => {
    stack = await startShopTestStack({ inventoryEnv: { RESERVATION_TTL_SECONDS: '6', RESERVATION_SWEEP_INTERVAL_MS: '250' } });
    shop = shopClient(stack, await stack.auth.token(randomUUID(), ['STAFF']));
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  test('PAY-6: an order left unpaid past its deadline is cancelled, its stock released, and a later payOrder refused (not retryable)', async () => {
    const variantId = stack.demoVariants[0]?.id ?? '';
    expect(errorCodes(await shop.staff(SET_STOCK, { variantId, quantity: 10 }))).toEqual([]);
    const before = await shop.stock(variantId);
    const { token, orderId, payment } = await pendingPayment(shop, stack, variantId);
    expect((await shop.stock(variantId)).available).toBe(before.available - 1);

    const expired = await shop.orderUntil(orderId, (order) => order.status !== 'AWAITING_PAYMENT', 30_000);
    expect(expired.status).toBe('CANCELLED');
    expect(expired.history.at(-1)).toMatchObject({ from: 'AWAITING_PAYMENT', to: 'CANCELLED', actor: 'system' });
    expect(await until(() => shop.stock(variantId), (stock) => stock.available === before.available)).toEqual(before);
    expect(await shop.reservation(orderId)).not.toBe('RESERVED');

    const late = await shop.call(PAY, { orderId, key: randomUUID() }, token);
    expect(errorCodes(late)).toEqual(['INVALID_TRANSITION']);
    expect(late.errors?.[0]?.extensions?.retryable).toBe(false);
    const samePayment = await shop.payment(payment.id);
    expect(samePayment.status).not.toBe('SUCCEEDED');
    expect((await shop.order(orderId)).status).toBe('CANCELLED');
  }, 90_000);
});
