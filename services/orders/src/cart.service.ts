import { z } from 'zod';
import { badUserInput, notFound, parseInput, type RequestContext } from '@shop/platform';
import { toCartView, type CartRow, type CartView } from './cart.model';
import type { CartRepository } from './cart.repository';
import type { CatalogVariantRepository } from './catalog-variant.repository';
import { OrdersErrors } from './errors';
import { TX_OPTIONS, type OrdersDb, type OrdersTx } from './orders.db';

const cartIdShape = z.string().min(1).max(64);
const lineIdShape = z.uuid();

/**
 * Carts for guests and signed-in customers (CART-1, CART-2). A guest's cart id is its credential;
 * a customer has one cart, found by their identity. A cart that is not the caller's answers exactly
 * like an unknown one (NOT_FOUND).
 */
export class CartService {
  constructor(
    private readonly db: OrdersDb,
    private readonly carts: CartRepository,
    private readonly variants: CatalogVariantRepository,
    private readonly maxQuantity: number,
  ) {}

  /** A new guest cart; a signed-in customer gets their one cart instead. */
  async createCart(ctx: RequestContext): Promise<CartView> {
    const userId = ctx.identity.userId;
    return toCartView(userId ? await this.carts.customerCart(userId) : await this.carts.createGuestCart());
  }

  /** The caller's cart: a guest's by id (null without one), a customer's own (a guest cart id merges into it). */
  async myCart(ctx: RequestContext, cartId: string | null | undefined): Promise<CartView | null> {
    if (!ctx.identity.userId && !cartId) return null;
    return toCartView(await this.resolveCart(ctx, cartId));
  }

  /** Merges the guest cart `cartId` into the signed-in customer's cart (CART-1). */
  async mergeGuestCart(ctx: RequestContext, cartId: string): Promise<CartView> {
    return toCartView(await this.resolveCart(ctx, cartId));
  }

  async addLine(ctx: RequestContext, cartId: string | null | undefined, variantId: string, quantity: unknown): Promise<CartView> {
    const wanted = this.parseQuantity(quantity);
    const variant = await this.variants.byId(variantId);
    if (!variant) throw notFound('No variant with this id.');
    if (!variant.active) throw OrdersErrors.create('VARIANT_UNAVAILABLE', { field: 'variantId' });
    const cart = await this.resolveCart(ctx, cartId);
    await this.db.$transaction(async (tx) => {
      await this.carts.lock(tx, cart.id);
      const lines = await tx.cartLine.findMany({ where: { cartId: cart.id } });
      if (lines.some((line) => line.currency !== variant.currency)) {
        throw badUserInput('variantId', `variantId: a cart holds one currency; this variant is priced in ${variant.currency}`);
      }
      const existing = lines.find((line) => line.variantId === variant.variantId);
      if (existing) {
        const total = existing.quantity + wanted;
        if (total > this.maxQuantity) throw badUserInput('quantity', `quantity: the line would hold ${total}; at most ${this.maxQuantity} per line`);
        await tx.cartLine.update({ where: { id: existing.id }, data: { quantity: total } });
      } else {
        await tx.cartLine.create({
          data: { cartId: cart.id, variantId: variant.variantId, quantity: wanted, unitPriceMinor: variant.priceMinor, currency: variant.currency },
        });
      }
      await this.carts.touch(tx, cart.id);
    }, TX_OPTIONS);
    return this.view(cart.id);
  }

  async updateLine(ctx: RequestContext, cartId: string | null | undefined, lineId: string, quantity: unknown): Promise<CartView> {
    const wanted = this.parseQuantity(quantity);
    const cart = await this.resolveCart(ctx, cartId);
    await this.changeLine(cart, lineId, (tx) => tx.cartLine.update({ where: { id: lineId }, data: { quantity: wanted } }));
    return this.view(cart.id);
  }

  async removeLine(ctx: RequestContext, cartId: string | null | undefined, lineId: string): Promise<CartView> {
    const cart = await this.resolveCart(ctx, cartId);
    await this.changeLine(cart, lineId, (tx) => tx.cartLine.delete({ where: { id: lineId } }));
    return this.view(cart.id);
  }

  /**
   * The cart the caller may use. Guests name it by id; customers have their own, and a guest cart id
   * they pass is merged into it (sign-in merge). Someone else's cart is NOT_FOUND, like an unknown one.
   */
  async resolveCart(ctx: RequestContext, cartId: string | null | undefined): Promise<CartRow> {
    const userId = ctx.identity.userId;
    const named = cartId ? await this.cartNamed(cartId) : null;
    if (!userId) {
      if (!cartId) throw badUserInput('cartId', 'cartId: guests pass the id createCart gave them');
      if (!named || named.customerId !== null) throw notFound('No cart with this id.');
      return named;
    }
    if (cartId && (!named || (named.customerId !== null && named.customerId !== userId))) throw notFound('No cart with this id.');
    const own = await this.carts.customerCart(userId);
    if (!named || named.customerId !== null) return own;
    await this.merge(named.id, own.id);
    return (await this.carts.byId(own.id)) ?? own;
  }

  private async cartNamed(cartId: string): Promise<CartRow | null> {
    return cartIdShape.safeParse(cartId).success ? this.carts.byId(cartId) : null;
  }

  /** Moves the guest cart's lines into the customer's: quantities summed and capped; the guest cart is deleted. */
  private async merge(guestCartId: string, ownCartId: string): Promise<void> {
    await this.db.$transaction(async (tx) => {
      for (const id of [guestCartId, ownCartId].sort()) await this.carts.lock(tx, id);
      const guest = await this.carts.byId(guestCartId, tx);
      const own = await this.carts.byId(ownCartId, tx);
      if (!guest || guest.customerId !== null || !own) return;
      const currencies = new Set([...guest.lines, ...own.lines].map((line) => line.currency));
      if (currencies.size > 1) throw badUserInput('cartId', 'cartId: the guest cart is priced in another currency than your cart');
      for (const line of guest.lines) {
        const existing = own.lines.find((mine) => mine.variantId === line.variantId);
        if (existing) {
          await tx.cartLine.update({ where: { id: existing.id }, data: { quantity: Math.min(existing.quantity + line.quantity, this.maxQuantity) } });
        } else {
          await tx.cartLine.create({
            data: { cartId: own.id, variantId: line.variantId, quantity: line.quantity, unitPriceMinor: line.unitPriceMinor, currency: line.currency },
          });
        }
      }
      await tx.cart.delete({ where: { id: guest.id } });
      await this.carts.touch(tx, own.id);
    }, TX_OPTIONS);
  }

  private async changeLine(cart: CartRow, lineId: string, change: (tx: OrdersTx) => Promise<unknown>): Promise<void> {
    if (!lineIdShape.safeParse(lineId).success) throw notFound('No cart line with this id.');
    await this.db.$transaction(async (tx) => {
      await this.carts.lock(tx, cart.id);
      const line = await tx.cartLine.findFirst({ where: { id: lineId, cartId: cart.id }, select: { id: true } });
      if (!line) throw notFound('No cart line with this id.');
      await change(tx);
      await this.carts.touch(tx, cart.id);
    }, TX_OPTIONS);
  }

  /** CART-2: a whole number in 1..CART_MAX_QUANTITY, else BAD_USER_INPUT naming `quantity`. */
  private parseQuantity(quantity: unknown): number {
    return parseInput(z.number().int().min(1).max(this.maxQuantity), quantity, 'quantity');
  }

  private async view(cartId: string): Promise<CartView> {
    const cart = await this.carts.byId(cartId);
    if (!cart) throw notFound('No cart with this id.');
    return toCartView(cart);
  }
}
