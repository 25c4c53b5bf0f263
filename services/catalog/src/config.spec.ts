import { ConfigError } from '@shop/platform';
import { loadCatalogConfig } from './config';

const production = { NODE_ENV: 'production', GATEWAY_SUBGRAPH_SECRET: 'Zq3v9X1mT7pL0sK4bN8cR2wY6hJ5dF1gA', CATALOG_DATABASE_URL: 'postgresql://db/catalog' };

test('PLAT-4: in production the catalog refuses to start without a bus, since nothing would leave its outbox', () => {
  expect(() => loadCatalogConfig(production)).toThrow(ConfigError);
  expect(() => loadCatalogConfig(production)).toThrow(/KAFKA_BROKERS/);
  expect(loadCatalogConfig({ ...production, KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9092' }).events.kafkaBrokers).toEqual(['kafka-1:9092', 'kafka-2:9092']);
  expect(loadCatalogConfig({ ...production, BUS_DATABASE_URL: 'postgresql://db/bus' }).events.busDatabaseUrl).toBe('postgresql://db/bus');
});
