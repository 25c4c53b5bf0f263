import { spawnSync } from 'node:child_process';
import { createTestDatabase } from '@shop/platform/testing';
import { CATALOG_SERVICE_DIR } from '../src';

test('the checked-in migrations produce exactly prisma/schema.prisma (no drift)', async () => {
  const main = await createTestDatabase('drift');
  const shadow = await createTestDatabase('drift_shadow');
  try {
    const result = spawnSync(
      process.execPath,
      [require.resolve('prisma/build/index.js'), 'migrate', 'diff', '--from-migrations', 'prisma/migrations', '--to-schema', 'prisma/schema.prisma', '--exit-code'],
      { cwd: CATALOG_SERVICE_DIR, env: { ...process.env, DATABASE_URL: main.url, SHADOW_DATABASE_URL: shadow.url, NO_COLOR: '1' }, encoding: 'utf8', timeout: 60_000 },
    );
    expect({ status: result.status, output: result.stdout + result.stderr }).toEqual({ status: 0, output: expect.stringContaining('No difference detected') });
  } finally {
    await main.drop();
    await shadow.drop();
  }
});
