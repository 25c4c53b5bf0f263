import { appendToOutbox, badUserInput, notFound, parseInput, parseMoney, type RateTable, type RequestContext } from '@shop/platform';
import { SHIPPING_SOURCE, shippingRatesPublished } from './events/shipping.events';
import { idInput, methodInput, ratesInput, zoneInput } from './rate.input';
import type { RateTableRepository } from './rate-table.repository';
import { TX_OPTIONS, type ShippingDb, type ShippingTx } from './shipping.db';

const isUniqueViolation = (error: unknown) => typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';

/**
 * Staff edits of the rate table (SHIP-1): zones, methods, weight bands, free thresholds. Every
 * change bumps the revision and publishes the whole table (ShippingRatesPublished) in the same
 * transaction, so orders always quotes from a complete, current table.
 */
export class RateAdminService {
  constructor(
    private readonly db: ShippingDb,
    private readonly table: RateTableRepository,
  ) {}

  rateTable(_ctx: RequestContext): Promise<RateTable> {
    return this.table.load();
  }

  async upsertZone(_ctx: RequestContext, args: { input: unknown }): Promise<RateTable> {
    const input = parseInput(zoneInput, args.input, 'input');
    const data = { name: input.name, countries: [...new Set(input.countries)], postalPrefixes: [...new Set((input.postalPrefixes ?? []).map((p) => p.toUpperCase()))] };
    return this.change('input.name', async (tx) => {
      if (!input.id) return void (await tx.shippingZone.create({ data }));
      const updated = await tx.shippingZone.updateMany({ where: { id: input.id }, data });
      if (updated.count === 0) throw notFound('No shipping zone with this id.');
    });
  }

  async deleteZone(_ctx: RequestContext, args: { id: unknown }): Promise<RateTable> {
    const id = parseInput(idInput, args.id, 'id');
    return this.change('id', async (tx) => {
      const deleted = await tx.shippingZone.deleteMany({ where: { id } });
      if (deleted.count === 0) throw notFound('No shipping zone with this id.');
    });
  }

  async upsertMethod(_ctx: RequestContext, args: { input: unknown }): Promise<RateTable> {
    const input = parseInput(methodInput, args.input, 'input');
    const data = { code: input.code, name: input.name, currency: input.currency, active: input.active ?? true };
    return this.change('input.code', async (tx) => {
      if (!input.id) return void (await tx.shippingMethod.create({ data }));
      const method = await tx.shippingMethod.findUnique({ where: { id: input.id }, include: { _count: { select: { rates: true } } } });
      if (!method) throw notFound('No shipping method with this id.');
      if (method.currency !== input.currency && method._count.rates > 0) throw badUserInput('input.currency', 'input.currency: clear the method\'s rates before changing its currency');
      await tx.shippingMethod.update({ where: { id: input.id }, data });
    });
  }

  /** Replaces one method's weight bands to one zone (and its free threshold); no bands removes the method from the zone. */
  async setRates(_ctx: RequestContext, args: unknown): Promise<RateTable> {
    const input = parseInput(ratesInput, args, 'input');
    return this.change('input', async (tx) => {
      const [method, zone] = await Promise.all([tx.shippingMethod.findUnique({ where: { id: input.methodId } }), tx.shippingZone.findUnique({ where: { id: input.zoneId } })]);
      if (!method) throw notFound('No shipping method with this id.');
      if (!zone) throw notFound('No shipping zone with this id.');
      const priceIn = (value: { amount: string; currency: string }, field: string) => {
        if (value.currency !== method.currency) throw badUserInput(`${field}.currency`, `${field}.currency: the method charges in ${method.currency}`);
        const price = parseMoney(value.amount, value.currency, `${field}.amount`);
        if (price.amountMinor < 0n) throw badUserInput(`${field}.amount`, `${field}.amount: must not be negative`);
        return price.amountMinor;
      };
      const bands = input.bands.map((band, index) => ({
        methodId: method.id,
        zoneId: zone.id,
        minWeightGrams: index === 0 ? 0 : (input.bands[index - 1]?.maxWeightGrams as number),
        maxWeightGrams: band.maxWeightGrams ?? null,
        priceMinor: priceIn(band.price, `input.bands.${index}.price`),
      }));
      const freeFrom = input.freeFrom ? priceIn(input.freeFrom, 'input.freeFrom') : null;
      const key = { methodId: method.id, zoneId: zone.id };
      await tx.shippingRate.deleteMany({ where: key });
      await tx.freeShippingThreshold.deleteMany({ where: key });
      if (bands.length > 0) await tx.shippingRate.createMany({ data: bands });
      if (freeFrom !== null) await tx.freeShippingThreshold.create({ data: { ...key, minSubtotalMinor: freeFrom } });
    });
  }

  /** Publishes the current table again (a new revision), e.g. for a consumer that started late. */
  republish(_ctx: RequestContext): Promise<RateTable> {
    return this.change('', async () => undefined);
  }

  private async change(uniqueField: string, apply: (tx: ShippingTx) => Promise<void>): Promise<RateTable> {
    try {
      return await this.db.$transaction(async (tx) => {
        const revision = await this.table.nextRevision(tx);
        await apply(tx);
        const table = await this.table.load(tx, revision);
        await appendToOutbox(tx, SHIPPING_SOURCE, [shippingRatesPublished(table)]);
        return table;
      }, TX_OPTIONS);
    } catch (error) {
      if (isUniqueViolation(error)) throw badUserInput(uniqueField, `${uniqueField}: is already used by another entry`);
      throw error;
    }
  }
}
