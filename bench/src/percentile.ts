/**
 * The exact `fraction` percentile of `values` with linear interpolation between the closest ranks,
 * as PostgreSQL's percentile_cont computes it; undefined when there are no values.
 */
export function percentileCont(values: readonly number[], fraction: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const position = fraction * (sorted.length - 1);
  const lower = sorted[Math.floor(position)] ?? 0;
  const upper = sorted[Math.ceil(position)] ?? lower;
  return lower + (upper - lower) * (position - Math.floor(position));
}
