import { randomUUID } from 'node:crypto';
import { appendToOutbox, badUserInput, notFound, parseMoney, type Logger, type RequestContext } from '@shop/platform';
import { z } from 'zod';
import { PaymentsErrors } from './errors';
import { paymentRefunded, PAYMENTS_SOURCE } from './events/payment.events';
import type { Payment, Refund } from './generated/prisma/client';
import type { RefundDestination } from './generated/prisma/enums';
import { toRefundView, type RefundView } from './payment.model';
import { isUniqueViolation, TX_OPTIONS, type PaymentsDb, type PaymentsTx } from './payments.db';
import { providerPayment } from './payment.service';
import type { ProviderRegistry } from './providers';
import { WalletLedger } from './wallet.ledger';

const uuid = z.uuid();
const refundInput = z.object({
  reason: z.string().trim().min(1, 'reason: required').max(500, 'reason: at most 500 characters'),
  idempotencyKey: z.string().trim().min(8, 'idempotencyKey: 8 to 100 characters').max(100, 'idempotencyKey: 8 to 100 characters').optional(),
});

/** A staff refund request. */
export interface RefundRequest {
  readonly paymentId: string;
  readonly amount?: { amount: string; currency: string } | null;
  readonly reason: string;
  readonly idempotencyKey?: string | null;
  readonly destination?: RefundDestination | null;
}

/**
 * Refunds (PAY-5): full or partial, never more than captured minus refunded (a guarded UPDATE and a
 * CHECK constraint), idempotent per key, to the original method or to the customer's wallet (PAY-7).
 */
export class RefundService {
  constructor(
    private readonly db: PaymentsDb,
    private readonly providers: ProviderRegistry,
    private readonly log: Logger,
  ) {}

  /** Staff refund of `amount` (omitted: all that remains) of a captured payment. */
  async refundPayment(ctx: RequestContext, request: RefundRequest): Promise<RefundView> {
    const input = refundInput.safeParse({ reason: request.reason, idempotencyKey: request.idempotencyKey ?? undefined });
    if (!input.success) {
      const issue = input.error.issues[0];
      throw badUserInput(String(issue?.path[0] ?? 'input'), issue?.message ?? 'invalid input');
    }
    const payment = uuid.safeParse(request.paymentId).success ? await this.db.payment.findUnique({ where: { id: request.paymentId } }) : null;
    if (!payment) throw notFound('No payment with this id.');
    const key = input.data.idempotencyKey ?? `staff:${randomUUID()}`;
    const prior = await this.db.refund.findUnique({ where: { paymentId_idempotencyKey: { paymentId: payment.id, idempotencyKey: key } } });
    if (prior) return toRefundView(prior);
    if (payment.status !== 'SUCCEEDED') throw PaymentsErrors.create('INVALID_TRANSITION', { from: payment.status, to: 'REFUNDED', message: 'Only a captured payment can be refunded.' });
    const remaining = payment.amountMinor - payment.refundedMinor;
    const amountMinor = request.amount ? parseMoney(request.amount.amount, request.amount.currency, 'amount').amountMinor : remaining;
    if (request.amount && request.amount.currency !== payment.currency) throw badUserInput('amount.currency', `amount.currency: the payment is in ${payment.currency}`);
    if (amountMinor <= 0n) throw badUserInput('amount', 'amount: must be more than zero');
    if (amountMinor > remaining) throw PaymentsErrors.create('REFUND_EXCEEDS_CAPTURED', { refundableMinor: remaining.toString() });
    const destination = request.destination ?? 'ORIGINAL';
    if (destination === 'WALLET' && !payment.customerId) throw badUserInput('destination', 'destination: a guest has no wallet');
    const provider = this.providers.byName(payment.provider);
    if (destination === 'ORIGINAL' && provider) await this.providers.call(provider, (signal) => provider.refund(providerPayment(payment), amountMinor, `${payment.id}:${key}`, signal));
    try {
      const refund = await this.db.$transaction(
        (tx) => this.record(tx, payment.id, { amountMinor, reason: input.data.reason, key, actor: `staff:${ctx.identity.userId ?? 'unknown'}`, destination }),
        TX_OPTIONS,
      );
      return toRefundView(refund);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return toRefundView(await this.db.refund.findUniqueOrThrow({ where: { paymentId_idempotencyKey: { paymentId: payment.id, idempotencyKey: key } } }));
    }
  }

  /**
   * Refunds whatever remains of a capture, inside the caller's transaction: a cancelled order's
   * payment, or a capture that arrived for an order no longer payable. A wallet payment goes back
   * to the wallet; others to the original method. Once per key.
   */
  async refundRest(tx: PaymentsTx, payment: Payment, options: { reason: string; key: string; actor: string }): Promise<Refund | null> {
    const current = await tx.payment.findUniqueOrThrow({ where: { id: payment.id } });
    const remaining = current.amountMinor - current.refundedMinor;
    if (current.status !== 'SUCCEEDED' || remaining <= 0n) return null;
    const destination: RefundDestination = current.method === 'WALLET' ? 'WALLET' : 'ORIGINAL';
    const prior = await tx.refund.findUnique({ where: { paymentId_idempotencyKey: { paymentId: payment.id, idempotencyKey: options.key } } });
    if (prior) return prior;
    return this.record(tx, payment.id, { amountMinor: remaining, reason: options.reason, key: options.key, actor: options.actor, destination });
  }

  /** The refunds of a payment, oldest first. */
  refundsOf(paymentId: string): Promise<Refund[]> {
    return this.db.refund.findMany({ where: { paymentId }, orderBy: { createdAt: 'asc' } });
  }

  private async record(tx: PaymentsTx, paymentId: string, r: { amountMinor: bigint; reason: string; key: string; actor: string; destination: RefundDestination }): Promise<Refund> {
    const moved = await tx.$executeRaw`
      UPDATE payment SET refunded_minor = refunded_minor + ${r.amountMinor}, updated_at = now()
      WHERE id = ${paymentId}::uuid AND status = 'SUCCEEDED' AND refunded_minor + ${r.amountMinor} <= amount_minor`;
    if (moved !== 1) throw PaymentsErrors.create('REFUND_EXCEEDS_CAPTURED');
    const payment = await tx.payment.findUniqueOrThrow({ where: { id: paymentId } });
    const refund = await tx.refund.create({
      data: { paymentId, amountMinor: r.amountMinor, currency: payment.currency, reason: r.reason, destination: r.destination, idempotencyKey: r.key, actor: r.actor },
    });
    if (r.destination === 'WALLET' && payment.customerId) await WalletLedger.credit(tx, payment.customerId, payment.currency, r.amountMinor, `refund:${refund.id}`);
    await appendToOutbox(tx, PAYMENTS_SOURCE, [paymentRefunded(payment, refund, payment.refundedMinor)]);
    this.log.info({ paymentId, refundId: refund.id, amountMinor: r.amountMinor.toString(), destination: r.destination }, 'refund recorded');
    return refund;
  }
}
