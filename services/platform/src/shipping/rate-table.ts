import { compare, money, type Money } from '../money';

/** A destination zone: whole countries, or only the postal codes starting with one of `postalPrefixes`. */
export interface ShippingZone {
  readonly id: string;
  readonly name: string;
  /** ISO 3166-1 alpha-2 codes, upper case. */
  readonly countries: readonly string[];
  /** Empty: the whole of each country. Otherwise a region of it, by postal-code prefix (more specific than a whole-country zone). */
  readonly postalPrefixes: readonly string[];
}

/** A way to ship (standard, express), priced in one currency. */
export interface ShippingMethodEntry {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly currency: string;
  readonly active: boolean;
}

/** The price of a method to a zone for parcels from `minWeightGrams` up to (excluding) `maxWeightGrams`; null: no upper bound. */
export interface WeightBandRate {
  readonly methodId: string;
  readonly zoneId: string;
  readonly minWeightGrams: number;
  readonly maxWeightGrams: number | null;
  /** Minor units of the method's currency, as a decimal string (JSON-safe). */
  readonly priceMinor: string;
}

/** A method ships free to a zone from this subtotal (minor units of the method's currency) on. */
export interface FreeShippingThreshold {
  readonly methodId: string;
  readonly zoneId: string;
  readonly minSubtotalMinor: string;
}

/** The whole rate configuration, as shipping publishes it (ShippingRatesPublished) and orders keeps it. */
export interface RateTable {
  /** Grows with every change, so a consumer keeps only the newest table. */
  readonly revision: number;
  readonly zones: readonly ShippingZone[];
  readonly methods: readonly ShippingMethodEntry[];
  readonly rates: readonly WeightBandRate[];
  readonly freeThresholds: readonly FreeShippingThreshold[];
}

/** Where a parcel goes. */
export interface Destination {
  readonly country: string;
  readonly postalCode?: string | null;
}

/** What a parcel is: its total weight and the goods' subtotal (for free-shipping thresholds). */
export interface Parcel {
  readonly weightGrams: number;
  readonly subtotal: Money;
}

/** One method's price for one parcel and destination. */
export interface MethodPrice {
  readonly methodId: string;
  readonly name: string;
  readonly price: Money;
}

/**
 * The zone a destination falls in: a zone naming the country and a matching postal prefix wins
 * over a zone naming the whole country; none when no zone ships there.
 */
export function zoneFor(table: RateTable, destination: Destination): ShippingZone | undefined {
  const country = destination.country.trim().toUpperCase();
  const postal = (destination.postalCode ?? '').replace(/\s+/g, '').toUpperCase();
  const inCountry = table.zones.filter((zone) => zone.countries.includes(country));
  const regional = inCountry.find((zone) => zone.postalPrefixes.some((prefix) => postal.startsWith(prefix.toUpperCase())));
  return regional ?? inCountry.find((zone) => zone.postalPrefixes.length === 0);
}

/**
 * Every active method that ships this parcel to this destination in the subtotal's currency, with
 * its price (the weight band's rate, or zero from the free threshold on), cheapest first (SHIP-1).
 */
export function priceMethods(table: RateTable, destination: Destination, parcel: Parcel): MethodPrice[] {
  const zone = zoneFor(table, destination);
  if (!zone) return [];
  const prices: MethodPrice[] = [];
  for (const method of table.methods) {
    if (!method.active || method.currency !== parcel.subtotal.currency) continue;
    const band = table.rates.find(
      (rate) =>
        rate.methodId === method.id &&
        rate.zoneId === zone.id &&
        parcel.weightGrams >= rate.minWeightGrams &&
        (rate.maxWeightGrams === null || parcel.weightGrams < rate.maxWeightGrams),
    );
    if (!band) continue;
    const threshold = table.freeThresholds.find((free) => free.methodId === method.id && free.zoneId === zone.id);
    const free = threshold !== undefined && parcel.subtotal.amountMinor >= BigInt(threshold.minSubtotalMinor);
    prices.push({ methodId: method.id, name: method.name, price: money(free ? 0n : BigInt(band.priceMinor), method.currency) });
  }
  return prices.sort((a, b) => compare(a.price, b.price) || a.name.localeCompare(b.name));
}

/** The cheapest method for the parcel and destination, or undefined when none ships there. */
export function cheapestMethod(table: RateTable, destination: Destination, parcel: Parcel): MethodPrice | undefined {
  return priceMethods(table, destination, parcel)[0];
}
