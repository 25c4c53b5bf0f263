import { orderWithDetails, type OrderRow } from './order.model';
import type { OrdersDb, OrdersTx } from './orders.db';

/** Order queries (Prisma only). */
export class OrderRepository {
  constructor(private readonly db: OrdersDb) {}

  byId(id: string, tx: OrdersTx = this.db): Promise<OrderRow | null> {
    return tx.order.findUnique({ where: { id }, include: orderWithDetails });
  }

  byReference(reference: string): Promise<OrderRow | null> {
    return this.db.order.findUnique({ where: { reference }, include: orderWithDetails });
  }

  byIdempotencyKey(idempotencyScope: string, idempotencyKey: string, tx: OrdersTx = this.db): Promise<OrderRow | null> {
    return tx.order.findUnique({ where: { idempotencyScope_idempotencyKey: { idempotencyScope, idempotencyKey } }, include: orderWithDetails });
  }

  /** A customer's orders, newest first, starting after (createdAt, id) when given; one extra row tells whether more follow. */
  pageOfCustomer(customerId: string, first: number, after: { createdAt: Date; id: string } | null): Promise<OrderRow[]> {
    return this.db.order.findMany({
      where: {
        customerId,
        ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: first + 1,
      include: orderWithDetails,
    });
  }

  /** Locks the order row until the transaction ends, so saga steps and commands on one order run one at a time. */
  async lock(tx: OrdersTx, orderId: string): Promise<void> {
    await tx.$queryRaw`SELECT id FROM customer_order WHERE id = ${orderId}::uuid FOR UPDATE`;
  }
}
