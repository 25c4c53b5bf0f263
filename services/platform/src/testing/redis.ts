import { spawnSync } from 'node:child_process';
import { processEnv } from '../config/load-config';

/** The Redis tests use: REDIS_URL, or the usual local one. */
export const TEST_REDIS_URL = processEnv().REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether Redis answers PING; synchronous (a child process) because jest picks tests before awaiting anything. */
export function redisAnswers(url = TEST_REDIS_URL): boolean {
  const script = `
    const Redis = require(${JSON.stringify(require.resolve('ioredis'))});
    const redis = new Redis(process.argv[1], { lazyConnect: true, connectTimeout: 1500, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => undefined);
    redis.connect().then(() => redis.ping()).then((reply) => process.exit(reply === 'PONG' ? 0 : 1), () => process.exit(1));`;
  return spawnSync(process.execPath, ['-e', script, url], { timeout: 5_000 }).status === 0;
}

/**
 * `describe` when Redis answers; otherwise `describe.skip` with a visible warning naming `what`.
 * A user's machine may have no Redis; CI has one, so there a missing Redis fails the run.
 */
export function describeWithRedis(what: string): jest.Describe {
  if (redisAnswers()) return describe;
  const message = `${what}: no Redis answers at ${TEST_REDIS_URL}; the Redis tests are SKIPPED (set REDIS_URL or start Redis)`;
  if (processEnv().CI) throw new Error(`${message}, and CI must have one`);
  process.stderr.write(`\n*** ${message} ***\n\n`);
  return describe.skip;
}

/** Deletes every key under a test's own prefix; returns what is left (nothing, when it worked). */
export async function deleteTestKeys(redis: { keys(pattern: string): Promise<string[]>; del(...keys: string[]): Promise<number> }, prefix: string): Promise<string[]> {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  return redis.keys(`${prefix}:*`);
}
