import { spawnSync } from 'node:child_process';
import { processEnv } from '../config';
import { createTestDatabase } from './test-database';

/**
 * What `prisma migrate diff` says between a service's checked-in migrations and its schema.prisma,
 * on fresh databases. `{ status: 0, output: '... No difference detected ...' }` means no drift.
 */
export async function migrationDrift(serviceDir: string): Promise<{ status: number | null; output: string }> {
  const main = await createTestDatabase('drift');
  const shadow = await createTestDatabase('drift_shadow');
  try {
    const result = spawnSync(
      process.execPath,
      [require.resolve('prisma/build/index.js'), 'migrate', 'diff', '--from-migrations', 'prisma/migrations', '--to-schema', 'prisma/schema.prisma', '--exit-code'],
      { cwd: serviceDir, env: { ...processEnv(), DATABASE_URL: main.url, SHADOW_DATABASE_URL: shadow.url, NO_COLOR: '1' }, encoding: 'utf8', timeout: 60_000 },
    );
    return { status: result.status, output: result.stdout + result.stderr };
  } finally {
    await main.drop();
    await shadow.drop();
  }
}
