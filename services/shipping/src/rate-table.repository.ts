import type { RateTable } from '@shop/platform';
import type { ShippingDb, ShippingTx } from './shipping.db';

const CURRENT = 'current';

/** The rate table as stored: zones, methods, weight bands and free thresholds, and its revision. */
export class RateTableRepository {
  constructor(private readonly db: ShippingDb) {}

  /** Bumps the revision (and holds its row lock until commit, so changes publish in order). */
  async nextRevision(tx: ShippingTx): Promise<number> {
    const [row] = await tx.$queryRaw<{ revision: number }[]>`
      INSERT INTO rate_table_revision (id, revision) VALUES (${CURRENT}, 1)
      ON CONFLICT (id) DO UPDATE SET revision = rate_table_revision.revision + 1
      RETURNING revision`;
    return (row as { revision: number }).revision;
  }

  /** The whole table as ShippingRatesPublished carries it. */
  async load(tx: ShippingTx | ShippingDb = this.db, revision?: number): Promise<RateTable> {
    const [zones, methods, rates, thresholds, current] = await Promise.all([
      tx.shippingZone.findMany({ orderBy: { name: 'asc' } }),
      tx.shippingMethod.findMany({ orderBy: { code: 'asc' } }),
      tx.shippingRate.findMany({ orderBy: [{ methodId: 'asc' }, { zoneId: 'asc' }, { minWeightGrams: 'asc' }] }),
      tx.freeShippingThreshold.findMany({ orderBy: [{ methodId: 'asc' }, { zoneId: 'asc' }] }),
      tx.rateTableRevision.findUnique({ where: { id: CURRENT } }),
    ]);
    return {
      revision: revision ?? current?.revision ?? 1,
      zones: zones.map((zone) => ({ id: zone.id, name: zone.name, countries: zone.countries, postalPrefixes: zone.postalPrefixes })),
      methods: methods.map((method) => ({ id: method.id, code: method.code, name: method.name, currency: method.currency, active: method.active })),
      rates: rates.map((rate) => ({
        methodId: rate.methodId,
        zoneId: rate.zoneId,
        minWeightGrams: rate.minWeightGrams,
        maxWeightGrams: rate.maxWeightGrams,
        priceMinor: rate.priceMinor.toString(),
      })),
      freeThresholds: thresholds.map((free) => ({ methodId: free.methodId, zoneId: free.zoneId, minSubtotalMinor: free.minSubtotalMinor.toString() })),
    };
  }
}
