import { BusinessError } from '../errors/business-error';
/**
 * Money as integer minor units plus an ISO-4217 currency.
 *
 * Amounts never pass through JavaScript floating point: they are `bigint`
 * minor units (cents, yen, fils), parsed from and formatted to decimal
 * strings digit by digit. Arithmetic across currencies is a bug, so it
 * throws instead of guessing an exchange rate.
 */
import { currencyExponent } from './currency';

/** An exact amount: `amountMinor` minor units of `currency` (EUR 19.90 is `1990n`). */
export type Money = { readonly amountMinor: bigint; readonly currency: string };

/** Largest accepted input magnitude, in major units: 10^15. */
const MAX_MAJOR_UNITS = 10n ** 15n;

/** Optional sign, integer digits, optional dot followed by at least one digit. */
const DECIMAL_SHAPE = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Longer inputs cannot be in range whatever the currency; rejected before any BigInt work. */
const MAX_INPUT_LENGTH = 48;

/**
 * Thrown when a client-supplied amount cannot be represented exactly.
 * A `BAD_USER_INPUT` error naming the input `field`.
 */
export class InvalidMoneyError extends BusinessError {
  override readonly name = 'InvalidMoneyError';

  /**
   * @param message - what is wrong with the amount
   * @param field - the input field it came from, when known
   */
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super('BAD_USER_INPUT', message, false, field === undefined ? {} : { field });
  }
}

/**
 * Thrown when an operation combines two currencies. This is a programming
 * or data-integrity error (callers must check currencies first), so it
 * carries no client error code.
 */
export class CurrencyMismatchError extends Error {
  override readonly name = 'CurrencyMismatchError';

  /**
   * @param left - currency of the first operand
   * @param right - currency of the second operand
   */
  constructor(
    readonly left: string,
    readonly right: string,
  ) {
    super(`Currency mismatch: ${left} vs ${right}`);
  }
}

/**
 * Builds a Money value, checking the currency is supported.
 *
 * @throws {@link UnknownCurrencyError} for an unsupported currency
 */
export function money(amountMinor: bigint, currency: string): Money {
  currencyExponent(currency);
  return Object.freeze({ amountMinor, currency });
}

/**
 * Converts an integer-valued `bigint | number` (a quantity, a rate) to
 * `bigint`. Numbers must be safe integers: a fractional or imprecise number
 * would silently corrupt exact arithmetic.
 *
 * @internal shared by the money module, not re-exported
 * @throws RangeError for non-integer or unsafe numbers
 */
export function toExactInteger(value: bigint | number, what: string): bigint {
  if (typeof value === 'bigint') return value;
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be a safe integer, got ${value}`);
  return BigInt(value);
}

/** 10^exponent as bigint: minor units per major unit. */
function minorPerMajor(exponent: number): bigint {
  return 10n ** BigInt(exponent);
}

/**
 * Parses a client decimal string ("19.90", "-3", "0.5") into Money, exactly.
 *
 * Strict on purpose: no exponent, no thousands separators, no leading '+',
 * no surrounding whitespace, no bare "." forms (".5", "5."), and never more
 * fraction digits than the currency has (EUR "1.999" and JPY "1.5" are
 * rejected, not rounded). Leading zeros are tolerated. Magnitude is capped
 * at 10^15 major units.
 *
 * @param field - input field name, carried by the error for the client
 * @throws {@link InvalidMoneyError} for a malformed or out-of-range amount
 * @throws {@link UnknownCurrencyError} for an unsupported currency
 */
export function parseMoney(amount: string, currency: string, field?: string): Money {
  const exponent = currencyExponent(currency, field);
  if (amount.length > MAX_INPUT_LENGTH) throw new InvalidMoneyError('Amount is too long', field);
  const match = DECIMAL_SHAPE.exec(amount);
  if (match === null) throw new InvalidMoneyError(`Malformed amount "${amount}"`, field);
  const [, sign = '', whole = '', fraction = ''] = match;
  if (fraction.length > exponent) {
    throw new InvalidMoneyError(`${currency} allows at most ${exponent} decimal places, got "${amount}"`, field);
  }
  const magnitude = BigInt(whole + fraction.padEnd(exponent, '0'));
  if (magnitude > MAX_MAJOR_UNITS * minorPerMajor(exponent)) {
    throw new InvalidMoneyError(`Amount "${amount}" exceeds ${MAX_MAJOR_UNITS} major units`, field);
  }
  return money(sign === '-' ? -magnitude : magnitude, currency);
}

/**
 * Formats as a plain decimal string with exactly the currency's number of
 * fraction digits ("19.90", "1000" for JPY, "1.500" for KWD, "-0.05").
 * The output is accepted by {@link parseMoney}.
 */
export function formatAmount(m: Money): string {
  const exponent = currencyExponent(m.currency);
  const sign = m.amountMinor < 0n ? '-' : '';
  const digits = (m.amountMinor < 0n ? -m.amountMinor : m.amountMinor).toString();
  if (exponent === 0) return sign + digits;
  const padded = digits.padStart(exponent + 1, '0');
  return `${sign}${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}

/** Throws unless both values share a currency. */
function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new CurrencyMismatchError(a.currency, b.currency);
}

/**
 * a + b.
 *
 * @throws {@link CurrencyMismatchError}
 */
export function add(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.amountMinor + b.amountMinor, a.currency);
}

/**
 * a − b.
 *
 * @throws {@link CurrencyMismatchError}
 */
export function subtract(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.amountMinor - b.amountMinor, a.currency);
}

/**
 * m × an integer quantity (line total = unit price × quantity). Exact; use
 * {@link applyRate} for fractional factors.
 *
 * @throws RangeError if `quantity` is a non-integer number
 */
export function multiply(m: Money, quantity: bigint | number): Money {
  return money(m.amountMinor * toExactInteger(quantity, 'quantity'), m.currency);
}

/** Whether the amount is exactly zero. */
export function isZero(m: Money): boolean {
  return m.amountMinor === 0n;
}

/** Whether the amount is below zero (e.g. a stored discount). */
export function isNegative(m: Money): boolean {
  return m.amountMinor < 0n;
}

/**
 * Orders two amounts of the same currency: -1, 0 or 1, usable as a sort
 * comparator.
 *
 * @throws {@link CurrencyMismatchError}
 */
export function compare(a: Money, b: Money): -1 | 0 | 1 {
  assertSameCurrency(a, b);
  if (a.amountMinor === b.amountMinor) return 0;
  return a.amountMinor < b.amountMinor ? -1 : 1;
}

/**
 * Value equality. Unlike {@link compare} it never throws: amounts in
 * different currencies are simply not equal.
 */
export function equals(a: Money, b: Money): boolean {
  return a.currency === b.currency && a.amountMinor === b.amountMinor;
}

/**
 * Total of `list` in `currency`; an empty list is zero, which is why the
 * currency is explicit.
 *
 * @throws {@link CurrencyMismatchError} if an element has another currency
 */
export function sum(list: readonly Money[], currency: string): Money {
  return list.reduce(add, money(0n, currency));
}
