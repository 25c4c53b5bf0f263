import { appendToOutbox, createPool, createPrismaClient, parseMoney } from '@shop/platform';
import { SHIPPING_SOURCE, shippingRatesPublished } from '../events/shipping.events';
import { PrismaClient } from '../generated/prisma/client';
import { RateTableRepository } from '../rate-table.repository';
import { TX_OPTIONS } from '../shipping.db';
import { DEFAULT_METHODS, DEFAULT_ZONES, type SeedZone } from './default-rates';

/** Rolls the seed's transaction back (and so its revision bump) when methods exist. */
class AlreadySeeded extends Error {}

/**
 * Seeds the demo rate table (methods for DE, FR, NL, AT, US and more; standard and express) and
 * publishes it (ShippingRatesPublished). Idempotent: a database that has any method is left alone.
 * @returns whether it seeded
 */
export async function seedShippingAt(databaseUrl: string, zones: readonly SeedZone[] = DEFAULT_ZONES): Promise<boolean> {
  const pool = createPool({ url: databaseUrl, poolSize: 2 });
  const db = createPrismaClient(PrismaClient, pool);
  const table = new RateTableRepository(db);
  try {
    return await db.$transaction(async (tx) => {
      const revision = await table.nextRevision(tx);
      if ((await tx.shippingMethod.count()) > 0) throw new AlreadySeeded();
      const methods = new Map<string, { id: string; currency: string }>();
      for (const method of DEFAULT_METHODS) methods.set(method.code, await tx.shippingMethod.create({ data: method }));
      for (const zone of zones) {
        const { id: zoneId } = await tx.shippingZone.create({ data: { name: zone.name, countries: [...zone.countries], postalPrefixes: [...zone.postalPrefixes] } });
        for (const [code, rates] of Object.entries(zone.rates)) {
          const method = methods.get(code);
          if (!method) throw new Error(`seed: zone ${zone.name} names unknown method ${code}`);
          await tx.shippingRate.createMany({
            data: rates.bands.map((band, index) => ({
              methodId: method.id,
              zoneId,
              minWeightGrams: index === 0 ? 0 : (rates.bands[index - 1]?.maxWeightGrams ?? 0),
              maxWeightGrams: band.maxWeightGrams,
              priceMinor: parseMoney(band.price, method.currency).amountMinor,
            })),
          });
          if (rates.freeFrom) await tx.freeShippingThreshold.create({ data: { methodId: method.id, zoneId, minSubtotalMinor: parseMoney(rates.freeFrom, method.currency).amountMinor } });
        }
      }
      await appendToOutbox(tx, SHIPPING_SOURCE, [shippingRatesPublished(await table.load(tx, revision))]);
      return true;
    }, TX_OPTIONS);
  } catch (error) {
    if (error instanceof AlreadySeeded) return false;
    throw error;
  } finally {
    await db.$disconnect();
    await pool.end();
  }
}
