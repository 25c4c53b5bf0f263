import { createPool, createPrismaClient } from '@shop/platform';
import { PrismaClient, type Role } from '../generated/prisma/client';
import { checkPasswordPolicy, hashPassword, verifyPassword } from '../passwords';

/** The embedded-mode staff account (CONTRACT); production seeds no accounts. */
export const STAFF_ADMIN_EMAIL = 'admin@shop.local';

/**
 * Creates `admin@shop.local` with STAFF and CUSTOMER roles, or sets its password when it has
 * changed (SEED_ADMIN_PASSWORD is the source of truth). Returns what it did.
 */
export async function seedStaffAdminAt(databaseUrl: string, password: string): Promise<'created' | 'updated' | 'unchanged'> {
  checkPasswordPolicy(password, 'SEED_ADMIN_PASSWORD');
  const pool = createPool({ url: databaseUrl, poolSize: 2 });
  const db = createPrismaClient(PrismaClient, pool);
  try {
    const existing = await db.account.findUnique({ where: { email: STAFF_ADMIN_EMAIL } });
    if (existing && (await verifyPassword(existing.passwordHash, password))) return 'unchanged';
    const roles: Role[] = ['CUSTOMER', 'STAFF'];
    const data = { passwordHash: await hashPassword(password), roles, emailVerifiedAt: new Date() };
    if (existing) {
      await db.account.update({ where: { id: existing.id }, data });
      return 'updated';
    }
    await db.account.create({ data: { ...data, email: STAFF_ADMIN_EMAIL, name: 'Shop admin' } });
    return 'created';
  } finally {
    await db.$disconnect();
    await pool.end();
  }
}
