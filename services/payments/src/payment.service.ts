import { appendToOutbox, badUserInput, hasRole, notFound, type Logger, type RequestContext } from '@shop/platform';
import { z } from 'zod';
import { orderNotPayableYet, PaymentsErrors } from './errors';
import { paymentFailed, paymentSucceeded, PAYMENTS_SOURCE } from './events/payment.events';
import type { Payment, Prisma } from './generated/prisma/client';
import type { PaymentMethod } from './generated/prisma/enums';
import { toPaymentView, type PaymentView } from './payment.model';
import { isUniqueViolation, TX_OPTIONS, type PaymentsDb, type PaymentsTx } from './payments.db';
import { WebhookRejected, type ProviderEvent, type ProviderPayment } from './providers/payment-provider';
import type { ProviderRegistry } from './providers';
import type { RefundService } from './refund.service';
import { WalletLedger } from './wallet.ledger';

const idempotencyKey = z.string().trim().min(8).max(100);
const uuid = z.uuid();

/** The answer to a webhook: 200 accepted (or a harmless repeat), 400 refused and nothing changed. */
export interface WebhookAnswer {
  readonly status: 200 | 400;
  readonly outcome: 'applied' | 'duplicate' | 'ignored' | 'rejected';
  readonly reason?: string;
}

/**
 * Payment attempts (PAY-1, PAY-3, PAY-4): starting one for exactly the order's server-side total,
 * and settling it from a verified provider event, once.
 */
export class PaymentService {
  constructor(
    private readonly db: PaymentsDb,
    private readonly providers: ProviderRegistry,
    private readonly refunds: RefundService,
    private readonly publicUrl: string,
    private readonly log: Logger,
  ) {}

  /**
   * Starts (or, for the same key, returns) an attempt to pay `orderId`. An order whose saga has not
   * finished is a retryable INVALID_TRANSITION; a paid, cancelled or overdue one a final
   * INVALID_TRANSITION. Payments cannot tell a missing order from one it has not heard of yet, so
   * another customer's order answers exactly as both do (SEC-3): a NOT_FOUND here would tell a
   * stranger that the order exists.
   */
  async payOrder(ctx: RequestContext, orderId: string, key: string, method: PaymentMethod): Promise<PaymentView> {
    const customerId = ctx.identity.userId;
    if (!customerId) throw notFound('No order with this id.');
    if (!idempotencyKey.safeParse(key).success) throw badUserInput('idempotencyKey', 'idempotencyKey: 8 to 100 characters');
    const existing = await this.db.payment.findUnique({ where: { orderId_idempotencyKey: { orderId, idempotencyKey: key } } });
    if (existing) {
      if (existing.customerId !== customerId) throw orderNotPayableYet(orderId);
      if (existing.method !== method) throw PaymentsErrors.create('IDEMPOTENCY_KEY_REUSED');
      return toPaymentView(existing, this.redirectOf(existing));
    }
    const order = await this.db.payableOrder.findUnique({ where: { orderId } });
    if (!order || order.customerId !== customerId) throw orderNotPayableYet(orderId);
    if (order.status !== 'AWAITING_PAYMENT') throw PaymentsErrors.create('INVALID_TRANSITION', { from: order.status, to: 'PAID', message: `An order in ${order.status} cannot be paid.` });
    if (order.paymentDueAt.getTime() <= Date.now()) throw PaymentsErrors.create('INVALID_TRANSITION', { from: 'AWAITING_PAYMENT', to: 'PAID', message: 'The payment deadline of this order has passed.' });

    if (method === 'WALLET') return this.payFromWallet(customerId, order.orderId, order.totalMinor, order.currency, key);
    const provider = this.providers.forMethod(method);
    if (!provider) throw badUserInput('method', `method: ${method} is not offered`);
    const payment = await this.createOnce(
      { orderId, customerId, method, provider: provider.name, status: 'PENDING', amountMinor: order.totalMinor, currency: order.currency, idempotencyKey: key },
    );
    const started = await this.providers.call(provider, (signal) => provider.start(providerPayment(payment), signal));
    const updated = await this.db.payment.update({ where: { id: payment.id }, data: { providerRef: started.providerRef } });
    return toPaymentView(updated, started.redirectUrl);
  }

  /** One of the caller's payments, or staff's view of any; another customer's is NOT_FOUND. */
  async payment(ctx: RequestContext, id: string): Promise<PaymentView> {
    const payment = uuid.safeParse(id).success ? await this.db.payment.findUnique({ where: { id } }) : null;
    if (!payment || (!hasRole(ctx.identity, 'STAFF') && payment.customerId !== ctx.identity.userId)) throw notFound('No payment with this id.');
    return toPaymentView(payment, this.redirectOf(payment));
  }

  /**
   * Staff confirm that the money of a cash-on-delivery or bank-transfer attempt arrived (PAY-1): it
   * is captured like a webhook capture (only while the order is payable; otherwise refunded at once).
   * Confirming twice changes nothing.
   */
  async confirmOfflinePayment(ctx: RequestContext, id: string): Promise<PaymentView> {
    const payment = uuid.safeParse(id).success ? await this.db.payment.findUnique({ where: { id } }) : null;
    if (!payment) throw notFound('No payment with this id.');
    if (payment.method !== 'CASH_ON_DELIVERY' && payment.method !== 'BANK_TRANSFER') throw badUserInput('paymentId', 'paymentId: only cash-on-delivery and bank-transfer payments are confirmed by staff');
    if (payment.status !== 'PENDING' && payment.status !== 'SUCCEEDED') {
      throw PaymentsErrors.create('INVALID_TRANSITION', { from: payment.status, to: 'SUCCEEDED', message: `A ${payment.status} payment cannot be confirmed.` });
    }
    await this.db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM payment WHERE id = ${payment.id}::uuid FOR UPDATE`;
      const current = await tx.payment.findUniqueOrThrow({ where: { id: payment.id } });
      if (current.status === 'PENDING') await this.capture(tx, current, `confirmed:${ctx.identity.userId ?? 'staff'}`);
    }, TX_OPTIONS);
    return toPaymentView(await this.db.payment.findUniqueOrThrow({ where: { id: payment.id } }));
  }

  /** The attempt behind the hosted sandbox page, if it is still open (the page itself checks nothing else). */
  async openSandboxPayment(id: string): Promise<Payment | null> {
    if (!uuid.safeParse(id).success) return null;
    const payment = await this.db.payment.findUnique({ where: { id } });
    return payment && payment.provider === 'sandbox' ? payment : null;
  }

  /**
   * A provider's webhook (PAY-2, PAY-3): verified, then applied once. A bad signature, a stale or
   * future timestamp, an unknown payment, or an amount or currency that is not the payment's is
   * refused (400) before anything is written; an event id seen before is acknowledged (200) and
   * changes nothing. The payment row is locked, so concurrent duplicates serialize and the
   * provider_event key lets exactly one of them through.
   */
  async handleWebhook(providerName: string, rawBody: string, headers: Readonly<Record<string, string | undefined>>, nowSeconds: number): Promise<WebhookAnswer> {
    const provider = this.providers.byName(providerName);
    if (!provider?.verifyWebhook) return { status: 400, outcome: 'rejected', reason: 'unknown provider' };
    let event: ProviderEvent | null;
    try {
      event = provider.verifyWebhook(rawBody, headers, nowSeconds);
    } catch (error) {
      if (error instanceof WebhookRejected) return { status: 400, outcome: 'rejected', reason: error.reason };
      throw error;
    }
    if (!event) return { status: 200, outcome: 'ignored' };
    const verified = event;
    return this.db.$transaction(async (tx) => {
      const [payment] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM payment WHERE id = ${verified.paymentId}::uuid AND provider = ${provider.name} FOR UPDATE`;
      if (!payment) return { status: 400, outcome: 'rejected', reason: 'unknown payment' } as const;
      const row = await tx.payment.findUniqueOrThrow({ where: { id: payment.id } });
      if (row.amountMinor !== verified.amountMinor || row.currency !== verified.currency) return { status: 400, outcome: 'rejected', reason: 'amount or currency mismatch' } as const;
      const fresh = await tx.$executeRaw`
        INSERT INTO provider_event (provider, event_id, payment_id, type, received_at) VALUES (${provider.name}, ${verified.id}, ${row.id}::uuid, ${verified.type}, now())
        ON CONFLICT DO NOTHING`;
      if (fresh !== 1) return { status: 200, outcome: 'duplicate' } as const;
      const applied = verified.type === 'payment.succeeded' ? await this.capture(tx, row, `event:${verified.id}`) : await this.fail(tx, row, 'declined by the provider');
      return { status: 200, outcome: applied ? 'applied' : 'ignored' } as const;
    }, TX_OPTIONS);
  }

  /**
   * Records a capture the provider reports (the provider is the authority on money moved, so an
   * attempt already failed or expired here is captured too). The order must still be payable:
   * AWAITING_PAYMENT and before its deadline. Otherwise the capture is refunded in full at once
   * (payments never keeps money for an order it may not charge).
   */
  async capture(tx: PaymentsTx, payment: Payment, key: string): Promise<boolean> {
    if (payment.status === 'SUCCEEDED') return false;
    const [order] = await tx.$queryRaw<{ status: string; payment_due_at: Date }[]>`SELECT status, payment_due_at FROM payable_order WHERE order_id = ${payment.orderId} FOR UPDATE`;
    const moved = await tx.payment.updateMany({ where: { id: payment.id, status: { not: 'SUCCEEDED' } }, data: { status: 'SUCCEEDED', capturedAt: new Date() } });
    if (moved.count !== 1) return false;
    const captured = await tx.payment.findUniqueOrThrow({ where: { id: payment.id } });
    const payable = order && order.status === 'AWAITING_PAYMENT' && order.payment_due_at.getTime() > Date.now();
    if (payable) {
      await tx.payableOrder.update({ where: { orderId: payment.orderId }, data: { status: 'PAID' } });
      await appendToOutbox(tx, PAYMENTS_SOURCE, [paymentSucceeded(captured)]);
    } else {
      this.log.warn({ paymentId: payment.id, orderId: payment.orderId, orderStatus: order?.status }, 'capture for an order that is no longer payable: refunding it');
      await this.refunds.refundRest(tx, captured, { reason: 'order no longer payable at capture', key: `not-payable:${key}`, actor: 'system' });
    }
    return true;
  }

  /** Marks a PENDING attempt failed; the customer may start another until the deadline. */
  async fail(tx: PaymentsTx, payment: Payment, reason: string): Promise<boolean> {
    const moved = await tx.payment.updateMany({ where: { id: payment.id, status: 'PENDING' }, data: { status: 'FAILED', failureReason: reason } });
    if (moved.count !== 1) return false;
    await appendToOutbox(tx, PAYMENTS_SOURCE, [paymentFailed(payment, reason)]);
    return true;
  }

  /** Debits the wallet and captures in one transaction (PAY-7); a concurrent call with the same key gets the same attempt. */
  private async payFromWallet(customerId: string, orderId: string, amountMinor: bigint, currency: string, key: string): Promise<PaymentView> {
    try {
      const payment = await this.db.$transaction(async (tx) => {
        const created = await tx.payment.create({ data: { orderId, customerId, method: 'WALLET', provider: 'wallet', status: 'PENDING', amountMinor, currency, idempotencyKey: key } });
        await WalletLedger.debit(tx, customerId, currency, amountMinor, `payment:${created.id}`);
        await this.capture(tx, created, `wallet:${created.id}`);
        return tx.payment.findUniqueOrThrow({ where: { id: created.id } });
      }, TX_OPTIONS);
      return toPaymentView(payment);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return toPaymentView(await this.db.payment.findUniqueOrThrow({ where: { orderId_idempotencyKey: { orderId, idempotencyKey: key } } }));
    }
  }

  /** Creates the attempt, or returns the one a concurrent call with the same key just created. */
  private async createOnce(data: Prisma.PaymentUncheckedCreateInput): Promise<Payment> {
    try {
      return await this.db.payment.create({ data });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return this.db.payment.findUniqueOrThrow({ where: { orderId_idempotencyKey: { orderId: data.orderId, idempotencyKey: data.idempotencyKey } } });
    }
  }

  private redirectOf(payment: Payment): string | null {
    return payment.provider === 'sandbox' && payment.providerRef ? `${this.publicUrl}/pay/sandbox/${payment.id}` : null;
  }
}

/** What a provider is told about an attempt. */
export function providerPayment(payment: Payment): ProviderPayment {
  return { id: payment.id, orderId: payment.orderId, amountMinor: payment.amountMinor, currency: payment.currency, idempotencyKey: `payment:${payment.id}`, providerRef: payment.providerRef };
}
