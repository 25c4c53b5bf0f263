import { ConfigError } from '@shop/platform';
import { loadPromotionsConfig } from './config';

const base = { PROMOTIONS_DATABASE_URL: 'postgresql://db/promotions' };
const production = { ...base, NODE_ENV: 'production', GATEWAY_SUBGRAPH_SECRET: 'Zq3v9X1mT7pL0sK4bN8cR2wY6hJ5dF1gA' };

test('PROMO-2, PROMO-3, PROMO-5: defaults on port 4007, all configurable', () => {
  expect(loadPromotionsConfig(base)).toMatchObject({
    port: 4007,
    redemptionTtlSeconds: 1800,
    redemptionGraceSeconds: 300,
    defaultCommissionBp: 500,
    limits: { couponChecksPerClientPerHour: 30, couponChecksPerCustomerPerHour: 20, scale: 1 },
  });
  const tuned = loadPromotionsConfig({ ...base, AFFILIATE_DEFAULT_COMMISSION_BP: '1200', COUPON_CHECKS_PER_CUSTOMER_PER_HOUR: '5', RATE_LIMIT_SCALE: '2' });
  expect(tuned).toMatchObject({ defaultCommissionBp: 1200, limits: { couponChecksPerCustomerPerHour: 5, scale: 2 } });
});

test('PROMO-5: a commission outside 0..10000 basis points or a missing database is refused, naming the variable', () => {
  expect(() => loadPromotionsConfig({ ...base, AFFILIATE_DEFAULT_COMMISSION_BP: '10001' })).toThrow(/AFFILIATE_DEFAULT_COMMISSION_BP/);
  expect(() => loadPromotionsConfig({ ...base, COUPON_CHECKS_PER_CLIENT_PER_HOUR: '0' })).toThrow(ConfigError);
  expect(() => loadPromotionsConfig({})).toThrow(/PROMOTIONS_DATABASE_URL/);
});

test('PLAT-4: in production promotions refuses to start without a bus, since nothing would leave its outbox', () => {
  expect(() => loadPromotionsConfig(production)).toThrow(/KAFKA_BROKERS/);
});
