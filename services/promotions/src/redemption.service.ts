import { appendToOutbox, percentOf, recordInInbox, subtract, type DomainEvent, type Logger, type Money } from '@shop/platform';
import { evaluateCoupon, normaliseCode } from './discount-rules';
import { couponRejected, discountApplied, PROMOTIONS_SOURCE } from './events/promotion.events';
import { TX_OPTIONS, type PromotionsDb, type PromotionsTx } from './promotions.db';
import { RedemptionRepository, type TakenBack } from './redemption.repository';

/** What every saga step receives first: the event being handled, under its consumer's inbox name. */
export interface EventContext {
  readonly eventId: string;
  readonly consumer: string;
  readonly correlationId: string | null;
  readonly log: Logger;
}

/** What promotions needs of an OrderPlaced event. */
export interface PlacedOrder {
  readonly orderId: string;
  readonly customerId: string | null;
  readonly subtotal: Money;
  readonly couponCode: string | null;
}

/** Settings of the saga steps. */
export interface RedemptionSettings {
  /** How long a slot holds before the order's payment deadline is known. */
  readonly ttlSeconds: number;
  /** Added to the payment deadline before an unpaid slot is released. */
  readonly graceSeconds: number;
}

const SWEEP_BATCH = 100;
const byCoupon = (a: TakenBack, b: TakenBack) => (a.couponId < b.couponId ? -1 : a.couponId > b.couponId ? 1 : 0);

/**
 * The promotions' steps of the checkout saga (PROMO-2): reserve a redemption slot on OrderPlaced,
 * hold it until the payment deadline (OrderAwaitingPayment), commit on OrderPaid, give it back on
 * OrderCancelled, OrderRejected or expiry. Each step is one transaction with its inbox row and its
 * outbox events, so a redelivered event changes nothing.
 */
export class RedemptionService {
  constructor(
    private readonly db: PromotionsDb,
    private readonly settings: RedemptionSettings,
  ) {}

  /** Reserves one slot of the order's coupon and answers DiscountApplied, or CouponRejected with the reason. */
  placeOrder(ctx: EventContext, order: PlacedOrder): Promise<void> {
    if (!order.couponCode) return Promise.resolve();
    const code = normaliseCode(order.couponCode);
    return this.once(ctx, async (tx) => {
      if (await tx.redemption.findUnique({ where: { orderId: order.orderId }, select: { id: true } })) return [];
      const coupon = await tx.coupon.findUnique({ where: { code }, include: { affiliate: true } });
      const reject = (reason: Parameters<typeof couponRejected>[2]) => {
        ctx.log.info({ orderId: order.orderId, reason }, 'coupon rejected');
        return [couponRejected(order.orderId, code, reason, ctx.eventId)];
      };
      if (!coupon) return reject('UNKNOWN');
      const outcome = evaluateCoupon(coupon, order.subtotal, new Date());
      if (!outcome.ok) return reject(outcome.reason);
      if (coupon.perCustomerLimit !== null && !order.customerId) return reject('GUEST');
      await tx.$executeRaw`SAVEPOINT take_slots`;
      if (!(await RedemptionRepository.takeSlot(tx, coupon.id))) return reject('USAGE_LIMIT');
      if (coupon.perCustomerLimit !== null && order.customerId && !(await RedemptionRepository.takeCustomerSlot(tx, coupon.id, order.customerId, coupon.perCustomerLimit))) {
        await tx.$executeRaw`ROLLBACK TO SAVEPOINT take_slots`;
        return reject('CUSTOMER_LIMIT');
      }
      const expiresAt = new Date(Date.now() + this.settings.ttlSeconds * 1000);
      await tx.redemption.create({
        data: {
          orderId: order.orderId,
          couponId: coupon.id,
          customerId: order.customerId,
          status: 'RESERVED',
          discountMinor: outcome.amount.amountMinor,
          currency: order.subtotal.currency,
          subtotalMinor: order.subtotal.amountMinor,
          expiresAt,
        },
      });
      if (coupon.affiliate) {
        const base = subtract(order.subtotal, outcome.amount);
        await tx.affiliateAttribution.create({
          data: {
            affiliateId: coupon.affiliate.id,
            orderId: order.orderId,
            code,
            status: 'PENDING',
            baseMinor: base.amountMinor,
            commissionMinor: percentOf(base, coupon.affiliate.commissionRateBp).amountMinor,
            currency: base.currency,
          },
        });
      }
      const applied = { couponId: coupon.id, code, kind: coupon.kind, amount: outcome.amount, freeShipping: outcome.freeShipping, expiresAt };
      return [discountApplied(order.orderId, applied, ctx.eventId)];
    });
  }

  /** The order awaits payment until `paymentDueAt`: the slot holds that long, plus the grace period. */
  holdUntil(ctx: EventContext, orderId: string, paymentDueAt: Date): Promise<void> {
    return this.once(ctx, async (tx) => {
      const expiresAt = new Date(paymentDueAt.getTime() + this.settings.graceSeconds * 1000);
      await tx.redemption.updateMany({ where: { orderId, status: 'RESERVED' }, data: { expiresAt } });
      return [];
    });
  }

  /** A paid order's redemption is final; its affiliate commission is earned. */
  commitOrder(ctx: EventContext, orderId: string): Promise<void> {
    return this.once(ctx, async (tx) => {
      const committed = await tx.redemption.updateMany({ where: { orderId, status: 'RESERVED' }, data: { status: 'COMMITTED' } });
      if (committed.count === 0 && !(await this.commitAgain(tx, ctx, orderId))) return [];
      await tx.affiliateAttribution.updateMany({ where: { orderId, status: { in: ['PENDING', 'VOID'] } }, data: { status: 'EARNED' } });
      return [];
    });
  }

  /**
   * A payment for an order whose slot expired meanwhile takes a slot again if the limits still
   * allow it (guarded, like the first time); otherwise the redemption stays expired and it is logged.
   */
  private async commitAgain(tx: PromotionsTx, ctx: EventContext, orderId: string): Promise<boolean> {
    const redemption = await tx.redemption.findUnique({ where: { orderId }, include: { coupon: true } });
    if (redemption?.status !== 'EXPIRED') return false;
    await tx.$executeRaw`SAVEPOINT commit_again`;
    const { coupon, customerId } = redemption;
    const taken =
      (await RedemptionRepository.takeSlot(tx, coupon.id)) &&
      (coupon.perCustomerLimit === null || !customerId || (await RedemptionRepository.takeCustomerSlot(tx, coupon.id, customerId, coupon.perCustomerLimit)));
    if (!taken) {
      await tx.$executeRaw`ROLLBACK TO SAVEPOINT commit_again`;
      ctx.log.error({ orderId, couponId: coupon.id }, 'order paid after its coupon redemption expired and the coupon has no slot left');
      return false;
    }
    await tx.redemption.update({ where: { id: redemption.id }, data: { status: 'COMMITTED' } });
    return true;
  }

  /** A cancelled or rejected order gives its slot back (also after payment: a cancelled paid order frees it). */
  releaseOrder(ctx: EventContext, orderId: string): Promise<void> {
    return this.once(ctx, async (tx) => {
      const redemption = await tx.redemption.findUnique({ where: { orderId } });
      if (!redemption) return [];
      const released = await tx.redemption.updateMany({ where: { id: redemption.id, status: { in: ['RESERVED', 'COMMITTED'] } }, data: { status: 'RELEASED' } });
      if (released.count === 1) await this.giveBack(tx, [{ id: redemption.id, orderId, couponId: redemption.couponId, customerId: redemption.customerId }]);
      return [];
    });
  }

  /** Releases one batch of reserved redemptions past their expiry; returns how many. */
  async sweepExpired(log: Logger): Promise<number> {
    return this.db.$transaction(async (tx) => {
      const expired = await RedemptionRepository.claimExpired(tx, SWEEP_BATCH);
      if (expired.length === 0) return 0;
      await this.giveBack(tx, expired);
      log.info({ orders: expired.map((r) => r.orderId) }, 'expired coupon redemptions released');
      return expired.length;
    }, TX_OPTIONS);
  }

  /** The slots of `redemptions` go back to their coupons (in coupon order, so replicas never deadlock); commissions are void. */
  private async giveBack(tx: PromotionsTx, redemptions: readonly TakenBack[]): Promise<void> {
    for (const redemption of [...redemptions].sort(byCoupon)) await RedemptionRepository.giveBack(tx, redemption);
    await tx.affiliateAttribution.updateMany({ where: { orderId: { in: redemptions.map((r) => r.orderId) } }, data: { status: 'VOID' } });
  }

  /** Runs `step` once per event: inbox row, effect and outbox events in one transaction. */
  private async once(ctx: EventContext, step: (tx: PromotionsTx) => Promise<DomainEvent[]>): Promise<void> {
    await this.db.$transaction(async (tx) => {
      if (!(await recordInInbox(tx, ctx.eventId, ctx.consumer))) return;
      await appendToOutbox(tx, PROMOTIONS_SOURCE, await step(tx));
    }, TX_OPTIONS);
  }
}
