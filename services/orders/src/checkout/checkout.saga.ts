import type { EventEnvelope, Logger } from '@shop/platform';
import { money } from '@shop/platform';
import { orderAwaitingPayment, orderCancelled, orderRejected } from '../events/order.events';
import type { Order } from '../generated/prisma/client';
import type { OrderRepository } from '../order.repository';
import { transitionOrder } from '../order-transition';
import type { OrdersTx } from '../orders.db';
import { couponStep } from './coupon.step';

/**
 * The checkout saga, top to bottom.
 *
 * 1. checkout places the order PENDING and emits OrderPlaced (checkout.service.ts).
 * 2. every step below answers with the event that confirms it or the one that rejects it.
 * 3. when every step is confirmed the order moves to AWAITING_PAYMENT (due when the earliest
 *    confirmation expires) and OrderAwaitingPayment carries the final total; the first rejection
 *    moves it to REJECTED with the reasons in its history and OrderRejected tells every step to
 *    compensate.
 * 4. a reservation that expires while the order awaits payment cancels it (actor `system`).
 *
 * Promotions (coupon redemption) and shipping join as further entries in CHECKOUT_STEPS, without
 * touching the rest.
 */

/** One step of the saga: which service confirms or rejects it, and how it is undone. */
export interface SagaStep {
  readonly name: string;
  /** The service whose events answer this step. */
  readonly source: string;
  readonly confirmedBy: string;
  readonly rejectedBy: string;
  /** Who undoes the step, and on which of our events. */
  readonly compensation: string;
  /** What a confirmation says: until when it holds (the payment deadline), and what to keep. */
  confirmed(payload: unknown): { readonly expiresAt: Date | null; readonly detail: object };
  /** Why a rejection rejects the order, one reason per problem. */
  rejected(payload: unknown): { readonly reasons: readonly string[]; readonly detail: object };
  /** Whether the order needs this step at all (default: every order). */
  appliesTo?(order: Order): boolean;
  /** What a confirmation changes in the PENDING order before it can await payment (once per step). */
  apply?(tx: OrdersTx, order: Order, payload: unknown): Promise<void>;
}

interface StockReservedPayload {
  readonly orderId: string;
  readonly expiresAt: string;
  readonly lines: readonly { variantId: string; quantity: number }[];
}

interface StockRejectedPayload {
  readonly orderId: string;
  readonly shortLines: readonly { variantId: string; sku: string | null; requested: number; available: number }[];
}

/** Stock: inventory reserves every line, all or nothing, until `expiresAt`. */
export const stockStep: SagaStep = {
  name: 'stock',
  source: 'inventory',
  confirmedBy: 'StockReserved',
  rejectedBy: 'StockRejected',
  compensation: 'inventory releases the reservation on OrderRejected or OrderCancelled',
  confirmed: (payload) => {
    const reserved = payload as StockReservedPayload;
    return { expiresAt: new Date(reserved.expiresAt), detail: { expiresAt: reserved.expiresAt, lines: reserved.lines } };
  },
  rejected: (payload) => {
    const { shortLines } = payload as StockRejectedPayload;
    const reasons = shortLines.map((line) => `OUT_OF_STOCK: ${line.sku ?? line.variantId} requested ${line.requested}, available ${line.available}`);
    return { reasons: reasons.length > 0 ? reasons : ['OUT_OF_STOCK'], detail: { shortLines } };
  },
};

/** Every step an order must pass before it can be paid. */
export const CHECKOUT_STEPS: readonly SagaStep[] = [stockStep, couponStep];

/** The step an event answers, and whether it confirms or rejects it. */
function answerOf(envelope: EventEnvelope): { step: SagaStep; confirms: boolean } | null {
  for (const step of CHECKOUT_STEPS) {
    if (envelope.source !== step.source) continue;
    if (envelope.type === step.confirmedBy) return { step, confirms: true };
    if (envelope.type === step.rejectedBy) return { step, confirms: false };
  }
  return null;
}

/**
 * Advances one order's saga by one event, inside the caller's transaction (which also holds the
 * event's inbox row). The order row is locked first, so events and commands on one order run one
 * at a time. Events for an order that is no longer PENDING are recorded and change nothing.
 */
export async function advanceCheckoutSaga(tx: OrdersTx, orders: OrderRepository, envelope: EventEnvelope, log: Logger): Promise<void> {
  const orderId = (envelope.payload as { orderId?: unknown }).orderId;
  if (typeof orderId !== 'string') return;
  await orders.lock(tx, orderId);
  const order = await tx.order.findUnique({ where: { id: orderId } });
  if (!order) {
    log.warn({ eventId: envelope.id, type: envelope.type, orderId }, 'saga event for an unknown order ignored');
    return;
  }
  if (envelope.type === 'StockReleased') {
    const { reason } = envelope.payload as { reason: string };
    if (reason !== 'EXPIRED' || order.status !== 'AWAITING_PAYMENT') return;
    await transitionOrder(tx, {
      orderId,
      to: 'CANCELLED',
      actor: 'system',
      reason: 'reservation expired',
      events: (before) => [orderCancelled(orderId, before.status, 'system', 'reservation expired', envelope.id)],
    });
    return;
  }
  const answer = answerOf(envelope);
  if (!answer) return;
  const { step, confirms } = answer;
  const outcome = confirms ? step.confirmed(envelope.payload) : step.rejected(envelope.payload);
  const recorded = await tx.orderSagaStep.createMany({
    data: [{ orderId, step: step.name, outcome: confirms ? 'CONFIRMED' : 'REJECTED', detail: outcome.detail, eventId: envelope.id }],
    skipDuplicates: true,
  });
  if (order.status !== 'PENDING') return;
  const steps = CHECKOUT_STEPS.filter((s) => s.appliesTo?.(order) ?? true);
  if (!confirms) {
    const reasons = (outcome as ReturnType<SagaStep['rejected']>).reasons;
    await transitionOrder(tx, { orderId, to: 'REJECTED', actor: 'system', reason: reasons.join('; '), events: () => [orderRejected(orderId, reasons, envelope.id)] });
    return;
  }
  if (recorded.count === 1) await step.apply?.(tx, order, envelope.payload);
  const outcomes = await tx.orderSagaStep.findMany({ where: { orderId } });
  const confirmed = steps.map((s) => outcomes.find((r) => r.step === s.name && r.outcome === 'CONFIRMED'));
  if (confirmed.some((r) => !r)) return;
  const dueDates = steps.map((s, i) => s.confirmed((confirmed[i]?.detail ?? {}) as unknown).expiresAt).filter((d): d is Date => d !== null);
  const paymentDueAt = new Date(Math.min(...dueDates.map((d) => d.getTime())));
  await transitionOrder(tx, {
    orderId,
    to: 'AWAITING_PAYMENT',
    actor: 'system',
    reason: `confirmed: ${steps.map((s) => s.name).join(', ')}`,
    paymentDueAt,
    events: (before) => [orderAwaitingPayment(before, money(before.totalMinor, before.currency), paymentDueAt, envelope.id)],
  });
}
