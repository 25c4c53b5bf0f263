import type { PaymentsTx } from './payments.db';
import { PaymentsErrors } from './errors';

/**
 * The wallet (PAY-7) as a ledger: every change is a `wallet_entry` row and the wallet's balance
 * moves in the same transaction with a guarded UPDATE, so it can never go below zero, even under
 * concurrent debits (the CHECK constraint backs the guard). Entries are unique per
 * (kind, reference): replaying a credit or debit for the same reference changes nothing.
 */
export const WalletLedger = {
  /** Adds money (a refund to the wallet, a goodwill credit). */
  async credit(tx: PaymentsTx, customerId: string, currency: string, amountMinor: bigint, reference: string): Promise<boolean> {
    await tx.$executeRaw`INSERT INTO wallet (customer_id, currency) VALUES (${customerId}, ${currency}) ON CONFLICT DO NOTHING`;
    if (!(await addEntry(tx, customerId, currency, 'CREDIT', amountMinor, reference))) return false;
    await tx.$executeRaw`UPDATE wallet SET balance_minor = balance_minor + ${amountMinor} WHERE customer_id = ${customerId} AND currency = ${currency}`;
    return true;
  },

  /** Takes money (a wallet payment); INSUFFICIENT_WALLET_BALANCE when the free balance does not cover it. */
  async debit(tx: PaymentsTx, customerId: string, currency: string, amountMinor: bigint, reference: string): Promise<boolean> {
    const taken = await tx.$executeRaw`
      UPDATE wallet SET balance_minor = balance_minor - ${amountMinor}
      WHERE customer_id = ${customerId} AND currency = ${currency} AND balance_minor - held_minor >= ${amountMinor}`;
    if (taken !== 1) throw PaymentsErrors.create('INSUFFICIENT_WALLET_BALANCE');
    if (!(await addEntry(tx, customerId, currency, 'DEBIT', amountMinor, reference))) throw PaymentsErrors.create('IDEMPOTENCY_KEY_REUSED');
    return true;
  },

  /** Sets money aside (not spendable) until released. */
  async hold(tx: PaymentsTx, customerId: string, currency: string, amountMinor: bigint, reference: string): Promise<void> {
    const held = await tx.$executeRaw`
      UPDATE wallet SET held_minor = held_minor + ${amountMinor}
      WHERE customer_id = ${customerId} AND currency = ${currency} AND balance_minor - held_minor >= ${amountMinor}`;
    if (held !== 1) throw PaymentsErrors.create('INSUFFICIENT_WALLET_BALANCE');
    await addEntry(tx, customerId, currency, 'HOLD', amountMinor, reference);
  },

  /** Frees money set aside by `hold`. */
  async release(tx: PaymentsTx, customerId: string, currency: string, amountMinor: bigint, reference: string): Promise<void> {
    if (!(await addEntry(tx, customerId, currency, 'RELEASE', amountMinor, reference))) return;
    await tx.$executeRaw`UPDATE wallet SET held_minor = held_minor - ${amountMinor} WHERE customer_id = ${customerId} AND currency = ${currency}`;
  },

  /** The balance derived from the ledger (credits minus debits), and what of it is held. */
  async balance(tx: Pick<PaymentsTx, '$queryRaw'>, customerId: string, currency: string): Promise<{ balanceMinor: bigint; heldMinor: bigint }> {
    const rows = await tx.$queryRaw<{ balance: bigint | null; held: bigint | null }[]>`
      SELECT sum(CASE kind WHEN 'CREDIT' THEN amount_minor WHEN 'DEBIT' THEN -amount_minor ELSE 0 END)::bigint AS balance,
             sum(CASE kind WHEN 'HOLD' THEN amount_minor WHEN 'RELEASE' THEN -amount_minor ELSE 0 END)::bigint AS held
      FROM wallet_entry WHERE customer_id = ${customerId} AND currency = ${currency}`;
    return { balanceMinor: rows[0]?.balance ?? 0n, heldMinor: rows[0]?.held ?? 0n };
  },
};

async function addEntry(tx: PaymentsTx, customerId: string, currency: string, kind: 'CREDIT' | 'DEBIT' | 'HOLD' | 'RELEASE', amountMinor: bigint, reference: string): Promise<boolean> {
  const inserted = await tx.$executeRaw`
    INSERT INTO wallet_entry (id, customer_id, currency, kind, amount_minor, reference, created_at)
    VALUES (gen_random_uuid(), ${customerId}, ${currency}, ${kind}::"WalletEntryKind", ${amountMinor}, ${reference}, now())
    ON CONFLICT DO NOTHING`;
  return inserted === 1;
}
