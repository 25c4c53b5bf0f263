import { createPool, createPrismaClient } from '@shop/platform';
import { PrismaClient } from '../generated/prisma/client';
import { PartnerKeyService } from '../partner-key.service';

/** The embedded-mode demo partner (CONTRACT): its safelist is schemas/persisted-queries/demo-partner.json. */
export const DEMO_PARTNER = 'demo-partner';

/** Stores `key` as the demo partner's read-only key (embedded mode only; idempotent, un-revokes it). */
export async function seedPartnerKeyAt(databaseUrl: string, key: string): Promise<void> {
  const pool = createPool({ url: databaseUrl, poolSize: 2 });
  const db = createPrismaClient(PrismaClient, pool);
  try {
    await new PartnerKeyService(db).ensure({ partner: DEMO_PARTNER, scope: 'READ_ONLY', marketId: null }, key, 'embedded-seed');
  } finally {
    await db.$disconnect();
    await pool.end();
  }
}
