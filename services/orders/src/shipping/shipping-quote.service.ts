import { addressHash, badUserInput, cartFingerprint, parseInput, priceMethods, signShippingQuote, type Money, type RequestContext } from '@shop/platform';
import type { CartService } from '../cart.service';
import type { CatalogVariantRepository } from '../catalog-variant.repository';
import { addressInput } from '../checkout/checkout.input';
import { parcelOf, type ShippingQuoteSettings } from './quoted-shipping.policy';
import type { ShippingRatesRepository } from './shipping-rates.repository';

/** A ShippingQuote (CONTRACT): one method's price for this cart and address, and the signed token checkout takes. */
export interface ShippingQuoteView {
  readonly methodId: string;
  readonly name: string;
  readonly price: Money;
  readonly token: string;
  readonly expiresAt: Date;
}

/**
 * `shippingQuotes(address, cartId)`: orders owns the cart, so it quotes here, with the platform's
 * rate calculator on the newest published rate table, and signs each quote so checkout can verify
 * it without calling shipping (SHIP-1).
 */
export class ShippingQuoteService {
  constructor(
    private readonly carts: CartService,
    private readonly variants: CatalogVariantRepository,
    private readonly rates: ShippingRatesRepository,
    private readonly settings: ShippingQuoteSettings,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async quotes(ctx: RequestContext, addressArg: unknown, cartId: string | null | undefined): Promise<ShippingQuoteView[]> {
    const address = parseInput(addressInput, addressArg, 'address');
    const cart = await this.carts.resolveCart(ctx, cartId);
    const first = cart.lines[0];
    if (!first) throw badUserInput('cartId', 'The cart is empty.');
    const table = await this.rates.current();
    if (!table) return [];
    const weights = new Map((await this.variants.byIds(cart.lines.map((line) => line.variantId))).map((v) => [v.variantId, v.weightGrams]));
    const lines = cart.lines.map((line) => ({ variantId: line.variantId, quantity: line.quantity, weightGrams: weights.get(line.variantId) ?? 0, unitPrice: { amountMinor: line.unitPriceMinor, currency: line.currency } }));
    const expiresAt = new Date(this.now().getTime() + this.settings.ttlSeconds * 1000);
    const bound = { addressHash: addressHash(address), cartFingerprint: cartFingerprint(lines), expiresAt };
    return priceMethods(table, address, parcelOf(lines, first.currency)).map((method) => ({
      methodId: method.methodId,
      name: method.name,
      price: method.price,
      expiresAt,
      token: signShippingQuote({ methodId: method.methodId, price: method.price, ...bound }, this.settings.secret),
    }));
  }
}
