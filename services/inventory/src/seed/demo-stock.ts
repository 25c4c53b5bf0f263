import { createPool, createPrismaClient } from '@shop/platform';
import { PrismaClient } from '../generated/prisma/client';

/** The warehouse the seed fills (INVENTORY_DEFAULT_WAREHOUSE's default). */
export const SEED_WAREHOUSE = 'main';

/**
 * Gives every listed variant `quantity` units in the default warehouse, with a ledger row (actor
 * `seed`). Idempotent: variants and levels that exist are left alone.
 * @returns how many stock levels it created
 */
export async function seedDemoStockAt(databaseUrl: string, variants: readonly { id: string; sku: string }[], quantity: number, warehouse = SEED_WAREHOUSE): Promise<number> {
  const pool = createPool({ url: databaseUrl, poolSize: 2 });
  const db = createPrismaClient(PrismaClient, pool);
  try {
    let created = 0;
    for (const variant of variants) {
      const made = await db.$transaction(async (tx) => {
        await tx.variant.upsert({ where: { id: variant.id }, create: { id: variant.id, sku: variant.sku }, update: {} });
        const inserted = await tx.stockLevel.createMany({ data: [{ variantId: variant.id, warehouse, onHand: quantity }], skipDuplicates: true });
        if (inserted.count === 0) return false;
        await tx.stockMovement.create({
          data: { variantId: variant.id, warehouse, kind: 'SET', onHandDelta: quantity, reservedDelta: 0, committedDelta: 0, actor: 'seed', reason: 'demo stock' },
        });
        return true;
      });
      if (made) created += 1;
    }
    return created;
  } finally {
    await db.$disconnect();
    await pool.end();
  }
}
