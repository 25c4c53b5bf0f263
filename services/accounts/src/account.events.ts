import type { DomainEvent } from '@shop/platform';

/** The accounts topic source name in every envelope. */
export const ACCOUNTS_SOURCE = 'accounts';

/** A customer deleted their account: other services anonymise what they hold for them (SEC-9). */
export function customerDeleted(customerId: string, deletedAt: Date): DomainEvent {
  return { type: 'CustomerDeleted', version: 1, aggregateId: customerId, payload: { customerId, deletedAt: deletedAt.toISOString() } };
}
