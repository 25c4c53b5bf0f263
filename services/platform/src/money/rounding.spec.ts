import fc from 'fast-check';
import { money } from './money';
import { applyRate, percentOf, roundHalfUp } from './rounding';

/** Reference definition, independent of the implementation: sign × ⌊(2|n| + |d|) / 2|d|⌋. */
function referenceHalfAwayFromZero(n: bigint, d: bigint): bigint {
  const absN = n < 0n ? -n : n;
  const absD = d < 0n ? -d : d;
  const magnitude = (2n * absN + absD) / (2n * absD);
  return (n < 0n) !== (d < 0n) ? -magnitude : magnitude;
}

const amounts = fc.bigInt({ min: -(10n ** 17n), max: 10n ** 17n });
const basisPoints = fc.bigInt({ min: 0n, max: 10_000n });
const numerators = fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n });
const denominators = fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }).filter((d) => d !== 0n);

describe('roundHalfUp', () => {
  it.each([
    [5n, 2n, 3n],
    [-5n, 2n, -3n],
    [5n, -2n, -3n],
    [-5n, -2n, 3n],
    [7n, 2n, 4n],
    [-7n, 2n, -4n],
    [1n, 3n, 0n],
    [2n, 3n, 1n],
    [-1n, 3n, 0n],
    [-2n, 3n, -1n],
    [249n, 100n, 2n],
    [-251n, 100n, -3n],
    [0n, 7n, 0n],
    [12n, 4n, 3n],
  ])('PROMO-4: %i / %i rounds half away from zero to %i', (n, d, expected) => {
    expect(roundHalfUp(n, d)).toBe(expected);
  });

  it('PROMO-4: rejects a zero denominator', () => {
    expect(() => roundHalfUp(1n, 0n)).toThrow(RangeError);
  });

  it('PROMO-4: property: matches the reference definition on random inputs', () => {
    fc.assert(fc.property(numerators, denominators, (n, d) => roundHalfUp(n, d) === referenceHalfAwayFromZero(n, d)));
  });

  it('PROMO-4: property: symmetric under negation and within half a unit of the exact quotient', () => {
    fc.assert(
      fc.property(numerators, denominators, (n, d) => {
        const q = roundHalfUp(n, d);
        const error = n - q * d;
        const absD = d < 0n ? -d : d;
        return roundHalfUp(-n, d) === -q && 2n * (error < 0n ? -error : error) <= absD;
      }),
    );
  });

  it('PROMO-4: property: exact divisions are returned unchanged', () => {
    fc.assert(fc.property(numerators, denominators, (q, d) => roundHalfUp(q * d, d) === q));
  });
});

describe('percentOf / applyRate', () => {
  it('PROMO-4: 19 % tax (1900 bp) of EUR 19.90 is EUR 3.78 (378.1 minor units rounded)', () => {
    expect(percentOf(money(1990n, 'EUR'), 1900n)).toEqual(money(378n, 'EUR'));
    expect(percentOf(money(1990n, 'EUR'), 1900)).toEqual(money(378n, 'EUR'));
  });

  it('PROMO-4: an exact half minor unit goes away from zero for both signs', () => {
    expect(percentOf(money(105n, 'EUR'), 5000n)).toEqual(money(53n, 'EUR'));
    expect(percentOf(money(-105n, 'EUR'), 5000n)).toEqual(money(-53n, 'EUR'));
    expect(percentOf(money(5n, 'JPY'), 5000)).toEqual(money(3n, 'JPY'));
  });

  it('PROMO-4: applyRate takes an exact fraction (7.7 % = 77/1000) and rounds once', () => {
    expect(applyRate(money(10_000n, 'CHF'), 77n, 1000n)).toEqual(money(770n, 'CHF'));
    expect(applyRate(money(1995n, 'CHF'), 77n, 1000n)).toEqual(money(154n, 'CHF'));
  });

  it.each([19.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60])('PROMO-4: rejects non-integer basis points %p', (bp) => {
    expect(() => percentOf(money(100n, 'EUR'), bp)).toThrow(RangeError);
  });

  it('PROMO-4: property: percentOf equals roundHalfUp(amount × bp, 10 000) and keeps the currency', () => {
    fc.assert(
      fc.property(amounts, basisPoints, (amount, bp) => {
        const result = percentOf(money(amount, 'USD'), bp);
        return result.currency === 'USD' && result.amountMinor === referenceHalfAwayFromZero(amount * bp, 10_000n);
      }),
    );
  });
});
