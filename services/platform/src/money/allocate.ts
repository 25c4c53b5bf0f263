/**
 * Proportional splitting of an amount without losing or inventing a minor
 * unit (e.g. an order discount spread over its lines).
 */
import { money, type Money } from './money';

/** Floor share and remainder of one weight, before the leftover is handed out. */
type Part = { readonly index: number; readonly floor: bigint; readonly remainder: bigint };

/** Rejects what has no meaningful proportional split. */
function assertValidWeights(weights: readonly bigint[]): void {
  if (weights.length === 0) throw new RangeError('allocate: weights must not be empty');
  if (weights.some((w) => w < 0n)) throw new RangeError('allocate: weights must be non-negative');
}

/** All-zero weights mean "no preference": split equally. */
function effectiveWeights(weights: readonly bigint[]): readonly bigint[] {
  return weights.every((w) => w === 0n) ? weights.map(() => 1n) : weights;
}

/** Sort order for handing out leftover units: larger remainder first, then lower index. */
function largestRemainderFirst(a: Part, b: Part): number {
  if (a.remainder !== b.remainder) return a.remainder > b.remainder ? -1 : 1;
  return a.index - b.index;
}

/** Splits a non-negative `total` by largest remainder; `weights` sum to more than zero. */
function splitMagnitude(total: bigint, weights: readonly bigint[]): bigint[] {
  const weightSum = weights.reduce((a, b) => a + b, 0n);
  const parts: Part[] = weights.map((w, index) => ({
    index,
    floor: (total * w) / weightSum,
    remainder: (total * w) % weightSum,
  }));
  let leftover = total - parts.reduce((acc, p) => acc + p.floor, 0n);
  const shares = parts.map((p) => p.floor);
  for (const part of [...parts].sort(largestRemainderFirst)) {
    if (leftover === 0n) break;
    shares[part.index] = part.floor + 1n;
    leftover -= 1n;
  }
  return shares;
}

/**
 * Splits `total` proportionally to `weights` with the largest-remainder
 * method: every share is the exact proportional share rounded down, then
 * the missing minor units go one each to the largest remainders, ties to
 * the lower index. Hence the shares sum exactly to `total`, each differs
 * from its exact share by less than one minor unit, zero weights get zero,
 * and the result is deterministic. A negative total (a stored discount) is
 * split by magnitude and negated, so it mirrors the positive case. All-zero
 * weights split equally under the same rule.
 *
 * @returns one share per weight, in the same order, in `total`'s currency
 * @throws RangeError for empty weights or a negative weight
 */
export function allocate(total: Money, weights: readonly bigint[]): Money[] {
  assertValidWeights(weights);
  const negative = total.amountMinor < 0n;
  const magnitude = negative ? -total.amountMinor : total.amountMinor;
  return splitMagnitude(magnitude, effectiveWeights(weights)).map((share) =>
    money(negative ? -share : share, total.currency),
  );
}
