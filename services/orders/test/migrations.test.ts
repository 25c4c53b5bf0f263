import { migrationDrift } from '@shop/platform/testing';
import { ORDERS_SERVICE_DIR } from '../src';

test('ORD-8: the checked-in migrations produce exactly prisma/schema.prisma (no drift)', async () => {
  expect(await migrationDrift(ORDERS_SERVICE_DIR)).toEqual({ status: 0, output: expect.stringContaining('No difference detected') });
});
