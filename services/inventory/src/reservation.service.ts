import { appendToOutbox, recordInInbox, type DomainEvent, type Logger } from '@shop/platform';
import type { ReservationStatus } from './generated/prisma/enums';
import {
  INVENTORY_SOURCE,
  linesPerVariant,
  stockCommitted,
  stockRejected,
  stockReleased,
  stockReserved,
  type ReleaseReason,
  type ShortLine,
} from './events/stock.events';
import type { InventoryDb, InventoryTx, StockRepository } from './stock.repository';
import { retryOnConflict, TRANSACTION_OPTIONS } from './transaction';

/** What every saga step receives first: the event being handled, under its consumer's inbox name. */
export interface EventContext {
  readonly eventId: string;
  readonly consumer: string;
  readonly correlationId: string | null;
  readonly log: Logger;
}

/** An order line as OrderPlaced carries it. */
export interface OrderLine {
  readonly variantId: string;
  readonly sku: string;
  readonly quantity: number;
}

/** Settings of the saga steps. */
export interface ReservationSettings {
  readonly ttlSeconds: number;
  readonly defaultWarehouse: string;
}

const SYSTEM = 'system';
const SWEEP_BATCH = 100;

type LockedReservation = NonNullable<Awaited<ReturnType<StockRepository['lockReservation']>>>;

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The one order every transaction locks stock rows in: by variant id, then warehouse (code-unit
 * order, not the database's collation), so two transactions never wait for each other in a cycle.
 */
export function inLockOrder<Line extends { variantId: string; warehouse?: string }>(lines: readonly Line[]): Line[] {
  return [...lines].sort((a, b) => compareText(a.variantId, b.variantId) || compareText(a.warehouse ?? '', b.warehouse ?? ''));
}

/** Order lines summed per variant, in lock order. */
export function reservationPlan(lines: readonly OrderLine[]): OrderLine[] {
  const merged = new Map<string, OrderLine>();
  for (const line of lines) {
    const seen = merged.get(line.variantId);
    merged.set(line.variantId, { variantId: line.variantId, sku: seen?.sku ?? line.sku, quantity: (seen?.quantity ?? 0) + line.quantity });
  }
  return inLockOrder([...merged.values()]);
}

/**
 * The inventory's steps of the checkout saga: reserve on OrderPlaced (all lines or none, INV-2),
 * release on cancellation, rejection or expiry (INV-3), commit on payment, ship. Each step runs in
 * one transaction with its inbox row and its outbox events, so a redelivered event changes nothing.
 */
export class ReservationService {
  constructor(
    private readonly db: InventoryDb,
    private readonly stock: StockRepository,
    private readonly settings: ReservationSettings,
  ) {}

  /** Reserves every line of a placed order, or none and says which lines were short. */
  placeOrder(ctx: EventContext, orderId: string, lines: readonly OrderLine[]): Promise<void> {
    return this.once(ctx, async (tx) => {
      if (await tx.reservation.findUnique({ where: { orderId }, select: { id: true } })) return [];
      const plan = reservationPlan(lines);
      const meta = { kind: 'RESERVE' as const, actor: SYSTEM, reason: 'order placed', correlationId: ctx.correlationId, orderId };
      await tx.$executeRaw`SAVEPOINT reserve_lines`;
      const reserved: { variantId: string; warehouse: string; quantity: number }[] = [];
      const short: OrderLine[] = [];
      for (const line of plan) {
        const warehouse = await this.stock.reserveInAnyWarehouse(tx, line.variantId, line.quantity, this.settings.defaultWarehouse, meta);
        if (warehouse) reserved.push({ variantId: line.variantId, warehouse, quantity: line.quantity });
        else short.push(line);
      }
      if (short.length > 0) {
        await tx.$executeRaw`ROLLBACK TO SAVEPOINT reserve_lines`;
        const available = await this.stock.availableByVariant(tx, short.map((line) => line.variantId));
        const shortLines: ShortLine[] = short.map((line) => ({
          variantId: line.variantId,
          sku: line.sku,
          requested: line.quantity,
          available: Math.max(0, available.get(line.variantId) ?? 0),
        }));
        ctx.log.info({ orderId, shortLines }, 'stock rejected');
        return [stockRejected(orderId, shortLines, ctx.eventId)];
      }
      const expiresAt = new Date(Date.now() + this.settings.ttlSeconds * 1000);
      await tx.reservation.create({ data: { orderId, status: 'RESERVED', expiresAt, lines: { create: reserved } } });
      const low = await this.stock.lowStockCrossings(tx, reserved);
      return [stockReserved(orderId, expiresAt, linesPerVariant(reserved), ctx.eventId), ...low];
    });
  }

  /**
   * Gives a cancelled or rejected order's stock back: a reservation is released, a paid but unshipped
   * order's committed stock returns to sale. Shipped stock never comes back on its own (INV-4).
   */
  releaseOrder(ctx: EventContext, orderId: string, reason: Exclude<ReleaseReason, 'EXPIRED'>): Promise<void> {
    return this.once(ctx, async (tx) => {
      const reservation = await this.stock.lockReservation(tx, orderId);
      if (!reservation) return [];
      if (reservation.status === 'SHIPPED') {
        ctx.log.info({ orderId }, 'order shipped before it was cancelled: stock stays out, returns are explicit (INV-4)');
        return [];
      }
      if (reservation.status === 'RESERVED') return this.release(tx, reservation, 'RELEASED', 'RELEASE', reason, ctx);
      if (reservation.status === 'COMMITTED') return this.release(tx, reservation, 'RELEASED', 'UNCOMMIT', reason, ctx);
      return [];
    });
  }

  /** A paid order's reservation becomes a sale; one that expired meanwhile takes the stock again if it can. */
  commitOrder(ctx: EventContext, orderId: string): Promise<void> {
    return this.once(ctx, async (tx) => {
      const reservation = await this.stock.lockReservation(tx, orderId);
      if (!reservation) {
        ctx.log.error({ orderId }, 'order paid without a reservation');
        return [];
      }
      const meta = { kind: 'COMMIT' as const, actor: SYSTEM, reason: 'order paid', correlationId: ctx.correlationId, orderId };
      if (reservation.status === 'RESERVED') {
        for (const line of inLockOrder(reservation.lines)) {
          await this.stock.change(tx, line.variantId, line.warehouse, { reserved: -line.quantity, committed: line.quantity }, meta);
        }
        await tx.reservation.update({ where: { id: reservation.id }, data: { status: 'COMMITTED' } });
        return [stockCommitted(orderId, linesPerVariant(reservation.lines), ctx.eventId)];
      }
      if (reservation.status === 'EXPIRED') return this.commitAgain(tx, reservation, ctx, meta);
      return [];
    });
  }

  /** Shipped stock leaves the warehouse: on hand and committed both drop. */
  shipOrder(ctx: EventContext, orderId: string): Promise<void> {
    return this.once(ctx, async (tx) => {
      const reservation = await this.stock.lockReservation(tx, orderId);
      if (reservation?.status !== 'COMMITTED') {
        if (reservation) ctx.log.warn({ orderId, status: reservation.status }, 'order shipped without committed stock');
        return [];
      }
      const meta = { kind: 'SHIP' as const, actor: SYSTEM, reason: 'order shipped', correlationId: ctx.correlationId, orderId };
      for (const line of inLockOrder(reservation.lines)) await this.stock.change(tx, line.variantId, line.warehouse, { onHand: -line.quantity, committed: -line.quantity }, meta);
      await tx.reservation.update({ where: { id: reservation.id }, data: { status: 'SHIPPED' } });
      return [];
    });
  }

  /**
   * Releases one batch of expired reservations (INV-3). `SKIP LOCKED` lets several replicas sweep
   * at once without ever releasing the same reservation twice. Returns how many it released.
   */
  async sweepExpired(log: Logger): Promise<number> {
    return retryOnConflict(() =>
      this.db.$transaction(async (tx) => {
        const expired = await this.stock.claimExpired(tx, SWEEP_BATCH);
        if (expired.length === 0) return 0;
        const lines = inLockOrder(expired.flatMap((reservation) => reservation.lines.map((line) => ({ ...line, orderId: reservation.orderId }))));
        for (const line of lines) {
          const meta = { kind: 'EXPIRE' as const, actor: SYSTEM, reason: 'reservation expired', correlationId: null, orderId: line.orderId };
          await this.stock.change(tx, line.variantId, line.warehouse, { reserved: -line.quantity }, meta);
        }
        await tx.reservation.updateMany({ where: { id: { in: expired.map((reservation) => reservation.id) } }, data: { status: 'EXPIRED' } });
        const released = expired.map((reservation) => stockReleased(reservation.orderId, 'EXPIRED', linesPerVariant(reservation.lines)));
        await appendToOutbox(tx, INVENTORY_SOURCE, [...released, ...(await this.stock.lowStockCrossings(tx, lines))]);
        log.info({ orders: expired.map((reservation) => reservation.orderId) }, 'expired reservations released');
        return expired.length;
      }, TRANSACTION_OPTIONS),
    );
  }

  private async release(
    tx: InventoryTx,
    reservation: LockedReservation,
    status: ReservationStatus,
    kind: 'RELEASE' | 'UNCOMMIT',
    reason: Exclude<ReleaseReason, 'EXPIRED'>,
    ctx: EventContext,
  ): Promise<DomainEvent[]> {
    const meta = { kind, actor: SYSTEM, reason: reason === 'ORDER_CANCELLED' ? 'order cancelled' : 'order rejected', correlationId: ctx.correlationId, orderId: reservation.orderId };
    for (const line of inLockOrder(reservation.lines)) {
      const deltas = kind === 'RELEASE' ? { reserved: -line.quantity } : { committed: -line.quantity };
      await this.stock.change(tx, line.variantId, line.warehouse, deltas, meta);
    }
    await tx.reservation.update({ where: { id: reservation.id }, data: { status } });
    const low = await this.stock.lowStockCrossings(tx, reservation.lines);
    return [stockReleased(reservation.orderId, reason, linesPerVariant(reservation.lines), ctx.eventId), ...low];
  }

  /** A payment for an expired reservation: take the stock again, all lines or none; never oversell. */
  private async commitAgain(tx: InventoryTx, reservation: LockedReservation, ctx: EventContext, meta: { kind: 'COMMIT'; actor: string; reason: string; correlationId: string | null; orderId: string }): Promise<DomainEvent[]> {
    await tx.$executeRaw`SAVEPOINT commit_again`;
    const taken: { variantId: string; warehouse: string; quantity: number }[] = [];
    for (const line of reservationPlan(reservation.lines.map((l) => ({ variantId: l.variantId, sku: '', quantity: l.quantity })))) {
      const warehouse = await this.stock.commitInAnyWarehouse(tx, line.variantId, line.quantity, this.settings.defaultWarehouse, { ...meta, reason: 'order paid after its reservation expired' });
      if (!warehouse) {
        await tx.$executeRaw`ROLLBACK TO SAVEPOINT commit_again`;
        ctx.log.error({ orderId: reservation.orderId, variantId: line.variantId }, 'order paid after its reservation expired and the stock is gone: it cannot be committed');
        return [];
      }
      taken.push({ variantId: line.variantId, warehouse, quantity: line.quantity });
    }
    await tx.reservationLine.deleteMany({ where: { reservationId: reservation.id } });
    await tx.reservation.update({ where: { id: reservation.id }, data: { status: 'COMMITTED', lines: { create: taken } } });
    const low = await this.stock.lowStockCrossings(tx, taken);
    return [stockCommitted(reservation.orderId, linesPerVariant(taken), ctx.eventId), ...low];
  }

  /** Runs `step` once per event: inbox row, effect and outbox events in one transaction, retried on deadlock. */
  private async once(ctx: EventContext, step: (tx: InventoryTx) => Promise<DomainEvent[]>): Promise<void> {
    await retryOnConflict(() =>
      this.db.$transaction(async (tx) => {
        if (!(await recordInInbox(tx, ctx.eventId, ctx.consumer))) return;
        await appendToOutbox(tx, INVENTORY_SOURCE, await step(tx));
      }, TRANSACTION_OPTIONS),
    );
  }
}
