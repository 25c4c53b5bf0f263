import path from 'node:path';
import { z } from 'zod';
import { env, loadConfig, processEnv } from '@shop/platform';

const repoRoot = path.join(__dirname, '../../..');

const schema = z.object({
  /** Where embedded mode keeps everything: PostgreSQL's cluster, keys, messages. */
  DATA_DIR: z.string().default(path.join(repoRoot, '.data')),
  /** A fixed port for the embedded PostgreSQL; a free one is picked when unset. */
  EMBEDDED_POSTGRES_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** Seeds the demo catalogue on start (idempotent). */
  SEED_DEMO_DATA: env.bool(true),
  CATALOG_DATABASE_URL: env.optionalUrl(),
  ACCOUNTS_DATABASE_URL: env.optionalUrl(),
  INVENTORY_DATABASE_URL: env.optionalUrl(),
  ORDERS_DATABASE_URL: env.optionalUrl(),
  PAYMENTS_DATABASE_URL: env.optionalUrl(),
  SHIPPING_DATABASE_URL: env.optionalUrl(),
  PROMOTIONS_DATABASE_URL: env.optionalUrl(),
  /** Units of stock each demo variant starts with (on the first start only). */
  SEED_DEMO_STOCK: z.coerce.number().int().min(0).default(25),
  /** The staff admin's password; unset = one made up on the first start and kept in DATA_DIR/secrets.json. */
  SEED_ADMIN_PASSWORD: z.string().min(1).optional(),
  /** The demo partner's API key (X-Api-Key, read-only, safelist demo-partner); unset = one made up and kept in DATA_DIR/secrets.json. */
  PARTNER_DEMO_KEY: z.string().min(16).optional(),
  /** Where the sandbox SMS and email providers write one-time codes and links (default DATA_DIR/messages.jsonl). */
  MESSAGES_FILE: z.string().min(1).optional(),
  /** With Kafka brokers the services use Kafka; otherwise the embedded bus in its own database. */
  KAFKA_BROKERS: z.string().optional(),
  BUS_DATABASE_URL: env.optionalUrl(),
  JWT_ISSUER: z.string().min(1).default('shop-accounts'),
  JWT_AUDIENCE: z.string().min(1).default('shop'),
  /** The gateway's port, which the verification links point at. */
  PORT: env.port(4000),
  EMAIL_VERIFICATION_URL: z.url().optional(),
});

/** The launcher's own settings; each service still reads its own config. */
export interface EmbeddedConfig {
  readonly dataDir: string;
  readonly postgresPort: number | undefined;
  readonly seedDemoData: boolean;
  readonly seedDemoStock: number;
  /** SEED_ADMIN_PASSWORD when set; otherwise the launcher uses the data directory's own. */
  readonly seedAdminPassword: string | undefined;
  /** PARTNER_DEMO_KEY when set; otherwise the launcher uses the data directory's own. */
  readonly partnerDemoKey: string | undefined;
  readonly messagesFile: string;
  /** Databases given from outside; a service without one gets a database on the embedded server. */
  readonly databaseUrls: Readonly<Record<string, string | undefined>>;
  /** True when Kafka carries the events (KAFKA_BROKERS); then no bus database is made. */
  readonly kafka: boolean;
  readonly tokenAudience: { readonly issuer: string; readonly audience: string };
  /** Where verification links lead: the gateway's own page, unless EMAIL_VERIFICATION_URL says otherwise. */
  readonly emailVerificationUrl: string;
  /** The public origin of the gateway (the sandbox payment page and its webhook go through it). */
  readonly publicUrl: string;
}

/** Reads the launcher's environment. */
export function loadEmbeddedConfig(): EmbeddedConfig {
  const config = loadConfig({ service: 'embedded', schema });
  const dataDir = path.resolve(config.DATA_DIR);
  return {
    dataDir,
    postgresPort: config.EMBEDDED_POSTGRES_PORT,
    seedDemoData: config.SEED_DEMO_DATA,
    seedDemoStock: config.SEED_DEMO_STOCK,
    seedAdminPassword: config.SEED_ADMIN_PASSWORD,
    partnerDemoKey: config.PARTNER_DEMO_KEY,
    messagesFile: path.resolve(config.MESSAGES_FILE ?? path.join(dataDir, 'messages.jsonl')),
    databaseUrls: {
      catalog: config.CATALOG_DATABASE_URL,
      accounts: config.ACCOUNTS_DATABASE_URL,
      inventory: config.INVENTORY_DATABASE_URL,
      orders: config.ORDERS_DATABASE_URL,
      payments: config.PAYMENTS_DATABASE_URL,
      shipping: config.SHIPPING_DATABASE_URL,
      promotions: config.PROMOTIONS_DATABASE_URL,
      ...(config.KAFKA_BROKERS ? {} : { bus: config.BUS_DATABASE_URL }),
    },
    kafka: Boolean(config.KAFKA_BROKERS),
    tokenAudience: { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE },
    emailVerificationUrl: config.EMAIL_VERIFICATION_URL ?? `http://localhost:${config.PORT || 4000}/verify-email`,
    publicUrl: `http://localhost:${config.PORT || 4000}`,
  };
}

/** The process environment, for the services' own configs (with the launcher's values on top). */
export function serviceEnv(overrides: Record<string, string>): Record<string, string | undefined> {
  return { LOG_LEVEL: 'warn', BUS_POOL_SIZE: '2', ...EMBEDDED_POOL_SIZES, ...processEnv(), ...overrides };
}

/**
 * Seven services in one process on one PostgreSQL (100 connections): small pools, unless the
 * environment says otherwise. Each service also holds a few event bus connections.
 */
const EMBEDDED_POOL_SIZES = Object.fromEntries(
  ['CATALOG', 'ACCOUNTS', 'INVENTORY', 'ORDERS', 'PAYMENTS', 'SHIPPING', 'PROMOTIONS'].map((service) => [`${service}_DB_POOL_SIZE`, '4']),
);
