import { MemoryLeakyBuckets, type LeakyBuckets } from '@shop/platform';

/** What a partner response reports in `extensions.cost`. */
export interface CostReport {
  /** The operation's estimated cost (`measureOperation`); 0 when it never ran. */
  readonly requested: number;
  /** What the partner may still spend right now. */
  readonly remaining: number;
  /** The budget: cost per minute. */
  readonly limit: number;
}

/** A budget decision: the report, and when refused the whole seconds to wait. */
export interface CostDecision extends CostReport {
  readonly retryAfter?: number;
}

/**
 * A leaky bucket per partner (as Shopify meters its API): each operation pours its cost in, the
 * bucket drains at `limit` per minute, and an operation that would overflow it is refused without
 * pouring. With Redis every gateway replica pours into the same bucket.
 */
export class CostBudget {
  constructor(
    readonly limit: number,
    private readonly buckets: LeakyBuckets = new MemoryLeakyBuckets(),
  ) {}

  /** Pours `cost` into `partner`'s bucket if it fits. */
  async spend(partner: string, cost: number): Promise<CostDecision> {
    const { poured, level } = await this.buckets.pour(partner, cost, this.limit);
    if (!poured) {
      // What does not fit drains in (overflow / limit) minutes; a cost over the whole budget never fits.
      const retryAfter = cost > this.limit ? 60 : Math.max(1, Math.ceil(((level + cost - this.limit) / this.limit) * 60));
      return { requested: cost, remaining: this.remainingOf(level), limit: this.limit, retryAfter };
    }
    return { requested: cost, remaining: this.remainingOf(level), limit: this.limit };
  }

  /** The budget as it stands, without spending. */
  async report(partner: string): Promise<CostReport> {
    const { level } = await this.buckets.pour(partner, 0, this.limit);
    return { requested: 0, remaining: this.remainingOf(level), limit: this.limit };
  }

  private remainingOf(level: number): number {
    return Math.max(0, Math.floor(this.limit - level));
  }
}
