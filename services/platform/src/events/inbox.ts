/** The part of a service's Prisma transaction client the inbox needs: raw SQL. */
export interface InboxTransaction {
  $executeRaw(query: TemplateStringsArray, ...values: unknown[]): Promise<number>;
}

/**
 * Records that `consumer` processed event `eventId`, inside the transaction that applies the
 * event's effect. Returns false when the event was processed before: the caller then does nothing,
 * so a redelivered event is acknowledged without being applied twice (PLAT-4).
 * Needs the service's `inbox` table (event_id uuid, consumer text, processed_at; primary key on both).
 */
export async function recordInInbox(tx: InboxTransaction, eventId: string, consumer: string): Promise<boolean> {
  const inserted = await tx.$executeRaw`
    INSERT INTO inbox (event_id, consumer, processed_at) VALUES (${eventId}::uuid, ${consumer}, now())
    ON CONFLICT DO NOTHING`;
  return inserted === 1;
}
