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
 * pouring. In process: each gateway replica meters on its own.
 */
export class CostBudget {
  private readonly levels = new Map<string, { level: number; at: number }>();

  constructor(
    readonly limit: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Pours `cost` into `partner`'s bucket if it fits. */
  spend(partner: string, cost: number): CostDecision {
    const level = this.level(partner);
    if (level + cost > this.limit) {
      // What does not fit drains in (overflow / limit) minutes; a cost over the whole budget never fits.
      const retryAfter = cost > this.limit ? 60 : Math.max(1, Math.ceil(((level + cost - this.limit) / this.limit) * 60));
      return { requested: cost, remaining: this.remainingOf(level), limit: this.limit, retryAfter };
    }
    this.levels.set(partner, { level: level + cost, at: this.now() });
    return { requested: cost, remaining: this.remainingOf(level + cost), limit: this.limit };
  }

  /** The budget as it stands, without spending. */
  report(partner: string): CostReport {
    return { requested: 0, remaining: this.remainingOf(this.level(partner)), limit: this.limit };
  }

  private level(partner: string): number {
    const entry = this.levels.get(partner);
    if (!entry) return 0;
    const drained = ((this.now() - entry.at) / 60_000) * this.limit;
    return Math.max(0, entry.level - drained);
  }

  private remainingOf(level: number): number {
    return Math.max(0, Math.floor(this.limit - level));
  }
}
