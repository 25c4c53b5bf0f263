import fc from 'fast-check';
import { SUPPORTED_CURRENCIES, UnknownCurrencyError, currencyExponent } from './currency';
import {
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

/** Largest parseable magnitude of `currency`, in minor units: 10^15 major units. */
function maxMinor(currency: string): bigint {
  return 10n ** (15n + BigInt(currencyExponent(currency)));
}

/** A supported currency with an amount inside the parseable range. */
const parseableMoney: fc.Arbitrary<Money> = fc
  .constantFrom(...SUPPORTED_CURRENCIES)
  .chain((currency) =>
    fc.bigInt({ min: -maxMinor(currency), max: maxMinor(currency) }).map((amount) => money(amount, currency)),
  );

const currencies = fc.constantFrom(...SUPPORTED_CURRENCIES);

const eurAmounts = fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n });

describe('parseMoney', () => {
  it.each([
    ['19.90', 'EUR', 1990n],
    ['-3', 'EUR', -300n],
    ['0.5', 'EUR', 50n],
    ['1000', 'EUR', 100_000n],
    ['-0.05', 'USD', -5n],
    ['-0', 'USD', 0n],
    ['007.10', 'USD', 710n],
    ['1000', 'JPY', 1000n],
    ['1.5', 'KWD', 1500n],
    ['0.001', 'BHD', 1n],
    ['1000000000000000', 'EUR', 10n ** 17n],
    ['-1000000000000000.00', 'EUR', -(10n ** 17n)],
  ])('PROMO-4: parses %j %s exactly as %i minor units', (amount, currency, minor) => {
    expect(parseMoney(amount, currency)).toEqual(money(minor, currency));
  });

  it.each([
    ['1e3', 'exponent'],
    ['1E3', 'exponent'],
    ['1,000', 'thousands separator'],
    ['1 000', 'thousands separator'],
    ['1_000', 'numeric separator'],
    ['1,5', 'decimal comma'],
    ['+1', 'leading plus'],
    [' 1', 'leading space'],
    ['1 ', 'trailing space'],
    ['.5', 'missing integer part'],
    ['5.', 'missing fraction digits'],
    ['', 'empty'],
    ['-', 'sign only'],
    ['--1', 'double sign'],
    ['0x10', 'hex'],
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
    ['١٢', 'non-ASCII digits'],
    ['1.999', 'three decimals in EUR'],
    ['0.001', 'three decimals in EUR'],
    ['1000000000000000.01', 'above 10^15 major units'],
    ['-1000000000000001', 'below -10^15 major units'],
    ['0'.repeat(60), 'absurdly long'],
  ])('PROMO-4: rejects %j in EUR (%s) instead of guessing or rounding', (amount) => {
    expect(() => parseMoney(amount, 'EUR')).toThrow(InvalidMoneyError);
  });

  it('PROMO-4: rejects fraction digits the currency does not have (JPY "1.5", JPY "1.0", KWD "1.0005")', () => {
    expect(() => parseMoney('1.5', 'JPY')).toThrow(InvalidMoneyError);
    expect(() => parseMoney('1.0', 'JPY')).toThrow(InvalidMoneyError);
    expect(() => parseMoney('1.0005', 'KWD')).toThrow(InvalidMoneyError);
  });

  it('PROMO-4: errors carry the client error code and the input field', () => {
    expect(() => parseMoney('1.999', 'EUR', 'input.price')).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'input.price', name: 'InvalidMoneyError' }),
    );
    expect(() => parseMoney('1', 'EURO', 'input.currency')).toThrow(UnknownCurrencyError);
    expect(() => parseMoney('1', 'EURO', 'input.currency')).toThrow(expect.objectContaining({ field: 'input.currency' }));
  });

  it('PROMO-4: property: parse ∘ format is the identity for every supported currency', () => {
    fc.assert(fc.property(parseableMoney, (m) => equals(parseMoney(formatAmount(m), m.currency), m)));
  });

  it('PROMO-4: property: canonical decimal strings survive format ∘ parse unchanged', () => {
    const canonical = parseableMoney.map((m) => ({ text: formatAmount(m), currency: m.currency }));
    fc.assert(fc.property(canonical, ({ text, currency }) => formatAmount(parseMoney(text, currency)) === text));
  });

  it('PROMO-4: property: more fraction digits than the exponent is always an error, never rounded', () => {
    const tooPrecise = fc.record({
      currency: currencies,
      whole: fc.bigInt({ min: 0n, max: 10n ** 12n }),
      extra: fc.integer({ min: 1, max: 9 }),
    });
    fc.assert(
      fc.property(tooPrecise, ({ currency, whole, extra }) => {
        const fraction = '0'.repeat(currencyExponent(currency)) + String(extra);
        return throwsInvalidMoney(() => parseMoney(`${whole}.${fraction}`, currency));
      }),
    );
  });
});

describe('formatAmount', () => {
  it.each([
    [1990n, 'EUR', '19.90'],
    [100_000n, 'EUR', '1000.00'],
    [1000n, 'JPY', '1000'],
    [-1000n, 'JPY', '-1000'],
    [1500n, 'KWD', '1.500'],
    [-5n, 'EUR', '-0.05'],
    [0n, 'EUR', '0.00'],
    [1n, 'CLF', '0.0001'],
  ])('PROMO-4: formats %i %s as %j', (minor, currency, text) => {
    expect(formatAmount(money(minor, currency))).toBe(text);
  });

  it('PROMO-4: property: always exactly `exponent` fraction digits and no other notation', () => {
    fc.assert(
      fc.property(currencies, fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), (currency, amount) => {
        const exponent = currencyExponent(currency);
        const shape = exponent === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${exponent}}$`);
        return shape.test(formatAmount(money(amount, currency)));
      }),
    );
  });
});

describe('money arithmetic', () => {
  const eur = (minor: bigint): Money => money(minor, 'EUR');

  it('PROMO-4: money is integer minor units with a supported currency', () => {
    expect(money(1990n, 'EUR')).toEqual({ amountMinor: 1990n, currency: 'EUR' });
    expect(Object.isFrozen(money(1n, 'EUR'))).toBe(true);
    expect(() => money(1n, 'eur')).toThrow(UnknownCurrencyError);
  });

  it('PROMO-4: add, subtract, multiply are exact (0.10 + 0.20 is 0.30)', () => {
    expect(add(parseMoney('0.10', 'EUR'), parseMoney('0.20', 'EUR'))).toEqual(parseMoney('0.30', 'EUR'));
    expect(subtract(eur(500n), eur(1990n))).toEqual(eur(-1490n));
    expect(multiply(eur(1990n), 3)).toEqual(eur(5970n));
    expect(multiply(eur(1990n), -2n)).toEqual(eur(-3980n));
  });

  it('PROMO-4: multiply rejects non-integer quantities', () => {
    expect(() => multiply(eur(100n), 1.5)).toThrow(RangeError);
    expect(() => multiply(eur(100n), Number.NaN)).toThrow(RangeError);
    expect(() => multiply(eur(100n), 2 ** 53)).toThrow(RangeError);
  });

  it('PROMO-4: combining currencies throws CurrencyMismatchError', () => {
    const usd = money(100n, 'USD');
    expect(() => add(eur(1n), usd)).toThrow(CurrencyMismatchError);
    expect(() => subtract(eur(1n), usd)).toThrow(CurrencyMismatchError);
    expect(() => compare(eur(1n), usd)).toThrow(CurrencyMismatchError);
    expect(() => sum([eur(1n), usd], 'EUR')).toThrow(CurrencyMismatchError);
    expect(() => add(eur(1n), usd)).toThrow(expect.objectContaining({ left: 'EUR', right: 'USD' }));
  });

  it('PROMO-4: predicates and comparison', () => {
    expect(isZero(eur(0n))).toBe(true);
    expect(isZero(eur(-1n))).toBe(false);
    expect(isNegative(eur(-1n))).toBe(true);
    expect(isNegative(eur(0n))).toBe(false);
    expect([eur(3n), eur(-1n), eur(2n)].sort(compare)).toEqual([eur(-1n), eur(2n), eur(3n)]);
    expect(compare(eur(2n), eur(2n))).toBe(0);
    expect(equals(eur(100n), money(100n, 'USD'))).toBe(false);
    expect(equals(eur(100n), eur(100n))).toBe(true);
  });

  it('PROMO-4: sum of an empty list is zero in the given currency', () => {
    expect(sum([], 'JPY')).toEqual(money(0n, 'JPY'));
    expect(sum([eur(1n), eur(2n), eur(-5n)], 'EUR')).toEqual(eur(-2n));
  });

  it('PROMO-4: property: add and subtract are inverse', () => {
    fc.assert(
      fc.property(eurAmounts, eurAmounts, (a, b) => {
        const x = eur(a);
        const y = eur(b);
        return equals(subtract(add(x, y), y), x) && equals(add(subtract(x, y), y), x);
      }),
    );
  });

  it('PROMO-4: property: sum equals repeated add and multiply equals repeated addition', () => {
    fc.assert(
      fc.property(fc.array(eurAmounts, { maxLength: 20 }), fc.integer({ min: 0, max: 20 }), (amounts, n) => {
        const list = amounts.map(eur);
        const viaAdd = list.reduce((acc, m) => add(acc, m), eur(0n));
        const first = list[0] ?? eur(7n);
        return equals(sum(list, 'EUR'), viaAdd) && equals(multiply(first, n), sum(Array(n).fill(first), 'EUR'));
      }),
    );
  });

  it('PROMO-4: property: compare is consistent with equals and antisymmetric', () => {
    fc.assert(
      fc.property(eurAmounts, eurAmounts, (a, b) => {
        const c = compare(eur(a), eur(b));
        return c === -compare(eur(b), eur(a)) && (c === 0) === equals(eur(a), eur(b));
      }),
    );
  });
});

/** Whether `fn` throws an InvalidMoneyError. */
function throwsInvalidMoney(fn: () => unknown): boolean {
  try {
    fn();
    return false;
  } catch (error) {
    return error instanceof InvalidMoneyError;
  }
}
