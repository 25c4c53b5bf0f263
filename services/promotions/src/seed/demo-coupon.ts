import { createPool, createPrismaClient } from '@shop/platform';
import { PrismaClient } from '../generated/prisma/client';

/** The README's example code: 10 % off any order. */
export const DEMO_COUPON_CODE = 'WELCOME10';

/**
 * Creates the demo coupon WELCOME10 (10 %, no limits). Idempotent: an existing one is left alone.
 * @returns whether it created the coupon
 */
export async function seedDemoCouponAt(databaseUrl: string): Promise<boolean> {
  const pool = createPool({ url: databaseUrl, poolSize: 1 });
  const db = createPrismaClient(PrismaClient, pool);
  try {
    const created = await db.coupon.createMany({ data: [{ code: DEMO_COUPON_CODE, kind: 'PERCENTAGE', value: 10 }], skipDuplicates: true });
    return created.count === 1;
  } finally {
    await db.$disconnect();
    await pool.end();
  }
}
