import type { PromotionsTx } from './promotions.db';

/** A redemption the sweeper or a release took back: which counters to give the slot back to. */
export interface TakenBack {
  readonly id: string;
  readonly orderId: string;
  readonly couponId: string;
  readonly customerId: string | null;
}

/**
 * The guarded counter updates behind PROMO-2. Each is a single conditional statement: the row lock
 * makes concurrent orders queue and re-check the condition, so no read-then-write can over-redeem.
 */
export const RedemptionRepository = {
  /** Takes one global slot of a live coupon; false when it has none left. */
  async takeSlot(tx: PromotionsTx, couponId: string): Promise<boolean> {
    const taken = await tx.$executeRaw`
      UPDATE coupon SET usage_count = usage_count + 1, updated_at = now()
      WHERE id = ${couponId}::uuid AND deleted_at IS NULL AND (usage_limit IS NULL OR usage_count < usage_limit)`;
    return taken === 1;
  },

  /** Takes one of the customer's slots on a coupon; false when they have used up `limit`. */
  async takeCustomerSlot(tx: PromotionsTx, couponId: string, customerId: string, limit: number): Promise<boolean> {
    const taken = await tx.$executeRaw`
      INSERT INTO customer_coupon_usage (coupon_id, customer_id, count) VALUES (${couponId}::uuid, ${customerId}, 1)
      ON CONFLICT (coupon_id, customer_id) DO UPDATE SET count = customer_coupon_usage.count + 1
      WHERE customer_coupon_usage.count < ${limit}`;
    return taken === 1;
  },

  /** Gives a redemption's slots back (global and the customer's). */
  async giveBack(tx: PromotionsTx, redemption: Pick<TakenBack, 'couponId' | 'customerId'>): Promise<void> {
    await tx.$executeRaw`UPDATE coupon SET usage_count = usage_count - 1, updated_at = now() WHERE id = ${redemption.couponId}::uuid AND usage_count > 0`;
    if (redemption.customerId) {
      await tx.$executeRaw`
        UPDATE customer_coupon_usage SET count = count - 1
        WHERE coupon_id = ${redemption.couponId}::uuid AND customer_id = ${redemption.customerId} AND count > 0`;
    }
  },

  /** Marks up to `limit` reserved redemptions past their expiry EXPIRED; SKIP LOCKED lets replicas sweep at once. */
  claimExpired(tx: PromotionsTx, limit: number): Promise<TakenBack[]> {
    return tx.$queryRaw<TakenBack[]>`
      UPDATE redemption SET status = 'EXPIRED', updated_at = now()
      WHERE id IN (
        SELECT id FROM redemption WHERE status = 'RESERVED' AND expires_at < now()
        ORDER BY expires_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING id, order_id AS "orderId", coupon_id AS "couponId", customer_id AS "customerId"`;
  },
};
