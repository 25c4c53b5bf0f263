import { formatAmount, money, type RateTable, type SubgraphResolvers } from '@shop/platform';
import type { ShippingContext } from '../shipping.context';

type Args = Record<string, unknown>;
type TableEntry = RateTable['rates'][number] | RateTable['freeThresholds'][number];

const currencyOf = (table: RateTable, methodId: string) => table.methods.find((method) => method.id === methodId)?.currency ?? 'EUR';

/** Every shipping resolver: thin, each one hands over to a service. */
export const resolvers = {
  Query: {
    shippingRateTable: (_: unknown, _args: Args, ctx: ShippingContext) => ctx.rates.rateTable(ctx),
    shipment: (_: unknown, args: { orderId: string }, ctx: ShippingContext) => ctx.shipments.shipment(ctx, args.orderId),
  },
  Mutation: {
    upsertShippingZone: (_: unknown, args: { input: unknown }, ctx: ShippingContext) => ctx.rates.upsertZone(ctx, args),
    deleteShippingZone: (_: unknown, args: { id: unknown }, ctx: ShippingContext) => ctx.rates.deleteZone(ctx, args),
    upsertShippingMethod: (_: unknown, args: { input: unknown }, ctx: ShippingContext) => ctx.rates.upsertMethod(ctx, args),
    setShippingRates: (_: unknown, args: Args, ctx: ShippingContext) => ctx.rates.setRates(ctx, args),
    republishShippingRates: (_: unknown, _args: Args, ctx: ShippingContext) => ctx.rates.republish(ctx),
    advanceShipment: (_: unknown, args: { orderId: string }, ctx: ShippingContext) => ctx.shipments.advance(ctx, args.orderId),
  },
  ShippingRateTable: {
    rates: (table: RateTable) => table.rates.map((rate) => ({ ...rate, table })),
    freeThresholds: (table: RateTable) => table.freeThresholds.map((free) => ({ ...free, table })),
  },
  ShippingRate: {
    price: (rate: TableEntry & { priceMinor: string; table: RateTable }) => money(BigInt(rate.priceMinor), currencyOf(rate.table, rate.methodId)),
  },
  FreeShippingThreshold: {
    minSubtotal: (free: TableEntry & { minSubtotalMinor: string; table: RateTable }) => money(BigInt(free.minSubtotalMinor), currencyOf(free.table, free.methodId)),
  },
  Money: {
    amount: (m: Parameters<typeof formatAmount>[0]) => formatAmount(m),
  },
} as unknown as SubgraphResolvers<ShippingContext>;
