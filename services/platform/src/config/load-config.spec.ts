import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError, env, loadConfig, nodeEnv } from './load-config';

const DEV_DEFAULT = 'dev-only-identity-secret-do-not-use-in-production';

/** A typical service config: ports and levels with defaults, two secrets with dev-only defaults. */
const schema = z.object({
  NODE_ENV: nodeEnv,
  PORT: env.port(4001),
  DB_POOL_SIZE: env.positiveInt(10),
  TRACING: env.bool(false),
  IDENTITY_SECRET: z.string().default(DEV_DEFAULT),
  WEBHOOK_SECRET: z.string().default(DEV_DEFAULT),
});
const secrets = ['IDENTITY_SECRET', 'WEBHOOK_SECRET'] as const;

/** A random secret of exactly `bytes` bytes (hex, so one byte per character). */
function randomSecret(bytes: number): string {
  return randomBytes(bytes).toString('hex').slice(0, bytes);
}

function load(values: Record<string, string | undefined>) {
  return loadConfig({ service: 'orders', schema, secrets, env: values });
}

/** The ConfigError `work` throws; fails the test when it throws anything else or nothing. */
function configErrorOf(work: () => unknown): ConfigError {
  try {
    work();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw new Error(`expected a ConfigError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a ConfigError, but loading succeeded');
}

describe('loadConfig', () => {
  test('SEC-5: unset variables take their schema defaults, given ones are coerced to their types', () => {
    expect(load({})).toEqual({
      NODE_ENV: 'development',
      PORT: 4001,
      DB_POOL_SIZE: 10,
      TRACING: false,
      IDENTITY_SECRET: DEV_DEFAULT,
      WEBHOOK_SECRET: DEV_DEFAULT,
    });
    expect(load({ PORT: '8080', DB_POOL_SIZE: '3', TRACING: '1' })).toMatchObject({ PORT: 8080, DB_POOL_SIZE: 3, TRACING: true });
  });

  test.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DB_POOL_SIZE', '0'],
    ['TRACING', 'yes'],
    ['NODE_ENV', 'prod'],
  ])('SEC-5: a bad value of %s (%p) is a ConfigError whose one-line message names the variable', (name, value) => {
    const error = configErrorOf(() => load({ [name]: value }));
    expect(error.message).toContain(name);
    expect(error.message).toContain('orders');
    expect(error.message).not.toContain('\n');
  });

  describe('in production', () => {
    const good = { NODE_ENV: 'production', IDENTITY_SECRET: randomSecret(48), WEBHOOK_SECRET: randomSecret(48) };

    test.each([
      ['missing', undefined],
      ['empty', ''],
      ['"changeme"', 'changeme'],
      ['"CHANGEME" (any case)', 'CHANGEME'],
      ['"secret"', 'secret'],
      ['of 31 random bytes', randomSecret(31)],
      ['with the long dev-only default', DEV_DEFAULT],
      ['with a long change-me value', 'please-change-me-before-going-live-0123456789'],
    ])('SEC-5: a secret %s stops start-up with a ConfigError naming the variable', (_label, value) => {
      // The first secret is fine, so the message must name the second one, not just any secret.
      const error = configErrorOf(() => load({ ...good, WEBHOOK_SECRET: value }));
      expect(error.message).toContain('WEBHOOK_SECRET');
      expect(error.message).not.toContain('IDENTITY_SECRET');
      expect(error.message).not.toContain('\n');
    });

    test('SEC-5: the faulty secret value itself never appears in the message', () => {
      const value = 'changeme';
      const error = configErrorOf(() => load({ ...good, IDENTITY_SECRET: value }));
      expect(error.message).toContain('IDENTITY_SECRET');
      expect(error.message).not.toContain(value);
    });

    test.each([
      ['exactly 32 random bytes', randomSecret(32)],
      ['64 random bytes', randomSecret(64)],
    ])('SEC-5: a secret of %s passes', (_label, value) => {
      const config = load({ ...good, IDENTITY_SECRET: value });
      expect(config.IDENTITY_SECRET).toBe(value);
      expect(config.NODE_ENV).toBe('production');
    });
  });

  test.each([
    ['development', 'development'],
    ['test', 'test'],
    ['unset', undefined],
  ])('SEC-5: outside production (%s) the placeholder defaults are accepted', (_label, nodeEnvValue) => {
    const config = load({ NODE_ENV: nodeEnvValue });
    expect(config.IDENTITY_SECRET).toBe(DEV_DEFAULT);
    expect(load({ NODE_ENV: nodeEnvValue, WEBHOOK_SECRET: 'changeme' }).WEBHOOK_SECRET).toBe('changeme');
  });
});

describe('exitOnConfigError (compiled dist, separate process)', () => {
  const platformDir = path.resolve(__dirname, '../..');
  const dist = path.join(platformDir, 'dist/index.js');

  beforeAll(() => {
    if (!existsSync(dist)) throw new Error('services/platform/dist is missing: run `npx tsc -b services/platform` first');
  });

  /** Starts a process that loads a config with one secret through exitOnConfigError. */
  function start(extraEnv: Record<string, string>) {
    const script = `
      const { exitOnConfigError, loadConfig } = require(${JSON.stringify(dist)});
      const { z } = require(require.resolve('zod', { paths: [${JSON.stringify(platformDir)}] }));
      exitOnConfigError(async () =>
        loadConfig({ service: 'orders', schema: z.object({ ORDERS_SIGNING_KEY: z.string().default('dev-only-key') }), secrets: ['ORDERS_SIGNING_KEY'] }),
      ).then(() => console.log('STARTED'));`;
    return spawnSync(process.execPath, ['-e', script], {
      cwd: platformDir,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...extraEnv },
      encoding: 'utf8',
      timeout: 30_000,
    });
  }

  test('SEC-5: a placeholder secret in production prints exactly one FATAL line naming the variable and exits 1', () => {
    const run = start({});
    expect(run.status).toBe(1);
    expect(run.stdout).not.toContain('STARTED');
    const lines = run.stderr.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^FATAL .*ORDERS_SIGNING_KEY/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stderr).not.toContain('ConfigError');
  });

  test('SEC-5: the same process starts when the secret is a random 32-byte value (control)', () => {
    const run = start({ ORDERS_SIGNING_KEY: randomSecret(32) });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('STARTED');
  });
});
