/**
 * Tax rates in basis points per ISO country and tax class (1900 = 19 %). Prices are tax-exclusive;
 * a country not listed is taxed at 0, and a class a country does not list falls back to `standard`.
 */
export type TaxRates = Readonly<Record<string, Readonly<Record<string, number>>>>;

/** EU VAT rates (2024) for the markets we ship to; TAX_RATES replaces the whole table. */
export const DEFAULT_TAX_RATES: TaxRates = {
  AT: { standard: 2000, reduced: 1000 },
  BE: { standard: 2100, reduced: 600 },
  DE: { standard: 1900, reduced: 700 },
  DK: { standard: 2500 },
  ES: { standard: 2100, reduced: 1000 },
  FI: { standard: 2550, reduced: 1400 },
  FR: { standard: 2000, reduced: 550 },
  IE: { standard: 2300, reduced: 1350 },
  IT: { standard: 2200, reduced: 1000 },
  LU: { standard: 1700, reduced: 800 },
  NL: { standard: 2100, reduced: 900 },
  PL: { standard: 2300, reduced: 800 },
  PT: { standard: 2300, reduced: 600 },
  SE: { standard: 2500, reduced: 1200 },
};
