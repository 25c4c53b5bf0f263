-- Trace context (W3C traceparent) of the span each event was appended in, so the event's consumers
-- continue that trace (issue 9). Nullable: rows written before, and producers not tracing, have none.
-- AlterTable
ALTER TABLE "outbox" ADD COLUMN     "traceparent" VARCHAR(55);
