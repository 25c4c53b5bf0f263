import { migrationDrift } from '@shop/platform/testing';
import { PROMOTIONS_SERVICE_DIR } from '../src';

test('the checked-in migrations produce exactly prisma/schema.prisma (no drift)', async () => {
  expect(await migrationDrift(PROMOTIONS_SERVICE_DIR)).toEqual({ status: 0, output: expect.stringContaining('No difference detected') });
});
