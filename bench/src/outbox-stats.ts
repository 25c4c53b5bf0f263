import type { BenchPool } from './embedded-database';
import type { CommittedWrite } from './price-writes';

/** What the catalog's outbox says about the bench's writes. */
export interface OutboxStats {
  /** Outbox rows of the bench's writes (should equal the writes committed). */
  readonly rows: number;
  /** Of those, rows the relay marked published. */
  readonly published: number;
  /** Cross-check: every published `VariantPriceChanged` row in the outbox, whoever wrote it. */
  readonly publishedAllPriceEvents: number;
  /** Exact percentiles (percentile_cont) of `published_at - occurred_at` over the published rows, ms. */
  readonly lagP50Ms: number | null;
  readonly lagP99Ms: number | null;
  readonly lagMaxMs: number | null;
}

/** The outbox rows whose payload is one of the writes (variant id and new price). */
const OURS = `
  WITH writes AS (SELECT * FROM unnest($1::text[], $2::numeric[]) AS w(variant_id, amount))
  SELECT o.occurred_at, o.published_at FROM outbox o
  JOIN writes w ON o.payload->>'variantId' = w.variant_id AND (o.payload->'price'->>'amount')::numeric = w.amount
  WHERE o.type = 'VariantPriceChanged'`;

const STATS = `
  WITH ours AS (${OURS})
  SELECT count(*)::int AS rows,
         count(published_at)::int AS published,
         (SELECT count(*)::int FROM outbox WHERE type = 'VariantPriceChanged' AND published_at IS NOT NULL) AS all_published,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM published_at - occurred_at) * 1000)::float8 AS p50,
         percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM published_at - occurred_at) * 1000)::float8 AS p99,
         (max(extract(epoch FROM published_at - occurred_at)) * 1000)::float8 AS max
  FROM ours`;

interface StatsRow {
  rows: number;
  published: number;
  all_published: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
}

/** Reads the outbox of the catalog database (percentile_cont ignores rows not yet published). */
export async function outboxStats(catalog: BenchPool, writes: readonly CommittedWrite[]): Promise<OutboxStats> {
  const result = await catalog.query<StatsRow>(STATS, [writes.map((write) => write.variantId), writes.map((write) => write.amount)]);
  const row = result.rows[0];
  if (!row) throw new Error('outbox statistics query returned no row');
  return {
    rows: row.rows,
    published: row.published,
    publishedAllPriceEvents: row.all_published,
    lagP50Ms: row.p50,
    lagP99Ms: row.p99,
    lagMaxMs: row.max,
  };
}
