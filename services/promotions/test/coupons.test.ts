import { randomUUID } from 'node:crypto';
import { errorCodes } from '@shop/platform/testing';
import { DEMO_COUPON_CODE, seedDemoCouponAt } from '../src';
import { handleOrderEvent } from '../src/events/order-events.consumer';
import { createPromotionsDatabase, customer, log, marketer, orderPlaced, staff, startTestPromotions, type TestPromotions } from './promotions-test-server';

type Database = Awaited<ReturnType<typeof createPromotionsDatabase>>;

const CREATE = `mutation($input: CreateCouponInput!) { createCoupon(input: $input) { id code usageCount } }`;
const APPLY = `mutation($code: String!, $subtotal: MoneyInput!) { applyCoupon(code: $code, subtotal: $subtotal) { code kind discount { amount currency } freeShipping } }`;
const EUR = (amount: string) => ({ amount, currency: 'EUR' });

describe('promotions API (PROMO-1, PROMO-3, PROMO-5)', () => {
  let database: Database;
  let promotions: TestPromotions;
  let strict: TestPromotions;
  const suffix = randomUUID().slice(0, 6).toUpperCase();

  const create = (input: Record<string, unknown>, identity = staff) => promotions.call<{ createCoupon: { id: string; code: string; usageCount: number } }>(CREATE, { variables: { input }, identity });

  beforeAll(async () => {
    database = await createPromotionsDatabase();
    promotions = await startTestPromotions(database.url, { COUPON_CHECKS_PER_CLIENT_PER_HOUR: '1000', COUPON_CHECKS_PER_CUSTOMER_PER_HOUR: '1000' });
    strict = await startTestPromotions(database.url, { COUPON_CHECKS_PER_CLIENT_PER_HOUR: '5', COUPON_CHECKS_PER_CUSTOMER_PER_HOUR: '3' });
  });
  afterAll(async () => {
    await promotions?.stop();
    await strict?.stop();
    await database?.drop();
  });

  test('PROMO-1: staff create a coupon per CONTRACT; the code is stored normalised and is case-insensitive', async () => {
    const answer = await create({ code: `welcome-${suffix}`.toLowerCase(), kind: 'PERCENTAGE', value: 15, usageLimit: 10, startsAt: new Date(Date.now() - 1000).toISOString() });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.createCoupon).toMatchObject({ code: `WELCOME-${suffix}`, usageCount: 0 });
    expect(errorCodes(await create({ code: `Welcome-${suffix}`, kind: 'PERCENTAGE', value: 5 }))).toEqual(['BAD_USER_INPUT']);
    const applied = await promotions.call(APPLY, { variables: { code: ` welcome-${suffix} `, subtotal: EUR('19.99') }, identity: customer() });
    expect(applied.data?.applyCoupon).toEqual({ code: `WELCOME-${suffix}`, kind: 'PERCENTAGE', discount: EUR('3.00'), freeShipping: false });
  });

  test('SEC-4: only staff manage coupons; customers and guests are refused and nothing is created', async () => {
    expect(errorCodes(await create({ code: `NOPE-${suffix}`, kind: 'PERCENTAGE', value: 5 }, customer()))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await promotions.call(`{ coupons { id } }`, { identity: customer() }))).toEqual(['FORBIDDEN']);
    expect(await database.db.coupon.count({ where: { code: `NOPE-${suffix}` } })).toBe(0);
  });

  test('PROMO-1: bad input is BAD_USER_INPUT naming the field and changes nothing', async () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ code: `P0-${suffix}`, kind: 'PERCENTAGE', value: 0 }, 'input.value'],
      [{ code: `P101-${suffix}`, kind: 'PERCENTAGE', value: 101 }, 'input.value'],
      [{ code: `FX-${suffix}`, kind: 'FIXED_AMOUNT', value: 500 }, 'input.currency'],
      [{ code: `FS-${suffix}`, kind: 'FREE_SHIPPING', value: 3 }, 'input.value'],
      [{ code: 'x', kind: 'PERCENTAGE', value: 5 }, 'input.code'],
      [{ code: `WIN-${suffix}`, kind: 'PERCENTAGE', value: 5, startsAt: '2030-01-02T00:00:00Z', endsAt: '2030-01-01T00:00:00Z' }, 'input.endsAt'],
      [{ code: `LIM-${suffix}`, kind: 'PERCENTAGE', value: 5, usageLimit: 0 }, 'input.usageLimit'],
    ];
    for (const [input, field] of bad) {
      const answer = await create(input);
      expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
      expect(answer.errors?.[0]?.extensions?.field).toBe(field);
    }
    expect(await database.db.coupon.count({ where: { code: { endsWith: suffix }, NOT: { code: `WELCOME-${suffix}` } } })).toBe(0);
  });

  test('PROMO-1: amounts: percentage rounds half-up, a fixed amount never exceeds the subtotal, free shipping takes nothing off the lines', async () => {
    await create({ code: `HALF-${suffix}`, kind: 'PERCENTAGE', value: 15 });
    await create({ code: `FIVE-${suffix}`, kind: 'FIXED_AMOUNT', value: 500, currency: 'EUR' });
    await create({ code: `SHIP-${suffix}`, kind: 'FREE_SHIPPING', value: 0 });
    const check = async (code: string, amount: string) => (await promotions.call<{ applyCoupon: unknown }>(APPLY, { variables: { code, subtotal: EUR(amount) } })).data?.applyCoupon;
    expect(await check(`HALF-${suffix}`, '0.10')).toMatchObject({ discount: EUR('0.02') });
    expect(await check(`HALF-${suffix}`, '0.09')).toMatchObject({ discount: EUR('0.01') });
    expect(await check(`FIVE-${suffix}`, '3.20')).toMatchObject({ discount: EUR('3.20') });
    expect(await check(`FIVE-${suffix}`, '30.00')).toMatchObject({ discount: EUR('5.00') });
    expect(await check(`SHIP-${suffix}`, '30.00')).toMatchObject({ discount: EUR('0.00'), freeShipping: true });
  });

  test('PROMO-3: unknown, expired, not yet valid, exhausted, deleted and below-minimum codes all answer alike', async () => {
    const past = new Date(Date.now() - 86_400_000).toISOString();
    const yesterday = new Date(Date.now() - 3_600_000).toISOString();
    await create({ code: `OLD-${suffix}`, kind: 'PERCENTAGE', value: 5, startsAt: past, endsAt: yesterday });
    await create({ code: `SOON-${suffix}`, kind: 'PERCENTAGE', value: 5, startsAt: new Date(Date.now() + 3_600_000).toISOString() });
    await create({ code: `MIN-${suffix}`, kind: 'PERCENTAGE', value: 5, minSubtotal: EUR('100.00') });
    const gone = await create({ code: `DEL-${suffix}`, kind: 'PERCENTAGE', value: 5 });
    await promotions.call(`mutation($id: ID!) { deleteCoupon(id: $id) { deletedAt } }`, { variables: { id: gone.data?.createCoupon.id }, identity: staff });
    await create({ code: `FULL-${suffix}`, kind: 'PERCENTAGE', value: 5, usageLimit: 1 });
    await handleOrderEvent(orderPlaced(randomUUID(), { couponCode: `FULL-${suffix}`, customerId: 'someone' }), promotions.server.redemptions, log);
    const answers = await Promise.all(
      ['OLD', 'SOON', 'MIN', 'DEL', 'FULL', 'NEVER-HEARD-OF'].map((prefix) => promotions.call(APPLY, { variables: { code: `${prefix}-${suffix}`, subtotal: EUR('50.00') }, identity: customer() })),
    );
    const shapes = answers.map((a) => ({ data: a.data, errors: a.errors?.map((e) => ({ message: e.message, extensions: e.extensions })) }));
    expect(shapes[0]?.errors).toEqual([{ message: 'The coupon cannot be used.', extensions: expect.objectContaining({ code: 'COUPON_INVALID' }) }]);
    for (const shape of shapes) expect(shape).toEqual(shapes[0]);
  });

  test('PROMO-3: coupon checks are rate-limited per client and per customer with RATE_LIMITED and retryAfter', async () => {
    const probe = (clientAddress: string, identity = customer('limited-customer')) =>
      strict.call(APPLY, { variables: { code: `GUESS-${randomUUID().slice(0, 6)}`, subtotal: EUR('10.00') }, identity, clientAddress });
    for (let i = 0; i < 3; i += 1) expect(errorCodes(await probe(`10.1.0.${i}`))).toEqual(['COUPON_INVALID']);
    const limited = await probe('10.1.0.9');
    expect(errorCodes(limited)).toEqual(['RATE_LIMITED']);
    expect(limited.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(0);
    const guest = { userId: null, roles: [] };
    for (let i = 0; i < 5; i += 1) expect(errorCodes(await probe('10.2.0.1', guest))).toEqual(['COUPON_INVALID']);
    expect(errorCodes(await probe('10.2.0.1', guest))).toEqual(['RATE_LIMITED']);
    expect(errorCodes(await probe('10.2.0.2', guest))).toEqual(['COUPON_INVALID']);
  });

  test('PROMO-5: an affiliate and its attributed orders are visible to its marketer and staff only', async () => {
    const owner = marketer();
    const created = await promotions.call<{ createAffiliate: { id: string } }>(`mutation($input: CreateAffiliateInput!) { createAffiliate(input: $input) { id } }`, {
      variables: { input: { marketerId: owner.userId, commissionRateBp: 800 } },
      identity: staff,
    });
    const affiliateId = created.data?.createAffiliate.id;
    expect(errorCodes(await create({ code: `REF-${suffix}`, kind: 'PERCENTAGE', value: 5, affiliateId }))).toEqual([]);
    const orderId = randomUUID();
    await handleOrderEvent(orderPlaced(orderId, { couponCode: `ref-${suffix}`, customerId: 'buyer', subtotalMinor: 20_000n }), promotions.server.redemptions, log);
    const query = `query($id: ID!) { affiliate(id: $id) { marketerId codes attributions { orderId status orderAmount { amount } commission { amount currency } } } }`;
    const expected = { marketerId: owner.userId, codes: [`REF-${suffix}`], attributions: [{ orderId, status: 'PENDING', orderAmount: { amount: '190.00' }, commission: EUR('15.20') }] };
    expect((await promotions.call(query, { variables: { id: affiliateId }, identity: owner })).data).toEqual({ affiliate: expected });
    expect((await promotions.call(query, { variables: { id: affiliateId }, identity: staff })).data).toEqual({ affiliate: expected });
    const other = await promotions.call(query, { variables: { id: affiliateId }, identity: marketer() });
    const missing = await promotions.call(query, { variables: { id: randomUUID() }, identity: marketer() });
    expect(errorCodes(other)).toEqual(['NOT_FOUND']);
    expect(other.errors?.[0]?.message).toBe(missing.errors?.[0]?.message);
    expect(errorCodes(await promotions.call(query, { variables: { id: affiliateId } }))).toEqual(['UNAUTHENTICATED']);
    expect((await promotions.call(`{ myAffiliates { id } }`, { identity: customer() })).data).toEqual({ myAffiliates: [] });
    expect((await promotions.call(`{ myAffiliates { id } }`, { identity: owner })).data).toEqual({ myAffiliates: [{ id: affiliateId }] });
  });

  test('PROMO-1: the demo seed creates WELCOME10 (10 %) once; it works for the README example', async () => {
    expect(await seedDemoCouponAt(database.url)).toBe(true);
    expect(await seedDemoCouponAt(database.url)).toBe(false);
    const answer = await promotions.call(APPLY, { variables: { code: DEMO_COUPON_CODE.toLowerCase(), subtotal: EUR('49.90') }, identity: customer() });
    expect(answer.data?.applyCoupon).toEqual({ code: 'WELCOME10', kind: 'PERCENTAGE', discount: EUR('4.99'), freeShipping: false });
  });
});
