/**
 * Money module of `@shop/platform`: exact integer-minor-unit amounts,
 * ISO-4217 exponents, the single rounding rule and lossless allocation.
 */
export { SUPPORTED_CURRENCIES, UnknownCurrencyError, currencyExponent, isSupportedCurrency } from './currency';
export {
  CurrencyMismatchError,
  InvalidMoneyError,
  add,
  compare,
  equals,
  formatAmount,
  isNegative,
  isZero,
  money,
  multiply,
  parseMoney,
  subtract,
  sum,
  type Money,
} from './money';
export { applyRate, percentOf, roundHalfUp } from './rounding';
export { allocate } from './allocate';
