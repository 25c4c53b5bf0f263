import { BusinessError } from '../errors/business-error';
/**
 * ISO-4217 currencies and their minor-unit exponents.
 *
 * Amounts are stored as integer minor units, so every parse, format and
 * rounding step needs to know how many decimal places a currency has. The
 * table follows the ISO-4217 list (not market practice: ISO says IRR, HUF,
 * IDR… have 2 decimals, so they do here too). Codes must be exactly three
 * upper-case ASCII letters; `usd` is malformed, not an alias.
 */

const ZERO_DECIMALS = [
  'BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG',
  'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF',
] as const;

const THREE_DECIMALS = ['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'] as const;

const FOUR_DECIMALS = ['CLF', 'UYW'] as const;

const TWO_DECIMALS = [
  'AED', 'AFN', 'ALL', 'AMD', 'AOA', 'ARS', 'AUD', 'AWG', 'AZN', 'BAM',
  'BBD', 'BDT', 'BGN', 'BMD', 'BND', 'BOB', 'BRL', 'BSD', 'BTN', 'BWP',
  'BYN', 'BZD', 'CAD', 'CDF', 'CHF', 'CNY', 'COP', 'CRC', 'CUP', 'CVE',
  'CZK', 'DKK', 'DOP', 'DZD', 'EGP', 'ERN', 'ETB', 'EUR', 'FJD', 'FKP',
  'GBP', 'GEL', 'GHS', 'GIP', 'GMD', 'GTQ', 'GYD', 'HKD', 'HNL', 'HTG',
  'HUF', 'IDR', 'ILS', 'INR', 'IRR', 'JMD', 'KES', 'KGS', 'KHR', 'KPW',
  'KYD', 'KZT', 'LAK', 'LBP', 'LKR', 'LRD', 'LSL', 'MAD', 'MDL', 'MGA',
  'MKD', 'MMK', 'MNT', 'MOP', 'MRU', 'MUR', 'MVR', 'MWK', 'MXN', 'MYR',
  'MZN', 'NAD', 'NGN', 'NIO', 'NOK', 'NPR', 'NZD', 'PAB', 'PEN', 'PGK',
  'PHP', 'PKR', 'PLN', 'QAR', 'RON', 'RSD', 'RUB', 'SAR', 'SBD', 'SCR',
  'SDG', 'SEK', 'SGD', 'SHP', 'SLE', 'SOS', 'SRD', 'SSP', 'STN', 'SVC',
  'SYP', 'SZL', 'THB', 'TJS', 'TMT', 'TOP', 'TRY', 'TTD', 'TWD', 'TZS',
  'UAH', 'USD', 'UYU', 'UZS', 'VES', 'WST', 'XCD', 'YER', 'ZAR', 'ZMW',
] as const;

const EXPONENTS: ReadonlyMap<string, number> = new Map([
  ...ZERO_DECIMALS.map((code) => [code, 0] as const),
  ...TWO_DECIMALS.map((code) => [code, 2] as const),
  ...THREE_DECIMALS.map((code) => [code, 3] as const),
  ...FOUR_DECIMALS.map((code) => [code, 4] as const),
]);

const CODE_SHAPE = /^[A-Z]{3}$/;

/**
 * Every supported currency code, sorted. Lets callers (and property tests)
 * enumerate the table instead of duplicating it.
 */
export const SUPPORTED_CURRENCIES: readonly string[] = Object.freeze([...EXPONENTS.keys()].sort());

/**
 * Thrown when a currency code is malformed or not in the table. It is a
 * client error (`BAD_USER_INPUT`), so the API layer can report it against
 * the offending input `field` instead of as an internal failure.
 */
export class UnknownCurrencyError extends BusinessError {
  override readonly name = 'UnknownCurrencyError';

  /**
   * @param currency - the rejected code, as received
   * @param field - the input field it came from, when known
   */
  constructor(
    readonly currency: string,
    readonly field?: string,
  ) {
    super(
      'BAD_USER_INPUT',
      CODE_SHAPE.test(currency)
        ? `Unsupported currency "${currency}"`
        : `Malformed currency code "${currency}": expected three upper-case ISO-4217 letters`,
      false,
      field === undefined ? {} : { field },
    );
  }
}

/**
 * Whether `code` is a supported ISO-4217 code. Use it to validate without
 * catching; it never throws.
 */
export function isSupportedCurrency(code: string): boolean {
  return EXPONENTS.has(code);
}

/**
 * Number of minor-unit decimals of `code` (2 for EUR, 0 for JPY, 3 for KWD).
 *
 * @param field - input field name to attach to the error, if any
 * @throws {@link UnknownCurrencyError} for malformed or unsupported codes
 */
export function currencyExponent(code: string, field?: string): number {
  const exponent = EXPONENTS.get(code);
  if (exponent === undefined) throw new UnknownCurrencyError(code, field);
  return exponent;
}
