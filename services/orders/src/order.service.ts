import { z } from 'zod';
import { hasRole, money, notFound, parseInput, type RateLimiter, type RateLimitRule, type RequestContext } from '@shop/platform';
import { OrdersErrors } from './errors';
import { orderCancelled, orderPaid, orderShipped } from './events/order.events';
import { decodeOrderCursor, encodeOrderCursor } from './order-cursor';
import { assertTransition } from './order-status.machine';
import { toOrderView, type OrderRow, type OrderView } from './order.model';
import type { OrderRepository } from './order.repository';
import { transitionOrder } from './order-transition';
import { TX_OPTIONS, type OrdersDb } from './orders.db';

const orderId = z.uuid();

/** A Relay page of orders. */
export interface OrderPage {
  readonly edges: readonly { cursor: string; node: OrderView }[];
  readonly pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Who did it, as history records it. */
export function actorOf(ctx: RequestContext): string {
  if (!ctx.identity.userId) return 'guest';
  return `${hasRole(ctx.identity, 'STAFF') ? 'staff' : 'customer'}:${ctx.identity.userId}`;
}

/**
 * Reading and changing orders (ORD-2..ORD-6). An order is visible to its customer and to staff;
 * anyone else gets NOT_FOUND, exactly like an unknown id. Guests read theirs by reference and email.
 */
export class OrderService {
  constructor(
    private readonly db: OrdersDb,
    private readonly orders: OrderRepository,
    private readonly limiter: RateLimiter,
    private readonly trackRule: RateLimitRule,
    private readonly cancelWindowMinutes: number,
  ) {}

  async order(ctx: RequestContext, id: string): Promise<OrderView> {
    return toOrderView(await this.visibleOrder(ctx, id));
  }

  /** A customer's orders, newest first (ORD-8); only the customer themself or staff. */
  async ordersOfCustomer(ctx: RequestContext, customerId: string, first: unknown, after: string | null | undefined): Promise<OrderPage> {
    if (!this.mayReadCustomer(ctx, customerId)) throw notFound();
    const size = parseInput(z.number().int().min(1).max(100), first ?? 20, 'first');
    const rows = await this.orders.pageOfCustomer(customerId, size, after ? decodeOrderCursor(after) : null);
    const edges = rows.slice(0, size).map((row) => ({ cursor: encodeOrderCursor(row), node: toOrderView(row) }));
    return { edges, pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  /** Whether the caller may see `customerId`'s orders (federation references go through here too). */
  mayReadCustomer(ctx: RequestContext, customerId: string): boolean {
    return hasRole(ctx.identity, 'STAFF') || (ctx.identity.userId !== null && ctx.identity.userId === customerId);
  }

  /**
   * A guest's order by reference and email (ORD-6), rate-limited per client address. A wrong email
   * answers exactly like an unknown reference.
   */
  async trackOrder(ctx: RequestContext, reference: string, email: string): Promise<OrderView> {
    await this.limiter.consume(this.trackRule, ctx.clientAddress);
    const order = await this.orders.byReference(reference.trim().toUpperCase());
    if (!order || !order.email || order.email !== email.trim().toLowerCase()) throw notFound('No order with this reference and email.');
    return { ...toOrderView(order), heldByCaller: true };
  }

  /**
   * Cancels an order (ORD-5): its customer within the cancel window, staff at any time, both only
   * before it ships. Cancelling a cancelled order returns it unchanged (ORD-4).
   */
  async cancelOrder(ctx: RequestContext, id: string, reason: string | null | undefined): Promise<OrderView> {
    const order = await this.visibleOrder(ctx, id);
    if (order.status === 'CANCELLED') return toOrderView(order);
    assertTransition(order.status, 'CANCELLED');
    const staff = hasRole(ctx.identity, 'STAFF');
    if (!staff && Date.now() - order.createdAt.getTime() > this.cancelWindowMinutes * 60_000) throw OrdersErrors.create('CANCEL_WINDOW_CLOSED');
    const actor = actorOf(ctx);
    const why = reason?.trim() || (staff ? 'cancelled by staff' : 'cancelled by customer');
    await this.db.$transaction(async (tx) => {
      await this.orders.lock(tx, order.id);
      await transitionOrder(tx, { orderId: order.id, to: 'CANCELLED', actor, reason: why, events: (before) => [orderCancelled(order.id, before.status, actor, why)] });
    }, TX_OPTIONS);
    return this.reload(order.id);
  }

  /** AWAITING_PAYMENT → PAID, emitting OrderPaid; payments calls it when a payment succeeds (not in GraphQL). */
  async markPaid(id: string, actor: string): Promise<OrderView> {
    await this.db.$transaction(async (tx) => {
      await this.orders.lock(tx, id);
      await transitionOrder(tx, { orderId: id, to: 'PAID', actor, reason: 'payment captured', events: (before) => [orderPaid(id, money(before.totalMinor, before.currency))] });
    }, TX_OPTIONS);
    return this.reload(id);
  }

  /** PAID → SHIPPED, emitting OrderShipped; shipping calls it when the parcel leaves (not in GraphQL). */
  async markShipped(id: string, actor: string): Promise<OrderView> {
    await this.db.$transaction(async (tx) => {
      await this.orders.lock(tx, id);
      await transitionOrder(tx, { orderId: id, to: 'SHIPPED', actor, reason: 'shipped', events: () => [orderShipped(id)] });
    }, TX_OPTIONS);
    return this.reload(id);
  }

  private async visibleOrder(ctx: RequestContext, id: string): Promise<OrderRow> {
    const order = orderId.safeParse(id).success ? await this.orders.byId(id) : null;
    if (!order) throw notFound('No order with this id.');
    if (hasRole(ctx.identity, 'STAFF')) return order;
    if (order.customerId === null || order.customerId !== ctx.identity.userId) throw notFound('No order with this id.');
    return order;
  }

  private async reload(id: string): Promise<OrderView> {
    const order = await this.orders.byId(id);
    if (!order) throw notFound('No order with this id.');
    return toOrderView(order);
  }
}
