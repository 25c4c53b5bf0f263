import type { OrdersDb, OrdersTx } from './orders.db';
import type { CatalogVariant } from './generated/prisma/client';

export type { CatalogVariant };

/** Reads of the catalog read model (written only by the catalog consumer). */
export class CatalogVariantRepository {
  constructor(private readonly db: OrdersDb) {}

  byId(variantId: string): Promise<CatalogVariant | null> {
    return this.db.catalogVariant.findUnique({ where: { variantId } });
  }

  byIds(variantIds: readonly string[], tx: OrdersTx = this.db): Promise<CatalogVariant[]> {
    return tx.catalogVariant.findMany({ where: { variantId: { in: [...variantIds] } } });
  }
}
