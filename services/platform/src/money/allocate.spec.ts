import fc from 'fast-check';
import { allocate } from './allocate';
import { money, sum, type Money } from './money';

const eur = (minor: bigint): Money => money(minor, 'EUR');
const amounts = (shares: readonly Money[]): bigint[] => shares.map((s) => s.amountMinor);

const totals = fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n });
const weightLists = fc.array(fc.bigInt({ min: 0n, max: 10n ** 9n }), { minLength: 1, maxLength: 30 });

describe('allocate', () => {
  it.each([
    [100n, [1n, 1n, 1n], [34n, 33n, 33n]],
    [-100n, [1n, 1n, 1n], [-34n, -33n, -33n]],
    [5n, [0n, 0n, 0n], [2n, 2n, 1n]],
    [10n, [0n, 0n], [5n, 5n]],
    [3n, [1n, 0n, 1n], [2n, 0n, 1n]],
    [100n, [1n, 2n, 7n], [10n, 20n, 70n]],
    [1n, [1n, 1n, 1n, 1n], [1n, 0n, 0n, 0n]],
    [-1000n, [3333n, 3333n, 3334n], [-333n, -333n, -334n]],
    [10n, [3n, 7n, 0n], [3n, 7n, 0n]],
    [7n, [2n, 3n], [3n, 4n]],
    [0n, [5n, 1n], [0n, 0n]],
  ])('PROMO-4: splits %i over weights %j as %j', (total, weights, expected) => {
    expect(amounts(allocate(eur(total), weights))).toEqual(expected);
  });

  it('PROMO-4: a -10.00 order discount over lines of 19.90, 5.00 and 0.10 loses no cent', () => {
    const shares = allocate(eur(-1000n), [1990n, 500n, 10n]);
    expect(amounts(shares)).toEqual([-796n, -200n, -4n]);
    expect(sum(shares, 'EUR')).toEqual(eur(-1000n));
  });

  it('PROMO-4: keeps the currency of the total', () => {
    expect(allocate(money(5n, 'JPY'), [1n, 1n])).toEqual([money(3n, 'JPY'), money(2n, 'JPY')]);
  });

  it('PROMO-4: rejects empty weights and negative weights', () => {
    expect(() => allocate(eur(100n), [])).toThrow(RangeError);
    expect(() => allocate(eur(100n), [1n, -1n])).toThrow(RangeError);
  });

  it('PROMO-4: property: shares sum exactly to the total', () => {
    fc.assert(
      fc.property(totals, weightLists, (total, weights) => sum(allocate(eur(total), weights), 'EUR').amountMinor === total),
    );
  });

  it('PROMO-4: property: each share is within one minor unit of its exact proportional share', () => {
    fc.assert(
      fc.property(totals, weightLists, (total, rawWeights) => {
        const weights = rawWeights.every((w) => w === 0n) ? rawWeights.map(() => 1n) : rawWeights;
        const weightSum = weights.reduce((a, b) => a + b, 0n);
        return allocate(eur(total), rawWeights).every((share, i) => {
          const deviation = share.amountMinor * weightSum - total * (weights[i] ?? 0n);
          return (deviation < 0n ? -deviation : deviation) < weightSum;
        });
      }),
    );
  });

  it('PROMO-4: property: deterministic, negation-symmetric, and zero weights get nothing', () => {
    fc.assert(
      fc.property(totals, weightLists, (total, weights) => {
        const shares = amounts(allocate(eur(total), weights));
        const mirrored = amounts(allocate(eur(-total), weights));
        const hasWeight = weights.some((w) => w > 0n);
        return (
          amounts(allocate(eur(total), weights)).every((again, i) => again === shares[i]) &&
          mirrored.every((m, i) => m === -(shares[i] ?? 0n)) &&
          (!hasWeight || shares.every((s, i) => weights[i] !== 0n || s === 0n))
        );
      }),
    );
  });

  it('PROMO-4: property: ties go to the lower index (equal weights give non-increasing shares)', () => {
    fc.assert(
      fc.property(totals, fc.integer({ min: 1, max: 30 }), (total, n) => {
        const shares = amounts(allocate(eur(total < 0n ? -total : total), Array<bigint>(n).fill(1n)));
        return shares.every((s, i) => i === 0 || s <= (shares[i - 1] ?? s));
      }),
    );
  });
});
