import { percentOf, type Money } from '@shop/platform';
import type { TaxRates } from './tax-rates';

/** The class every variant has until catalog carries tax classes. */
export const STANDARD_TAX_CLASS = 'standard';

/**
 * The rate in basis points for a shipping country and tax class (PROMO-4). A class the country does
 * not list falls back to its standard rate; a country not listed is taxed at 0.
 */
export function taxRateFor(rates: TaxRates, country: string, taxClass: string): number {
  const byClass = rates[country.toUpperCase()];
  if (!byClass) return 0;
  return byClass[taxClass] ?? byClass[STANDARD_TAX_CLASS] ?? 0;
}

/**
 * Tax on a tax-exclusive net amount: `rate` basis points of it, rounded once, half-up on minor
 * units, by the platform's single rounding rule.
 */
export function taxOn(net: Money, rateBasisPoints: number): Money {
  return percentOf(net, rateBasisPoints);
}
