import { money, notFound, type Money, type RequestContext } from '@shop/platform';
import { z } from 'zod';
import type { PaymentsDb } from './payments.db';
import { WalletLedger } from './wallet.ledger';

const currency = z.string().regex(/^[A-Z]{3}$/);

/** A wallet as GraphQL shows it. */
export interface WalletView {
  readonly currency: string;
  readonly balance: Money;
  readonly held: Money;
}

/** Reads of the caller's store credit (PAY-7); its changes happen through payments and refunds. */
export class WalletService {
  constructor(private readonly db: PaymentsDb) {}

  /** The caller's wallet in `code`, derived from the ledger; empty when there is none yet. */
  async myWallet(ctx: RequestContext, code: string): Promise<WalletView> {
    const customerId = ctx.identity.userId;
    if (!customerId || !currency.safeParse(code).success) throw notFound('No wallet in this currency.');
    const { balanceMinor, heldMinor } = await WalletLedger.balance(this.db, customerId, code);
    return { currency: code, balance: money(balanceMinor, code), held: money(heldMinor, code) };
  }
}
