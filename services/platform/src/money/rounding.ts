/**
 * THE rounding rule of the platform, and the rate helpers built on it.
 *
 * Rule: round half away from zero, on minor units. "Half-up" here means a
 * remainder of exactly one half moves AWAY FROM ZERO, symmetrically for
 * both signs: 2.5 → 3, -2.5 → -3, 2.4 → 2, -2.6 → -3. It is what shoppers
 * and tax tables expect, and symmetry means negating an amount (a refund,
 * a stored discount) negates its rounded value too. Every fractional money
 * computation (tax, percentage discounts, rates) must go through
 * {@link roundHalfUp} so there is exactly one rule.
 */
import { money, toExactInteger, type Money } from './money';

/** Basis points in a whole: 10 000 bp = 100 %. */
const BASIS_POINTS_PER_WHOLE = 10_000n;

/** |value| for bigint. */
function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}

/**
 * numerator / denominator rounded to an integer, half away from zero
 * (see module doc: -5/2 → -3). Exact for any bigint inputs.
 *
 * @throws RangeError when `denominator` is zero
 */
export function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('roundHalfUp: denominator must not be zero');
  const n = abs(numerator);
  const d = abs(denominator);
  const quotient = n / d;
  const magnitude = 2n * (n % d) >= d ? quotient + 1n : quotient;
  return numerator < 0n !== denominator < 0n ? -magnitude : magnitude;
}

/**
 * m × numerator / denominator, rounded once with {@link roundHalfUp}.
 * Express decimal rates as exact fractions (7.7 % = 77n / 1000n).
 *
 * @throws RangeError when `denominator` is zero
 */
export function applyRate(m: Money, numerator: bigint, denominator: bigint): Money {
  return money(roundHalfUp(m.amountMinor * numerator, denominator), m.currency);
}

/**
 * `basisPoints`/10 000 of m, rounded half away from zero: 19 % VAT is
 * `percentOf(net, 1900)`, 12.5 % off is `percentOf(price, 1250)`.
 *
 * @throws RangeError if `basisPoints` is a non-integer number
 */
export function percentOf(m: Money, basisPoints: bigint | number): Money {
  return applyRate(m, toExactInteger(basisPoints, 'basisPoints'), BASIS_POINTS_PER_WHOLE);
}
