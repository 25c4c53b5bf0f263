import { ConfigError, generateSigningKey } from '@shop/platform';
import { loadAccountsConfig } from './config';

const strong = (label: string) => `${label}-Zq3v9X1mT7pL0sK4bN8cR2wY6hJ5dF1gA`;

async function productionEnv(): Promise<Record<string, string>> {
  const key = await generateSigningKey('prod-1');
  return {
    NODE_ENV: 'production',
    ACCOUNTS_DATABASE_URL: 'postgresql://db/accounts',
    GATEWAY_SUBGRAPH_SECRET: strong('gateway'),
    ACCOUNTS_TOKEN_SECRET: strong('tokens'),
    JWT_SIGNING_KEYS: JSON.stringify([key.privateJwk]),
    MESSAGE_WEBHOOK_URL: 'https://relay.internal/messages',
    MESSAGE_WEBHOOK_SECRET: strong('relay'),
    KAFKA_BROKERS: 'kafka:9092',
  };
}

test('SEC-5: a complete production configuration loads', async () => {
  const config = loadAccountsConfig(await productionEnv());
  expect(config.production).toBe(true);
  expect(config.signingKeys.map((key) => key.kid)).toEqual(['prod-1']);
  expect(config.messageWebhook?.url).toBe('https://relay.internal/messages');
});

test.each([
  ['ACCOUNTS_TOKEN_SECRET', 'changeme'],
  ['ACCOUNTS_TOKEN_SECRET', 'dev-only-accounts-token-secret-not-for-production'],
  ['GATEWAY_SUBGRAPH_SECRET', 'short'],
  ['MESSAGE_WEBHOOK_SECRET', ''],
])('SEC-5: production refuses %s=%p with a line naming it', async (name, value) => {
  const env = { ...(await productionEnv()), [name]: value };
  expect(() => loadAccountsConfig(env)).toThrow(ConfigError);
  expect(() => loadAccountsConfig(env)).toThrow(new RegExp(name));
});

test('SEC-5: production refuses to start without the messaging relay or signing keys', async () => {
  const { MESSAGE_WEBHOOK_URL: _relay, ...noRelay } = await productionEnv();
  expect(() => loadAccountsConfig(noRelay)).toThrow(/MESSAGE_WEBHOOK_URL/);
  const { JWT_SIGNING_KEYS: _keys, ...noKeys } = await productionEnv();
  expect(() => loadAccountsConfig(noKeys)).toThrow(/JWT_SIGNING_KEYS/);
});

test('SEC-1: JWT_SIGNING_KEYS must be private Ed25519 keys with a kid', async () => {
  const env = await productionEnv();
  const [key] = JSON.parse(env.JWT_SIGNING_KEYS ?? '[]') as Record<string, string>[];
  const { d: _private, ...publicOnly } = key ?? {};
  expect(() => loadAccountsConfig({ ...env, JWT_SIGNING_KEYS: JSON.stringify([publicOnly]) })).toThrow(/JWT_SIGNING_KEYS/);
  expect(() => loadAccountsConfig({ ...env, JWT_SIGNING_KEYS: JSON.stringify([{ ...key, kid: undefined }]) })).toThrow(/JWT_SIGNING_KEYS/);
  expect(() => loadAccountsConfig({ ...env, JWT_SIGNING_KEYS: 'not json' })).toThrow(/JWT_SIGNING_KEYS/);
});
