import { CommonErrors } from '../errors/common-errors';

/**
 * One limit: at most `limit` hits per subject in any `windowSeconds` long span (a sliding window,
 * so there is no double burst at window edges). `name` keeps rules apart in the store, so two
 * rules must never share a name.
 */
export interface RateLimitRule {
  readonly name: string;
  readonly limit: number;
  readonly windowSeconds: number;
}

/** What a store answers for one key. */
export interface RateLimitDecision {
  /** Whether this key had room for the hit. */
  readonly allowed: boolean;
  /** Hits this key still allows in the current window after this call. */
  readonly remaining: number;
  /** When refused, whole seconds until a retry can succeed (at least 1); 0 when allowed. */
  readonly retryAfterSeconds: number;
}

/** One key to count a hit against, with the (already scaled) limit that applies to it. */
export interface RateLimitHit {
  readonly key: string;
  readonly limit: number;
  readonly windowSeconds: number;
}

/**
 * Where hits are counted: a sliding-window log per key. A refused hit is never recorded, so a
 * client that keeps hammering gets through again as soon as its oldest hit leaves the window.
 */
export interface RateLimitStore {
  /** Counts one hit against `key` if it is under `limit` in the last `windowSeconds`. */
  hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitDecision>;
  /**
   * All or nothing: records the hit against every key when every key has room, against none
   * otherwise, atomically. One decision per hit, in order.
   */
  hitAll(hits: readonly RateLimitHit[]): Promise<RateLimitDecision[]>;
  /** Forgets every hit of `key` (a successful login clears its failure count). */
  reset(key: string): Promise<void>;
  /** Whether the store answers, for /readyz. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** A rule applied to one subject (a phone number, a client id, a customer id). */
export interface RateLimitCheck {
  readonly rule: RateLimitRule;
  readonly subject: string;
}

/**
 * The wait a refusal reports: whole seconds until the hit blocking the window leaves it, at least
 * 1, so a client that waits exactly that long is not refused again. Shared by every store.
 */
export function retryAfterSecondsOf(waitMilliseconds: number): number {
  return Math.max(1, Math.ceil(waitMilliseconds / 1000));
}

/** A hit's window in whole milliseconds, the unit both stores count in. */
export function windowMillisecondsOf(hit: Pick<RateLimitHit, 'windowSeconds'>): number {
  return Math.ceil(hit.windowSeconds * 1000);
}

/**
 * Enforces rate limits (SEC-2, SEC-7, PROMO-3) and answers an exceeded one with RATE_LIMITED and
 * `retryAfter` (CONTRACT). `scale` is RATE_LIMIT_SCALE: it multiplies every limit at once (load
 * tests raise it, a lockdown lowers it) and never brings a limit below 1.
 */
export class RateLimiter {
  constructor(
    private readonly store: RateLimitStore,
    private readonly scale = 1,
  ) {
    if (!Number.isFinite(scale) || scale <= 0) throw new Error(`rate limit scale must be a positive number, got ${scale}`);
  }

  /** The limit actually enforced for `rule`: max(1, floor(limit × scale)). */
  effectiveLimit(rule: RateLimitRule): number {
    return Math.max(1, Math.floor(rule.limit * this.scale));
  }

  /** Counts one hit of `subject` against `rule`; throws RATE_LIMITED when the limit is reached. */
  async consume(rule: RateLimitRule, subject: string): Promise<void> {
    await this.consumeAll([{ rule, subject }]);
  }

  /**
   * Counts one request against several limits at once (per phone and per client, say). The hit is
   * recorded against all of them or, when any is exhausted, against none: a refused request never
   * spends the budget of the limits it did not exceed. The error's `retryAfter` is the longest wait
   * among the exceeded limits, since retrying earlier would be refused again.
   */
  async consumeAll(checks: readonly RateLimitCheck[]): Promise<void> {
    if (checks.length === 0) return;
    const decisions = await this.store.hitAll(this.hitsOf(checks));
    const waits = decisions.filter((decision) => !decision.allowed).map((decision) => decision.retryAfterSeconds);
    if (waits.length > 0) throw rateLimited(Math.max(...waits));
  }

  /**
   * Forgets the hits of `subject` under `rule`. A lockout after N failures is `consume` before
   * each attempt and `reset` after a success, so only consecutive failures count.
   */
  async reset(rule: RateLimitRule, subject: string): Promise<void> {
    await this.store.reset(keyOf(rule, subject));
  }

  private hitsOf(checks: readonly RateLimitCheck[]): RateLimitHit[] {
    const hits = checks.map(({ rule, subject }) => {
      validate(rule);
      return { key: keyOf(rule, subject), limit: this.effectiveLimit(rule), windowSeconds: rule.windowSeconds };
    });
    if (new Set(hits.map((hit) => hit.key)).size !== hits.length) throw new Error('consumeAll: the same rule and subject appear twice');
    return hits;
  }
}

function keyOf(rule: RateLimitRule, subject: string): string {
  return `${rule.name}:${subject}`;
}

function validate(rule: RateLimitRule): void {
  if (!Number.isInteger(rule.limit) || rule.limit < 1) throw new Error(`rate limit ${rule.name}: limit must be a positive integer`);
  if (!(rule.windowSeconds > 0) || !Number.isFinite(rule.windowSeconds)) throw new Error(`rate limit ${rule.name}: windowSeconds must be positive`);
}

function rateLimited(retryAfter: number) {
  return CommonErrors.create('RATE_LIMITED', { retryAfter, message: `Too many requests; try again in ${retryAfter} s.` });
}
