import type { Prisma, PrismaClient } from './generated/prisma/client';

/** The payments Prisma client, and the transaction client inside `$transaction`. */
export type PaymentsDb = PrismaClient;
export type PaymentsTx = Prisma.TransactionClient;

/** Interactive transactions wait for row locks (capture, refunds, wallet); give them room. */
export const TX_OPTIONS = { maxWait: 10_000, timeout: 20_000 } as const;

/** Whether `error` is Prisma's unique-constraint violation. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}
