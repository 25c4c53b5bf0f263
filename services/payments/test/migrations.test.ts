import { migrationDrift } from '@shop/platform/testing';
import { PAYMENTS_SERVICE_DIR } from '../src';

test('the checked-in migrations produce exactly prisma/schema.prisma (no drift)', async () => {
  expect(await migrationDrift(PAYMENTS_SERVICE_DIR)).toEqual({ status: 0, output: expect.stringContaining('No difference detected') });
});
