import { ConfigError } from '@shop/platform';
import { loadInventoryConfig } from './config';

const base = { INVENTORY_DATABASE_URL: 'postgresql://db/inventory' };
const production = { ...base, NODE_ENV: 'production', GATEWAY_SUBGRAPH_SECRET: 'Zq3v9X1mT7pL0sK4bN8cR2wY6hJ5dF1gA' };

test('INV-3: reservations hold 15 minutes by default and the sweeper runs every second; both are configurable', () => {
  expect(loadInventoryConfig(base)).toMatchObject({ port: 4003, reservationTtlSeconds: 900, sweepIntervalMs: 1000, lowStockThreshold: 5, defaultWarehouse: 'main' });
  const tuned = loadInventoryConfig({ ...base, RESERVATION_TTL_SECONDS: '1', RESERVATION_SWEEP_INTERVAL_MS: '50', LOW_STOCK_THRESHOLD: '0', INVENTORY_DEFAULT_WAREHOUSE: 'north' });
  expect(tuned).toMatchObject({ reservationTtlSeconds: 1, sweepIntervalMs: 50, lowStockThreshold: 0, defaultWarehouse: 'north' });
});

test('INV-3: a TTL or interval that is not a positive integer is refused, naming the variable', () => {
  expect(() => loadInventoryConfig({ ...base, RESERVATION_TTL_SECONDS: '0' })).toThrow(/RESERVATION_TTL_SECONDS/);
  expect(() => loadInventoryConfig({ ...base, RESERVATION_SWEEP_INTERVAL_MS: 'soon' })).toThrow(/RESERVATION_SWEEP_INTERVAL_MS/);
  expect(() => loadInventoryConfig({ ...base, LOW_STOCK_THRESHOLD: '-1' })).toThrow(ConfigError);
  expect(() => loadInventoryConfig({})).toThrow(/INVENTORY_DATABASE_URL/);
});

test('PLAT-4: in production the inventory refuses to start without a bus, since nothing would leave its outbox', () => {
  expect(() => loadInventoryConfig(production)).toThrow(/KAFKA_BROKERS/);
  expect(loadInventoryConfig({ ...production, BUS_DATABASE_URL: 'postgresql://db/bus' }).events.busDatabaseUrl).toBe('postgresql://db/bus');
});
