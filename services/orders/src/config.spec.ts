import { ConfigError } from '@shop/platform';
import { loadOrdersConfig } from './config';
import { DEFAULT_TAX_RATES } from './pricing/tax-rates';

const base = { ORDERS_DATABASE_URL: 'postgresql://db/orders' };
const production = { ...base, NODE_ENV: 'production', GATEWAY_SUBGRAPH_SECRET: 'Zq3v9X1mT7pL0sK4bN8cR2wY6hJ5dF1gA', SHIPPING_QUOTE_SECRET: 'Hk8s2Lq9Vw3Zp7Xc1Nb5Mt4Rg6Jy0Fd2E', KAFKA_BROKERS: 'kafka:9092' };

describe('orders config', () => {
  test('defaults: port 4004, quantity 999, cancel window 60 min, reminder 24 h, purge 8 days, sweep 60 s, trackOrder 20/h, EU tax table', () => {
    const config = loadOrdersConfig(base);
    expect(config).toMatchObject({
      port: 4004,
      cartMaxQuantity: 999,
      cancelWindowMinutes: 60,
      cartReminderHours: 24,
      cartPurgeDays: 8,
      cartSweepIntervalMs: 60_000,
      limits: { trackOrderPerClientPerHour: 20, scale: 1 },
      taxRates: DEFAULT_TAX_RATES,
    });
    expect(config.taxRates.DE).toEqual({ standard: 1900, reduced: 700 });
  });

  test('PROMO-4: TAX_RATES is JSON of basis points per country and class; malformed values name the variable', () => {
    expect(loadOrdersConfig({ ...base, TAX_RATES: '{"DE":{"standard":1900,"reduced":700},"FR":{"standard":2000}}' }).taxRates).toEqual({
      DE: { standard: 1900, reduced: 700 },
      FR: { standard: 2000 },
    });
    for (const bad of ['not json', '{"germany":{"standard":1900}}', '{"DE":{"standard":19.5}}', '{"DE":{"standard":-1}}']) {
      expect(() => loadOrdersConfig({ ...base, TAX_RATES: bad })).toThrow(/TAX_RATES/);
    }
  });

  test('CART-2, SEC-7: CART_MAX_QUANTITY, the windows and limits come from the environment; RATE_LIMIT_SCALE is read', () => {
    const config = loadOrdersConfig({ ...base, CART_MAX_QUANTITY: '50', ORDER_CANCEL_WINDOW_MINUTES: '15', TRACK_ORDER_PER_CLIENT_PER_HOUR: '5', RATE_LIMIT_SCALE: '10' });
    expect(config).toMatchObject({ cartMaxQuantity: 50, cancelWindowMinutes: 15, limits: { trackOrderPerClientPerHour: 5, scale: 10 } });
    expect(() => loadOrdersConfig({ ...base, CART_MAX_QUANTITY: '0' })).toThrow(/CART_MAX_QUANTITY/);
  });

  test('SEC-5, PLAT-4: production refuses a placeholder gateway secret and a missing bus', () => {
    expect(loadOrdersConfig(production).production).toBe(true);
    expect(() => loadOrdersConfig({ ...production, GATEWAY_SUBGRAPH_SECRET: 'changeme' })).toThrow(ConfigError);
    expect(() => loadOrdersConfig({ ...production, KAFKA_BROKERS: '' })).toThrow(/KAFKA_BROKERS/);
    expect(() => loadOrdersConfig({ ...production, SHIPPING_QUOTE_SECRET: undefined })).toThrow(/SHIPPING_QUOTE_SECRET/);
  });
});
