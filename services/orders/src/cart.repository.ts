import { randomBytes } from 'node:crypto';
import { cartWithLines, type CartRow } from './cart.model';
import { isUniqueViolation, type OrdersDb, type OrdersTx } from './orders.db';

/** A cart id: 128 random bits, base64url. For a guest it is the only credential, so never sequential. */
export function newCartId(): string {
  return randomBytes(16).toString('base64url');
}

/** Cart queries (Prisma only). */
export class CartRepository {
  constructor(private readonly db: OrdersDb) {}

  byId(id: string, tx: OrdersTx = this.db): Promise<CartRow | null> {
    return tx.cart.findUnique({ where: { id }, include: cartWithLines });
  }

  ofCustomer(customerId: string, tx: OrdersTx = this.db): Promise<CartRow | null> {
    return tx.cart.findUnique({ where: { customerId }, include: cartWithLines });
  }

  createGuestCart(): Promise<CartRow> {
    return this.db.cart.create({ data: { id: newCartId() }, include: cartWithLines });
  }

  /** The customer's one cart, created on first use (a concurrent creation wins and is returned). */
  async customerCart(customerId: string): Promise<CartRow> {
    const existing = await this.ofCustomer(customerId);
    if (existing) return existing;
    try {
      return await this.db.cart.create({ data: { id: newCartId(), customerId }, include: cartWithLines });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const winner = await this.ofCustomer(customerId);
      if (!winner) throw error;
      return winner;
    }
  }

  /** Locks the cart row until the transaction ends: changes to one cart run one at a time. */
  async lock(tx: OrdersTx, cartId: string): Promise<void> {
    await tx.$queryRaw`SELECT id FROM cart WHERE id = ${cartId} FOR UPDATE`;
  }

  /** Marks activity on the cart: the abandoned-cart period starts again; an empty cart has no currency. */
  async touch(tx: OrdersTx, cartId: string): Promise<void> {
    const lines = await tx.cartLine.findMany({ where: { cartId }, select: { currency: true }, take: 1 });
    await tx.cart.update({ where: { id: cartId }, data: { lastActivityAt: new Date(), reminderSentAt: null, currency: lines[0]?.currency ?? null } });
  }
}
