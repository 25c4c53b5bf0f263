import fc from 'fast-check';
import { SUPPORTED_CURRENCIES, UnknownCurrencyError, currencyExponent, isSupportedCurrency } from './currency';

describe('currency', () => {
  it.each([
    ...['USD', 'EUR', 'GBP', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'CAD', 'AUD', 'NZD'].map((c) => [c, 2] as const),
    ...['INR', 'CNY', 'BRL', 'MXN', 'TRY', 'AED', 'SAR', 'ZAR', 'SGD', 'HKD', 'IRR'].map((c) => [c, 2] as const),
    ...['JPY', 'KRW', 'VND', 'CLP', 'ISK'].map((c) => [c, 0] as const),
    ...['KWD', 'BHD', 'OMR', 'JOD', 'TND', 'LYD', 'IQD'].map((c) => [c, 3] as const),
    ['CLF', 4] as const,
  ])('PROMO-4: %s has ISO-4217 exponent %i', (code, exponent) => {
    expect(isSupportedCurrency(code)).toBe(true);
    expect(currencyExponent(code)).toBe(exponent);
  });

  it.each(['XYZ', 'usd', 'Usd', 'US', 'USDD', '', ' USD', 'US1', 'XAU'])(
    'PROMO-4: rejects unknown or malformed code %j with a BAD_USER_INPUT error',
    (code) => {
      expect(isSupportedCurrency(code)).toBe(false);
      expect(() => currencyExponent(code)).toThrow(UnknownCurrencyError);
    },
  );

  it('PROMO-4: the error names the code, the field and the client error code', () => {
    const error = captureError(() => currencyExponent('ABC', 'input.currency'));
    expect(error).toBeInstanceOf(UnknownCurrencyError);
    expect(error).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.currency',
      currency: 'ABC',
      name: 'UnknownCurrencyError',
    });
    expect(captureError(() => currencyExponent('abc')).message).toMatch(/Malformed/);
  });

  it('PROMO-4: the supported list is sorted, unique, well-formed and agrees with the lookups', () => {
    expect([...SUPPORTED_CURRENCIES].sort()).toEqual(SUPPORTED_CURRENCIES);
    expect(new Set(SUPPORTED_CURRENCIES).size).toBe(SUPPORTED_CURRENCIES.length);
    for (const code of SUPPORTED_CURRENCIES) {
      expect(code).toMatch(/^[A-Z]{3}$/);
      expect([0, 2, 3, 4]).toContain(currencyExponent(code));
    }
  });

  it('PROMO-4: property: isSupportedCurrency agrees with currencyExponent on arbitrary strings', () => {
    const codes = fc.oneof(
      fc.string({ maxLength: 4 }),
      fc.stringMatching(/^[A-Z]{3}$/),
      fc.constantFrom(...SUPPORTED_CURRENCIES),
    );
    fc.assert(
      fc.property(codes, (code) => {
        const throws = throwsUnknownCurrency(() => currencyExponent(code));
        return isSupportedCurrency(code) === !throws;
      }),
    );
  });
});

/** Runs `fn`, returning the Error it throws (failing the test if it does not). */
function captureError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('expected an Error to be thrown');
}

/** Whether `fn` throws an UnknownCurrencyError. */
function throwsUnknownCurrency(fn: () => unknown): boolean {
  try {
    fn();
    return false;
  } catch (error) {
    return error instanceof UnknownCurrencyError;
  }
}
