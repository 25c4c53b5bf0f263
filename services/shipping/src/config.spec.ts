import { ConfigError } from '@shop/platform';
import { loadShippingConfig } from './config';

const base = { SHIPPING_DATABASE_URL: 'postgresql://db/shipping' };

describe('shipping config', () => {
  test('SHIP-2: defaults: port 4006, carrier timeout 3 s, 2 attempts per run, breaker 5 failures / 30 s, booking job every 5 s', () => {
    expect(loadShippingConfig(base)).toMatchObject({
      port: 4006,
      carrier: { timeoutMs: 3000, maxAttempts: 2, breakerFailures: 5, breakerOpenMs: 30_000 },
      bookingIntervalMs: 5000,
      bookingBackoffMs: 10_000,
    });
  });

  test('SHIP-2: invalid values name the variable; production refuses a placeholder gateway secret', () => {
    expect(() => loadShippingConfig({ ...base, SHIPPING_CARRIER_TIMEOUT_MS: '0' })).toThrow(/SHIPPING_CARRIER_TIMEOUT_MS/);
    expect(() => loadShippingConfig({ ...base, NODE_ENV: 'production', GATEWAY_SUBGRAPH_SECRET: 'changeme', KAFKA_BROKERS: 'kafka:9092' })).toThrow(ConfigError);
  });
});
