import type { RateTable } from '@shop/platform';
import type { OrdersDb, OrdersTx } from '../orders.db';

const CURRENT = 'current';

/** The newest shipping rate table orders has received (ShippingRatesPublished), kept as one row. */
export class ShippingRatesRepository {
  constructor(private readonly db: OrdersDb) {}

  /** The table quotes and checkout price with; null until shipping has published one. */
  async current(tx: OrdersTx = this.db): Promise<RateTable | null> {
    const row = await tx.shippingRateTable.findUnique({ where: { id: CURRENT } });
    return row ? (row.rates as unknown as RateTable) : null;
  }

  /** Keeps `table` unless a newer revision is already stored (events may arrive late or twice). */
  async store(tx: OrdersTx, table: RateTable): Promise<void> {
    const rates = JSON.parse(JSON.stringify(table)) as object;
    await tx.$executeRaw`
      INSERT INTO shipping_rate_table (id, revision, rates, received_at) VALUES (${CURRENT}, ${table.revision}, ${rates}::jsonb, now())
      ON CONFLICT (id) DO UPDATE SET revision = EXCLUDED.revision, rates = EXCLUDED.rates, received_at = now()
      WHERE shipping_rate_table.revision < EXCLUDED.revision`;
  }
}
